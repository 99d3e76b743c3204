#!/usr/bin/env node
'use strict';
// `npm run emulator [-- --port 8787 --latency 200 --rate-limit 60 --seed-history]`

const { startEmulator } = require('./index');

function parseArgs(argv) {
	const out = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const next = () => argv[++i];
		if (a === '--port') out.port = Number(next());
		else if (a === '--latency') out.latencyMs = Number(next());
		else if (a === '--rate-limit') out.rateLimit = Number(next());
		else if (a === '--seed-history') out.seedHistory = true;
		else if (a === '--host') out.host = next();
		else if (a === '--help' || a === '-h') out.help = true;
		else throw new Error(`unknown argument ${a} (try --help)`);
	}
	return out;
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		console.log(
			'Usage: node emulator/cli.js [--port N] [--host H] [--latency ms] [--rate-limit N|0 (off)] [--seed-history]',
		);
		return;
	}
	const port =
		args.port !== undefined ? args.port : process.env.PORT ? Number(process.env.PORT) : 8787;
	const rateLimit =
		args.rateLimit === undefined
			? undefined
			: args.rateLimit > 0
				? { limit: args.rateLimit, windowMs: 60000 }
				: false;
	const emulator = await startEmulator({
		port,
		host: args.host,
		latencyMs: args.latencyMs,
		rateLimit,
		seedHistory: args.seedHistory,
	});
	console.log(`ScaiGrid emulator listening on ${emulator.url}`);
	console.log(`API key: ${emulator.apiKey}`);
	const stop = () => emulator.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((err) => {
	console.error(err.message);
	process.exit(1);
});
