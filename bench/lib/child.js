'use strict';
/**
 * Runs one measured task in a fresh Node process (child_process.fork), so its memory figures
 * are its own: a process that ran something else before keeps that heap. The task is a named
 * export of lib/tasks.js with `prepare(args)` (load and warm up; not measured) and
 * `run(args)` (measured). The child returns the task's result and its memory: RSS after
 * prepare and a forced GC, the peak RSS while `run` ran (sampled every 10 ms, and the
 * kernel's max RSS), and the growth between the two.
 */
const { fork } = require('node:child_process');
const path = require('node:path');

function runInChild(taskName, args) {
	return new Promise((resolve, reject) => {
		const child = fork(path.join(__dirname, 'child-entry.js'), [taskName, JSON.stringify(args)], {
			// Not the parent's flags: under `node -e` they would include the parent's script.
			execArgv: ['--expose-gc'],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		let answer;
		child.on('message', (message) => {
			answer = message;
		});
		child.on('error', reject);
		child.on('exit', (code) => {
			if (answer?.error) reject(new Error(`${taskName} in child: ${answer.error}`));
			else if (answer) resolve(answer);
			else reject(new Error(`${taskName} in child exited with code ${code} and no answer`));
		});
	});
}

module.exports = { runInChild };
