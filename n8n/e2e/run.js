'use strict';
// `npm run test:n8n`: our package in real n8n 2.x, installed the way n8n installs community
// packages, against the local emulator. Six legs (each file says what it checks):
//   install     install-output.js   a first install's terminal output (stand-in npm, no real install)
//   cli         cli-examples.js     every example n8n's CLI can start, run by `n8n execute`
//   start       start-command.js    `npm run n8n` twice: URL and emulator key printed, same port
//   credential  credential-test.js  the credential test through n8n's REST path
//   rest        rest-examples.js    the examples the CLI cannot start (Schedule and Chat
//                                   Triggers), run through n8n's REST API and chat URL;
//               agent-examples.js   the AI Agent + ScaiGrid Chat Model: tool, stream, 429, budget
//   browser     browser.js          headless Chromium: every node found in the node panel, the
//                                   Chat node's subtitle and tool outputs, the chat-with-tools
//                                   example run, a screenshot (n8n/.e2e/screenshots/)
// Last, the work tree check: the run changed no tracked file (worktree.js).
// Exits non-zero when any check fails; works without a TTY (CI). `--legs=cli,rest` runs only
// those (the others are reported as skipped); `--keep` leaves n8n running at the end;
// `--update-screenshot` also copies the editor screenshots to docs/n8n-editor.png and
// docs/n8n-agent.png (the README's; browser-agent.js takes the second).
// `--queue`: the queue-mode run instead (queue.js: Postgres, Redis, main + 2 workers).

const fs = require('node:fs');
const path = require('node:path');

const { E2E_USER_FOLDER, README_SCREENSHOT, ROOT } = require('../lib/paths');
const { log } = require('../lib/log');
const { prepare } = require('../setup');
const { n8nEnv, startServer } = require('../lib/n8n');
const { freePort } = require('../lib/ports');
const { ensureOwner } = require('../lib/owner');
const { startNode } = require('../lib/examples');
const { Report } = require('./report');
const { runExampleViaCli } = require('./cli-examples');
const { credentialTestCases } = require('./credential-test');
const {
	cliCanRun,
	isChatExample,
	adaptChatExample,
	runExampleViaRest,
} = require('./rest-examples');
const { startCommandCheck } = require('./start-command');
const { installOutputCheck } = require('./install-output');
const { trackedState, compareTrackedState } = require('./worktree');
const { ensureChromium } = require('../lib/chromium');

const ALL_LEGS = ['install', 'cli', 'start', 'credential', 'rest', 'browser'];

