'use strict';
// Runs the installed n8n: one-shot CLI commands (import, execute) and the server (`n8n start`),
// always with Node 24 and an n8n user folder of ours, never the user's ~/.n8n.

const fs = require('node:fs');
const { spawn } = require('node:child_process');

const { log } = require('./log');
const { runtimeEnv } = require('./runtime');

/**
 * The environment every n8n process gets. The notes (section 2) list why: no telemetry, version
 * checks or template fetches (the editor and the tests need localhost only), plain-HTTP cookies on
 * localhost.
 */
function n8nEnv(runtime, { userFolder, port, brokerPort, logLevel = 'warn', extra = {} }) {
	const env = runtimeEnv(runtime);
	// Our own settings win over whatever N8N_* the caller's shell has.
	for (const key of Object.keys(env))
		if (key.startsWith('N8N_') || key.startsWith('DB_')) delete env[key];
	return {
		...env,
		N8N_USER_FOLDER: userFolder,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL: logLevel,
		...(port && { N8N_PORT: String(port) }),
		// The task-runner broker listens on its own port (default 5679); a CLI command beside a
		// running `n8n start`, or two n8n instances, need different ones.
		...(brokerPort && { N8N_RUNNERS_BROKER_PORT: String(brokerPort) }),
		...extra,
	};
}

/** Runs `n8n <args>` to completion: `{ code, stdout, stderr, ms }`. */
function runCli(runtime, n8nBin, args, env, { timeoutMs = 300000 } = {}) {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(runtime.nodeBin, [n8nBin, ...args], {
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`n8n ${args[0]} did not finish in ${timeoutMs / 1000} s`));
		}, timeoutMs);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr, ms: Date.now() - started });
		});
	});
}

/** Runs a CLI command that must succeed (imports), with its output shown only on failure. */
async function runCliChecked(runtime, n8nBin, args, env) {
	const result = await runCli(runtime, n8nBin, args, env);
	if (result.code !== 0) {
		throw new Error(
			`n8n ${args.join(' ')} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`,
		);
	}
	return result;
}

/**
 * Starts `n8n start` in its own process group (n8n starts task-runner children; stopping the
 * group stops them all). Output goes to `logFile`. Resolves once the editor answers.
 */
async function startServer(runtime, n8nBin, env, { logFile, timeoutMs = 180000 }) {
	const out = fs.openSync(logFile, 'a');
	const child = spawn(runtime.nodeBin, [n8nBin, 'start'], {
		env,
		stdio: ['ignore', out, out],
		detached: true,
	});
	fs.closeSync(out);
	const baseUrl = `http://localhost:${env.N8N_PORT}`;
	let exited = null;
	child.on('exit', (code, signal) => (exited = { code, signal }));
	const server = {
		child,
		baseUrl,
		logFile,
		stop: () => stopGroup(child),
	};
	const started = Date.now();
	for (;;) {
		if (exited)
			throw new Error(
				`n8n start exited (${exited.code ?? exited.signal}) before it answered; see ${logFile}`,
			);
		if (Date.now() - started > timeoutMs) {
			await server.stop();
			throw new Error(
				`n8n did not answer on ${baseUrl} within ${timeoutMs / 1000} s; see ${logFile}`,
			);
		}
		try {
			// The port opens before the REST API is mounted (meanwhile /rest/settings can answer 200
			// with a page, or 404): ready means the settings JSON the editor loads first.
			const res = await fetch(`${baseUrl}/rest/settings`);
			const body = res.ok ? await res.json().catch(() => null) : null;
			if (body && body.data && body.data.userManagement) break;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	log(`n8n answered on ${baseUrl} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return server;
}

/** SIGTERM to the whole process group, SIGKILL if it is still there after 10 s. */
function stopGroup(child) {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) return resolve();
		const kill = (signal) => {
			try {
				process.kill(-child.pid, signal);
			} catch {
				// already gone
			}
		};
		const timer = setTimeout(() => kill('SIGKILL'), 10000);
		child.once('exit', () => {
			clearTimeout(timer);
			kill('SIGKILL'); // leftover runner children of the group
			resolve();
		});
		kill('SIGTERM');
	});
}

module.exports = { n8nEnv, runCli, runCliChecked, startServer, stopGroup };
