'use strict';
/**
 * The child side of lib/child.js: prepares the task, then runs it each time the parent asks
 * (`{ run: true }`) and answers with its result and memory, until the parent disconnects.
 */
const { profiled } = require('./profile');
const tasks = require('./tasks');

const MB = 1024 * 1024;

/**
 * One measured run. With `sampleMemory`: RSS after a forced GC, then sampled every 10 ms while
 * the task runs (the sampling costs time, about 0.1-0.3 s in a B6 run on a busy machine: the
 * timed rounds go without it).
 */
async function measure(taskName, task, args, state, sampleMemory) {
	global.gc();
	const before = process.memoryUsage();
	let peak = before.rss;
	let peakHeap = before.heapUsed;
	const sample = () => {
		const now = process.memoryUsage();
		peak = Math.max(peak, now.rss);
		peakHeap = Math.max(peakHeap, now.heapUsed);
	};
	const sampler = sampleMemory ? setInterval(sample, 10) : undefined;
	const cpuBefore = process.cpuUsage();
	const result = await profiled(taskName, () => task.run(args, state));
	const cpu = process.cpuUsage(cpuBefore);
	clearInterval(sampler);
	sample();
	const rssBefore = before.rss;
	const maxRss = process.resourceUsage().maxRSS * 1024;
	return {
		result,
		// CPU time of this process during the run (user + system), to set beside its wall time.
		cpuMs: (cpu.user + cpu.system) / 1000,
		memory: sampleMemory && {
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

async function main() {
	const [taskName, argsJson] = process.argv.slice(2);
	const task = tasks[taskName];
	if (!task) throw new Error(`no task ${taskName} in lib/tasks.js`);
	const args = JSON.parse(argsJson);
	const state = await task.prepare(args);
	process.on('message', (message) => {
		if (!message.run) return;
		measure(taskName, task, args, state, message.sampleMemory !== false).then(
			(answer) => process.send(answer),
			(error) => process.send({ error: error.stack || String(error) }),
		);
	});
	// n8n-core keeps handles open after a run: leave when the parent is done with this child.
	process.on('disconnect', () => process.exit(0));
	process.send({ ready: true });
}

main().catch((error) =>
	process.send({ error: error.stack || String(error) }, () => process.exit(1)),
);
