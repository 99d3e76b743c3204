'use strict';
// `npm run n8n`: the n8n editor with our nodes, in one command (see n8n/README.md).
//   npm run n8n                          against the local ScaiGrid emulator
//   npm run n8n -- --real                against your ScaiGrid (SCAIGRID_BASE_URL / SCAIGRID_API_KEY, or asked)
//   npm run n8n -- --port 5678           n8n's port (default: the first free one from 5678)
//   npm run n8n -- --emulator-port 7431  the emulator's port (default: last run's, else 7431; the next free one if taken)
//   npm run n8n -- --no-build            use the dist/ already built   --user-folder DIR  another n8n user folder
//   npm run n8n -- --queue               queue mode: Postgres, Redis, main + 2 workers (lib/queue-start.js)
// Ctrl-C stops everything it started (n8n and the emulator).

const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');

const { EDITOR_USER_FOLDER, ROOT } = require('./lib/paths');
const { log } = require('./lib/log');
const { prepare } = require('./setup');
const { n8nEnv, startServer } = require('./lib/n8n');
const { freePort, firstFreePort } = require('./lib/ports');
const { ensureOwner } = require('./lib/owner');
const { showcaseExample } = require('./lib/examples');

/**
 * The emulator's default port when no run has chosen one yet: fixed, so a credential made by hand
 * keeps working after a restart, and away from n8n's 5678/5679 and the usual development ports.
 */
const EMULATOR_PORT = 7431;
/** n8n's usual port, so the URL is the familiar one when it is free. */
const N8N_PORT = 5678;

function parseArgs(argv) {
	const args = {
		real: false,
		build: true,
		port: undefined,
		emulatorPort: undefined,
		userFolder: EDITOR_USER_FOLDER,
	};
	const number = (i) => {
		const value = Number(argv[i + 1]);
		if (!Number.isInteger(value) || value < 1 || value > 65535)
			throw new Error(`${argv[i]} needs a port number`);
		return value;
	};
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--real') args.real = true;
		else if (argv[i] === '--no-build') args.build = false;
		else if (argv[i] === '--port') args.port = number(i++);
		else if (argv[i] === '--emulator-port') args.emulatorPort = number(i++);
		else if (argv[i] === '--user-folder') {
			args.userFolder = path.resolve(argv[++i]);
			args.userFolderGiven = true;
		} else if (argv[i] === '--queue') args.queue = true;
		else if (argv[i] === '--help' || argv[i] === '-h') args.help = true;
		else throw new Error(`unknown argument ${argv[i]} (try --help)`);
	}
	return args;
}

/**
 * The emulator's port: the one asked for, else the one the last run used (kept in the user
 * folder), else EMULATOR_PORT; the next free port when that one is taken. The port used is kept
 * for the next run, so the emulator's URL stays the same.
 */
async function emulatorPort(userFolder, asked) {
	const file = path.join(userFolder, 'emulator-port.json');
	let last;
	try {
		last = JSON.parse(fs.readFileSync(file, 'utf8')).port;
	} catch {
		// first run
	}
	const port = await firstFreePort(asked || last || EMULATOR_PORT);
	fs.mkdirSync(userFolder, { recursive: true });
	fs.writeFileSync(file, `${JSON.stringify({ port }, null, 2)}\n`);
	return port;
}

/** Asks on the terminal; `hidden` answers (the key) are not echoed. One interface for all questions. */
function terminalPrompt() {
	if (!process.stdin.isTTY) {
		throw new Error(
			'--real needs SCAIGRID_BASE_URL and SCAIGRID_API_KEY when there is no terminal to ask on',
		);
	}
	const rl = readline.createInterface({
		input: process.stdin,
		output: process.stdout,
		terminal: true,
	});
	let muted = false;
	const write = rl._writeToOutput.bind(rl);
	rl._writeToOutput = (text) => {
		if (!muted) write(text);
	};
	return {
		async ask(question, { hidden = false } = {}) {
			if (hidden) {
				process.stdout.write(question);
				muted = true;
			}
			try {
				return (
					await new Promise((resolve) => rl.question(hidden ? '' : question, resolve))
				).trim();
			} finally {
				if (hidden) process.stdout.write('\n');
				muted = false;
			}
		},
		close: () => rl.close(),
	};
}

