'use strict';
/**
 * Optional CPU profiles of the measured part only (not engine start-up): with
 * `BENCH_CPU_PROF=<dir>` set, `profiled(label, fn)` records a .cpuprofile of `fn` into <dir>
 * (open it in Chrome DevTools or VS Code). Without it, `fn` just runs.
 */
const fs = require('node:fs');
const path = require('node:path');
const { Session } = require('node:inspector');

async function profiled(label, fn) {
	const dir = process.env.BENCH_CPU_PROF;
	if (!dir) return await fn();
	const session = new Session();
	session.connect();
	const post = (method, params) =>
		new Promise((resolve, reject) =>
			session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
		);
	await post('Profiler.enable');
	await post('Profiler.setSamplingInterval', { interval: 100 });
	await post('Profiler.start');
	try {
		return await fn();
	} finally {
		const { profile } = await post('Profiler.stop');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(
			dir,
			`${label.replace(/[^\w.-]+/g, '_')}-${process.pid}-${Date.now()}.cpuprofile`,
		);
		fs.writeFileSync(file, JSON.stringify(profile));
		session.disconnect();
	}
}

module.exports = { profiled };
