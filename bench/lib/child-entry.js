'use strict';
/** The child side of lib/child.js. */
const { profiled } = require('./profile');
const tasks = require('./tasks');

const MB = 1024 * 1024;

async function main() {
	const [taskName, argsJson] = process.argv.slice(2);
	const task = tasks[taskName];
	if (!task) throw new Error(`no task ${taskName} in lib/tasks.js`);
	const args = JSON.parse(argsJson);
	const state = await task.prepare(args);
	global.gc();
	const before = process.memoryUsage();
	let peak = before.rss;
	let peakHeap = before.heapUsed;
	const sample = () => {
		const now = process.memoryUsage();
		peak = Math.max(peak, now.rss);
		peakHeap = Math.max(peakHeap, now.heapUsed);
	};
	const sampler = setInterval(sample, 10);
	const result = await profiled(taskName, () => task.run(args, state));
	clearInterval(sampler);
	sample();
	const rssBefore = before.rss;
	const maxRss = process.resourceUsage().maxRSS * 1024;
	return {
		result,
		memory: {
			rssBeforeMb: rssBefore / MB,
			peakRssMb: peak / MB,
			maxRssMb: maxRss / MB,
			heapUsedBeforeMb: before.heapUsed / MB,
			peakHeapUsedMb: peakHeap / MB,
			// The sampled peak: the kernel's max RSS also covers prepare (start-up, warm-up).
			growthMb: (peak - rssBefore) / MB,
		},
	};
}

// Exit once the answer is sent: n8n-core keeps handles open after a run.
const answer = (message, code) => process.send(message, () => process.exit(code));
main().then(
	(message) => answer(message, 0),
	(error) => answer({ error: error.stack || String(error) }, 1),
);