async function realScaiGrid() {
	let baseUrl = process.env.SCAIGRID_BASE_URL;
	let apiKey = process.env.SCAIGRID_API_KEY;
	if (!baseUrl || !apiKey) {
		const prompt = terminalPrompt();
		try {
			baseUrl =
				baseUrl ||
				(await prompt.ask('ScaiGrid base URL [https://scaigrid.scailabs.ai]: ')) ||
				'https://scaigrid.scailabs.ai';
			apiKey = apiKey || (await prompt.ask('ScaiGrid API key (sgk_...): ', { hidden: true }));
		} finally {
			prompt.close();
		}
	}
	if (!apiKey) throw new Error('an API key is needed for --real');
	return { baseUrl, apiKey };
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		process.stdout.write(
			fs
				.readFileSync(__filename, 'utf8')
				.split('\n')
				.slice(1, 9)
				.map((l) => l.replace(/^\/\/ ?/, ''))
				.join('\n') + '\n',
		);
		return;
	}
	// Queue mode (issue 19): its own start, sharing the helpers above.
	if (args.queue)
		return require('./lib/queue-start').startQueueMode(args, {
			emulatorPort,
			realScaiGrid,
			n8nPort: N8N_PORT,
		});
	const scaigrid = args.real ? await realScaiGrid() : undefined;
	const userFolder = args.userFolder;
	const ctx = await prepare({
		userFolder,
		build: args.build,
		scaigrid,
		emulatorPort: scaigrid ? undefined : await emulatorPort(userFolder, args.emulatorPort),
		credentialName: args.real ? 'ScaiGrid' : undefined,
	});
	let server;
	let stopping = false;
	const stopAll = async (code) => {
		if (stopping) return;
		stopping = true;
		log('stopping n8n and the emulator');
		if (server) await server.stop();
		if (ctx.emulator) await ctx.emulator.close();
		process.exit(code);
	};
	process.on('SIGINT', () => stopAll(0));
	process.on('SIGTERM', () => stopAll(0));
	try {
		const port = args.port || (await firstFreePort(N8N_PORT));
		const logFile = path.join(userFolder, 'n8n.log');
		log(`starting n8n on http://localhost:${port} (its log: ${path.relative(ROOT, logFile)})`);
		const env = n8nEnv(ctx.runtime, {
			userFolder,
			port,
			brokerPort: await freePort(),
			logLevel: 'info',
		});
		server = await startServer(ctx.runtime, ctx.n8nBin, env, { logFile });
		server.child.on('exit', (code) => {
			if (!stopping) {
				log(`n8n exited unexpectedly (${code}); see ${logFile}`);
				stopAll(1);
			}
		});
		const { login } = await ensureOwner(server.baseUrl, userFolder);
		const first = showcaseExample(ctx.examples) || ctx.examples[0];
		const credentialName = args.real ? 'ScaiGrid' : ctx.credential.name;
		const lines = [
			'',
			`  n8n with n8n-nodes-scaigrid ${ctx.pkg.version} is running: ${server.baseUrl}`,
			`  Log in:   ${login.email}   password: ${login.password}`,
			'',
			...(ctx.emulator
				? [
						'  ScaiGrid: the local emulator. For a credential of your own (Credentials → Create →',
						'  ScaiGrid API), paste these; they stay the same when you start again:',
						`    Base URL: ${ctx.scaigrid.baseUrl}`,
						`    API Key:  ${ctx.scaigrid.apiKey}`,
						`  (The examples use the credential "${credentialName}", already set up with them.)`,
					]
				: [`  ScaiGrid: ${ctx.scaigrid.baseUrl} (credential "${credentialName}")`]),
			'',
			'  Try first:',
			`   1. Open ${server.baseUrl}/workflow/${first.workflow.id}  (${first.workflow.name})`,
			'      and click "Execute workflow": each tool the model calls comes out on its own branch.',
			`   2. Overview → Workflows lists all ${ctx.examples.length} examples (chat, streaming chat, models, usage reports).`,
			'   3. Build your own: in a workflow, open the nodes panel (+ or Tab) and search "ScaiGrid".',
			`   4. Overview → Credentials → "${credentialName}": n8n tests the key when you save it (and with Retry).`,
			'',
			`  Ctrl-C stops n8n${ctx.emulator ? ' and the emulator' : ''}.`,
			'',
		];
		process.stdout.write(`${lines.join('\n')}\n`);
	} catch (error) {
		process.stderr.write(`${error.stack || error.message}\n`);
		await stopAll(1);
	}
}

main().catch((error) => {
	process.stderr.write(`${error.message}\n`);
	process.exit(1);
});
