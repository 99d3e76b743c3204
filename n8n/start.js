'use strict';
// `npm run n8n`: the n8n editor with our nodes, in one command (see n8n/README.md).
//   npm run n8n                  against the local ScaiGrid emulator
//   npm run n8n -- --real        against your ScaiGrid (SCAIGRID_BASE_URL / SCAIGRID_API_KEY, or asked)
//   npm run n8n -- --port 5678   a fixed port instead of the first free one from 5678
// Ctrl-C stops everything it started (n8n and the emulator).

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const readline = require('node:readline');

const { EDITOR_USER_FOLDER, ROOT } = require('./lib/paths');
const { log } = require('./lib/log');
const { prepare } = require('./setup');
const { n8nEnv, startServer } = require('./lib/n8n');
const { freePort } = require('./lib/ports');
const { ensureOwner } = require('./lib/owner');
const { showcaseExample } = require('./lib/examples');

function parseArgs(argv) {
	const args = { real: false, port: undefined };
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--real') args.real = true;
		else if (argv[i] === '--port') args.port = Number(argv[++i]);
		else if (argv[i] === '--help' || argv[i] === '-h') args.help = true;
		else throw new Error(`unknown argument ${argv[i]} (try --help)`);
	}
	return args;
}

function portIsFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** n8n's usual port when it is free, so the URL is the familiar one; otherwise any free port. */
async function pickPort(wanted) {
	if (wanted) return wanted;
	for (let port = 5678; port < 5690; port++) if (await portIsFree(port)) return port;
	return freePort();
}

/** Asks on the terminal; `hidden` answers (the key) are not echoed. One interface for all questions. */
function terminalPrompt() {
	if (!process.stdin.isTTY) {
		throw new Error('--real needs SCAIGRID_BASE_URL and SCAIGRID_API_KEY when there is no terminal to ask on');
	}
	const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
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
				return (await new Promise((resolve) => rl.question(hidden ? '' : question, resolve))).trim();
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
			baseUrl = baseUrl || (await prompt.ask('ScaiGrid base URL [https://scaigrid.scailabs.ai]: ')) || 'https://scaigrid.scailabs.ai';
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
		process.stdout.write(fs.readFileSync(__filename, 'utf8').split('\n').slice(1, 6).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
		return;
	}
	const scaigrid = args.real ? await realScaiGrid() : undefined;
	const ctx = await prepare({
		userFolder: EDITOR_USER_FOLDER,
		scaigrid,
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
		const port = await pickPort(args.port);
		const logFile = path.join(EDITOR_USER_FOLDER, 'n8n.log');
		log(`starting n8n on http://localhost:${port} (its log: ${path.relative(ROOT, logFile)})`);
		const env = n8nEnv(ctx.runtime, { userFolder: EDITOR_USER_FOLDER, port, brokerPort: await freePort(), logLevel: 'info' });
		server = await startServer(ctx.runtime, ctx.n8nBin, env, { logFile });
		server.child.on('exit', (code) => {
			if (!stopping) {
				log(`n8n exited unexpectedly (${code}); see ${logFile}`);
				stopAll(1);
			}
		});
		const { login } = await ensureOwner(server.baseUrl, EDITOR_USER_FOLDER);
		const first = showcaseExample(ctx.examples) || ctx.examples[0];
		const lines = [
			'',
			`  n8n with n8n-nodes-scaigrid ${ctx.pkg.version} is running: ${server.baseUrl}`,
			`  Log in:   ${login.email}   password: ${login.password}`,
			`  ScaiGrid: ${ctx.emulator ? `the local emulator at ${ctx.scaigrid.baseUrl}` : ctx.scaigrid.baseUrl} (credential "${args.real ? 'ScaiGrid' : ctx.credential.name}")`,
			'',
			'  Try first:',
			`   1. Open ${server.baseUrl}/workflow/${first.workflow.id}  (${first.workflow.name})`,
			'      and click "Execute workflow": each tool the model calls comes out on its own branch.',
			`   2. Overview → Workflows lists all ${ctx.examples.length} examples (chat, streaming chat, models, usage reports).`,
			`   3. Overview → Credentials → "${args.real ? 'ScaiGrid' : ctx.credential.name}": n8n tests the key when you save it.`,
			'   4. Add your own: the nodes panel (+), search "ScaiGrid".',
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
