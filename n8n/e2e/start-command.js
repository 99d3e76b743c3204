'use strict';
// Leg "start": `npm run n8n` as someone who builds their own workflow uses it. Runs n8n/start.js
// twice on a user folder of its own (with --no-build: the run has just built the package):
//   1. with the emulator's port taken by another program: it must take the next free port, and
//      print n8n's URL and the emulator's URL and API key; the key must work at that URL.
//   2. again, with that port free: the emulator must come back on the same port with the same
//      key, so a credential made by hand in run 1 still works.
// Each run is stopped with SIGINT (Ctrl-C) and must exit 0.

const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');

const { E2E_USER_FOLDER, N8N_DIR } = require('../lib/paths');
const { freePort } = require('../lib/ports');

const START = path.join(N8N_DIR, 'start.js');

/** Starts start.js; resolves with its printed banner once "Ctrl-C stops" appears. */
function runStart(args, timeoutMs = 240000) {
	const child = spawn(process.execPath, [START, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	child.stdout.on('data', (d) => (out += d));
	child.stderr.on('data', (d) => (out += d));
	const exited = new Promise((resolve) =>
		child.on('exit', (code, signal) => resolve(code ?? signal)),
	);
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return exited;
		child.kill('SIGINT');
		const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
		const code = await exited;
		clearTimeout(timer);
		return code;
	};
	const banner = new Promise((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`no banner within ${timeoutMs / 1000} s; output:\n${out}`)),
			timeoutMs,
		);
		child.stdout.on('data', () => {
			if (out.includes('Ctrl-C stops')) {
				clearTimeout(timer);
				resolve(out);
			}
		});
		exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`start.js exited (${code}) before its banner; output:\n${out}`));
		});
	});
	return { banner, stop, output: () => out };
}

/** What the banner offers the user: n8n's URL, the emulator's Base URL and API key. */
function parseBanner(text) {
	const match = (re) => (text.match(re) || [])[1];
	return {
		n8nUrl: match(/is running: (http\S+)/),
		baseUrl: match(/Base URL: (http\S+)/),
		apiKey: match(/API Key: +(\S+)/),
	};
}

async function checkRun(label, banner, problems) {
	const b = parseBanner(banner);
	if (!b.n8nUrl) problems.push(`${label}: the banner has no n8n URL`);
	if (!b.baseUrl || !b.apiKey) {
		problems.push(
			`${label}: the banner does not show the emulator's Base URL and API Key to paste into a credential`,
		);
		return b;
	}
	const res = await fetch(`${b.baseUrl}/v1/models?limit=1`, {
		headers: { Authorization: `Bearer ${b.apiKey}` },
	});
	if (res.status !== 200)
		problems.push(
			`${label}: GET ${b.baseUrl}/v1/models with the printed key answered ${res.status}`,
		);
	if (b.n8nUrl) {
		const health = await fetch(`${b.n8nUrl}/healthz`).catch((error) => ({ status: error.message }));
		if (health.status !== 200)
			problems.push(`${label}: ${b.n8nUrl}/healthz answered ${health.status}`);
	}
	return b;
}

function listen(port) {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve(server));
	});
}

async function startCommandCheck() {
	const problems = [];
	const userFolder = path.join(E2E_USER_FOLDER, 'start-command');
	const taken = await freePort();
	const blocker = await listen(taken);
	const common = ['--no-build', '--user-folder', userFolder];
	let first;
	let run = runStart([
		...common,
		'--port',
		String(await freePort()),
		'--emulator-port',
		String(taken),
	]);
	try {
		first = await checkRun('run 1', await run.banner, problems);
		const port = first.baseUrl && Number(new URL(first.baseUrl).port);
		if (port === taken)
			problems.push(`run 1: the emulator reports port ${taken}, which another program held`);
		else if (port && (port < taken || port > taken + 20))
			problems.push(`run 1: emulator on ${port}, expected the next free port after ${taken}`);
	} finally {
		const code = await run.stop();
		if (code !== 0) problems.push(`run 1: Ctrl-C ended start.js with ${code}, expected 0`);
		blocker.close();
	}
	if (!first || !first.baseUrl) return { problems };

	run = runStart([...common, '--port', String(await freePort())]);
	let second;
	try {
		second = await checkRun('run 2', await run.banner, problems);
		if (second.baseUrl !== first.baseUrl)
			problems.push(
				`run 2: the emulator moved from ${first.baseUrl} to ${second.baseUrl}; a credential made by hand would break`,
			);
		if (second.apiKey !== first.apiKey)
			problems.push('run 2: the emulator API key changed between runs');
	} finally {
		const code = await run.stop();
		if (code !== 0) problems.push(`run 2: Ctrl-C ended start.js with ${code}, expected 0`);
	}
	return {
		problems,
		detail: `emulator ${first.baseUrl} (port ${taken} was taken) in both runs; n8n ${first.n8nUrl}, then ${second && second.n8nUrl}`,
	};
}

module.exports = { startCommandCheck, parseBanner };
