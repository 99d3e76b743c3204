'use strict';
/**
 * Runs a measured task in a Node process of its own (child_process.fork), so its memory figures
 * are its own: a process that ran something else before keeps that heap. The task is a named
 * export of lib/tasks.js with `prepare(args)` (load and warm up; not measured) and
 * `run(args)` (measured). Each run answers with the task's result, the child's CPU time during
 * it (`cpuMs`) and its memory: RSS after a forced GC, the peak RSS while `run` ran (sampled every
 * 10 ms, and the kernel's max RSS), and the growth between the two.
 *
 * `startChild` keeps the child for several runs (interleaved rounds against another child); only
 * its first run has the memory of a fresh process, and `run({ sampleMemory: false })` times a run
 * without sampling memory. `runInChild` is one run in a fresh child.
 */
const { fork } = require('node:child_process');
const path = require('node:path');

async function startChild(taskName, args) {
	const child = fork(path.join(__dirname, 'child-entry.js'), [taskName, JSON.stringify(args)], {
		// Not the parent's flags: under `node -e` they would include the parent's script.
		execArgv: ['--expose-gc'],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	let waiting;
	let exited;
	const next = () => new Promise((resolve, reject) => (waiting = { resolve, reject }));
	child.on('message', (message) => {
		const waiter = waiting;
		waiting = undefined;
		if (!waiter) return;
		if (message.error) waiter.reject(new Error(`${taskName} in child: ${message.error}`));
		else waiter.resolve(message);
	});
	child.on('error', (error) => waiting?.reject(error));
	const gone = new Promise((resolve) => child.on('exit', resolve));
	child.on('exit', (code) => {
		exited = true;
		waiting?.reject(new Error(`${taskName} in child exited with code ${code} and no answer`));
	});
	await next(); // prepared
	return {
		run({ sampleMemory = true } = {}) {
			const answer = next();
			child.send({ run: true, sampleMemory });
			return answer;
		},
		async close() {
			if (!exited) child.disconnect();
			await gone;
		},
	};
}

async function runInChild(taskName, args) {
	const child = await startChild(taskName, args);
	try {
		return await child.run();
	} finally {
		await child.close();
	}
}

module.exports = { startChild, runInChild };