function parseArgs(argv) {
	const args = { legs: new Set(ALL_LEGS), keep: false, updateScreenshot: false };
	for (const arg of argv) {
		if (arg === '--keep') args.keep = true;
		else if (arg === '--update-screenshot') args.updateScreenshot = true;
		else if (arg.startsWith('--legs='))
			args.legs = new Set(arg.slice(7).split(',').filter(Boolean));
		else
			throw new Error(
				`unknown argument ${arg} (--legs=${ALL_LEGS.join(',')} --keep --update-screenshot)`,
			);
	}
	for (const leg of args.legs) if (!ALL_LEGS.includes(leg)) throw new Error(`unknown leg ${leg}`);
	return args;
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const report = new Report();
	const treeBefore = trackedState();
	const timings = {};
	let t = Date.now();
	const lap = (name) => {
		timings[name] = Math.round((Date.now() - t) / 100) / 10;
		t = Date.now();
	};
	const leg = async (name, title, fn) => {
		if (args.legs.has(name)) await fn();
		else report.skip(title, `leg "${name}" not selected (--legs)`);
		lap(name);
	};
	// Trigger items pinned on the trigger (as the engine harness does), except on a Chat Trigger:
	// pinned data would stand in for the chat message, and the rest leg sends a real one.
	const ctx = await prepare({
		userFolder: E2E_USER_FOLDER,
		fresh: true,
		pinTriggerItems: (example) => !isChatExample(example),
		adaptWorkflow: adaptChatExample,
	});
	// Installed now, with the other install steps, rather than in the middle of the browser leg.
	if (args.legs.has('browser')) ensureChromium();
	lap('setup');
	let server;
	const stop = async () => {
		if (server) await server.stop();
		if (ctx.emulator) await ctx.emulator.close();
	};
	// Ctrl-C or a CI timeout must not leave n8n (its own process group) behind.
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.once(signal, () => stop().finally(() => process.exit(130)));
	}
	try {
		await leg('install', 'first install: one line per step', () =>
			report.check(
				'first install: one line per step with its time, npm output in the log',
				installOutputCheck,
			),
		);
		await leg('cli', 'CLI: examples', async () => {
			for (const example of ctx.examples) {
				if (!cliCanRun(example)) {
					// Not a skip: the REST leg below runs it, as the editor's Execute button does.
					log(
						`CLI: ${example.file} starts at ${startNode(example.workflow).type}, which n8n execute cannot start: the rest leg runs it`,
					);
					continue;
				}
				await report.check(`CLI: ${example.file}`, async () => {
					const r = await runExampleViaCli(ctx, example);
					return {
						problems: r.problems,
						detail: `${r.requests} emulator requests, n8n execute ${(r.ms / 1000).toFixed(1)} s`,
					};
				});
			}
		});

		await leg('start', 'npm run n8n: URL, emulator key, same port', () =>
			report.check('npm run n8n: URL, emulator key, same port after a restart', startCommandCheck),
		);

		const port = await freePort();
		const logFile = path.join(E2E_USER_FOLDER, 'n8n.log');
		log(`starting n8n on port ${port} (log: ${logFile})`);
		const env = n8nEnv(ctx.runtime, {
			userFolder: E2E_USER_FOLDER,
			port,
			brokerPort: await freePort(),
			logLevel: 'info',
		});
		server = await startServer(ctx.runtime, ctx.n8nBin, env, { logFile });
		const { login, rest } = await ensureOwner(server.baseUrl, E2E_USER_FOLDER);
		lap('n8n start');

		await leg('credential', 'credential test', () =>
			report.check('credential test via POST /rest/credentials/test', () =>
				credentialTestCases(ctx, rest),
			),
		);
		await leg('rest', 'REST: examples', async () => {
			for (const example of ctx.examples.filter((e) => !cliCanRun(e))) {
				await report.check(`REST: ${example.file}`, () =>
					runExampleViaRest(ctx, server, rest, example),
				);
			}
			await require('./agent-examples').agentChecks(ctx, server, rest, report);
		});
		await leg('browser', 'browser: node panel and chat-with-tools', async () => {
			const { nodePanelTest, browserTest, withEditor } = require('./browser');
			await withEditor(server, login, async (page) => {
				await report.check('browser: every package node found in the node panel', () =>
					nodePanelTest(ctx, page),
				);
				await report.check('browser: editor with chat-with-tools', () =>
					browserTest(ctx, page, rest, { updateScreenshot: args.updateScreenshot }),
				);
				await report.check('browser: AI Agent with the ScaiGrid Chat Model', () =>
					require('./browser-agent').agentBrowserTest(ctx, page, rest, {
						updateScreenshot: args.updateScreenshot,
					}),
				);
			});
		});
		if (args.keep) {
			log(
				`n8n stays up at ${server.baseUrl} (login ${login.email} / ${login.password}); Ctrl-C ends`,
			);
			await new Promise(() => {});
		}
	} finally {
		await stop();
	}
	lap('stop');
	if (treeBefore) {
		const allowed = args.updateScreenshot
			? [
					path.relative(ROOT, README_SCREENSHOT),
					path.relative(ROOT, require('./browser-agent').AGENT_SCREENSHOT),
				]
			: [];
		await report.check('work tree: the run changed no tracked file', () =>
			compareTrackedState(treeBefore, trackedState(), allowed),
		);
	} else {
		report.skip('work tree: the run changed no tracked file', 'not a git work tree');
	}
	log(
		`times (s): ${Object.entries(timings)
			.map(([k, v]) => `${k} ${v}`)
			.join(', ')}`,
	);
	fs.writeFileSync(
		path.join(E2E_USER_FOLDER, 'report.json'),
		`${JSON.stringify({ checks: report.checks, timings }, null, 2)}\n`,
	);
	process.stdout.write(`${report.summary()}\n`);
	return report.failed ? 1 : 0;
}

// Queue mode (issue 19): a run of its own, in queue.js.
const run = process.argv.includes('--queue')
	? () => require('./queue').main(process.argv.slice(2))
	: main;

run().then(
	(code) => process.exit(code),
	(error) => {
		process.stderr.write(`${error.stack || error.message}\n`);
		process.stdout.write('n8n e2e: 0 passed, 1 failed (setup)\n');
		process.exit(1);
	},
);
