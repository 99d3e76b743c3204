'use strict';
/** Timing and small statistics shared by the scenarios. */
const { performance } = require('node:perf_hooks');

/** Runs `fn` and returns its result with the wall time it took, `ms`. */
async function timed(fn) {
	const started = performance.now();
	const value = await fn();
	return { ms: performance.now() - started, value };
}

/** Runs `task(i)` for i = 0…count-1, at most `concurrency` at a time. */
async function runConcurrently(count, concurrency, task) {
	let next = 0;
	const worker = async () => {
		while (next < count) await task(next++);
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** The HTTP Request node's batching: `size` tasks at once, the next batch when all are done. */
async function runInBatches(count, size, task) {
	for (let start = 0; start < count; start += size) {
		await Promise.all(Array.from({ length: Math.min(size, count - start) }, (_, k) => task(start + k)));
	}
}

/**
 * Measures several contenders `rounds` times, interleaved (A B C, then C B A, ...), so a noisy
 * neighbour slows all of them instead of one. Each contender is `async () => ({ ms, ...})`.
 * Returns, per contender, the fastest run (best of N is the least noisy estimate of what the
 * code can do on a shared machine) and every run's ms.
 */
async function interleaved(contenders, rounds) {
	const names = Object.keys(contenders);
	const runs = Object.fromEntries(names.map((name) => [name, []]));
	for (let round = 0; round < rounds; round++) {
		const order = round % 2 === 0 ? names : [...names].reverse();
		for (const name of order) runs[name].push(await contenders[name]());
	}
	return Object.fromEntries(
		names.map((name) => {
			const sorted = [...runs[name]].sort((a, b) => a.ms - b.ms);
			return [name, { best: sorted[0], allMs: runs[name].map((run) => Math.round(run.ms)) }];
		}),
	);
}

/** CPU time (user + system, ms) a process spent between two process.cpuUsage() readings. */
function cpuMs(before, after) {
	return (after.user - before.user + after.system - before.system) / 1000;
}

/**
 * Runs `fn` (→ `{ ms, ... }`) and adds the CPU time it cost in this process (`clientCpuMs`) and
 * in the emulator's (`emulatorCpuMs`): where the time went when the two compete for 2 cores.
 */
async function withCpu(emulator, fn) {
	const client = process.cpuUsage();
	const server = await emulator.cpuUsage();
	const result = await fn();
	const clientCpuMs = cpuMs(client, process.cpuUsage());
	const emulatorCpuMs = cpuMs(server, await emulator.cpuUsage());
	return { ...result, clientCpuMs, emulatorCpuMs };
}

const itemsPerSecond = (items, ms) => (items / ms) * 1000;

const round = (value, digits = 0) => {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
};

module.exports = { timed, runConcurrently, runInBatches, interleaved, cpuMs, withCpu, itemsPerSecond, round };
