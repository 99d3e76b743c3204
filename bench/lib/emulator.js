'use strict';
/**
 * The emulator for benchmarks: started in its own process (emulator-process.js), so the client
 * under test has a core to itself and the emulator's work is not counted as ours. Options are
 * startEmulator's; `logRequests` defaults to false here (the log would grow with every request).
 */
const { fork } = require('node:child_process');
const path = require('node:path');

async function startEmulatorProcess(options = {}) {
	const child = fork(
		path.join(__dirname, 'emulator-process.js'),
		[JSON.stringify({ logRequests: false, ...options })],
		{
			execArgv: [], // not the parent's flags (a profiler flag would profile the emulator too)
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		},
	);
	const pending = new Map();
	let nextId = 0;
	const ready = new Promise((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`emulator process exited with code ${code}`)));
		child.on('message', (message) => {
			if (message.ready) return resolve(message.ready);
			const waiter = pending.get(message.id);
			if (!waiter) return;
			pending.delete(message.id);
			if (message.error) waiter.reject(new Error(`emulator: ${message.error}`));
			else waiter.resolve(message.value);
		});
	});
	const { url, apiKey } = await ready;
	const ask = (command, argument) =>
		new Promise((resolve, reject) => {
			const id = ++nextId;
			pending.set(id, { resolve, reject });
			child.send({ id, command, argument });
		});

	return {
		url,
		apiKey,
		pid: child.pid,
		setLatency: (ms) => ask('setLatency', ms),
		setRateLimit: (config) => ask('setRateLimit', config),
		/** Adds `count` usage records, one second apart, the newest a second before `endMs`. */
		addUsageRecords: (count, endMs) => ask('addUsageRecords', { count, endMs }),
		/** The emulator process's CPU time so far (process.cpuUsage()). */
		cpuUsage: () => ask('cpuUsage'),
		/** Only with `logRequests: true`. */
		requests: () => ask('requests'),
		clearRequests: () => ask('clearRequests'),
		close: () =>
			new Promise((resolve) => {
				child.once('exit', () => resolve());
				child.disconnect();
			}),
	};
}

/** Runs `fn(emulator)` with an emulator process that is closed afterwards, whatever happens. */
async function withEmulator(options, fn) {
	const emulator = await startEmulatorProcess(options);
	try {
		return await fn(emulator);
	} finally {
		await emulator.close();
	}
}

module.exports = { startEmulatorProcess, withEmulator };
