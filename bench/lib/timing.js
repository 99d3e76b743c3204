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
		await Promise.all(
			Array.from({ length: Math.min(size, count - start) }, (_, k) => task(start + k)),
		);
	}
}

/**
 * Measures several contenders `rounds` times, interleaved (A B C, then C B A, ...), so a noisy
 * neighbour slows all of them instead of one. Each contender is `async () => ({ ms, ...})`.
 * Returns, per contender, every run in round order (`runs`), their ms (`allMs`) and the run of
 * median time (`median`); ratios between contenders come from `pairedRatio` (see below).
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
			return [
				name,
				{
					runs: runs[name],
					median: sorted[Math.floor((sorted.length - 1) / 2)],
					allMs: runs[name].map((run) => Math.round(run.ms)),
				},
			];
		}),
	);
}

/** The value at fraction `p` (0…1) of sorted `values`, linearly interpolated. */
function quantile(sorted, p) {
	const at = (sorted.length - 1) * p;
	const low = Math.floor(at);
	const high = Math.ceil(at);
	return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

/**
 * The median of `values` and their spread: the quartiles (q1, q3: half of the values lie
 * between them), the extremes and the count.
 */
function summary(values) {
	const sorted = [...values].sort((a, b) => a - b);
	return {
		median: quantile(sorted, 0.5),
		q1: quantile(sorted, 0.25),
		q3: quantile(sorted, 0.75),
		min: sorted[0],
		max: sorted[sorted.length - 1],
		n: sorted.length,
	};
}

/**
 * The ratio a ÷ b of two contenders measured by `interleaved`, one per round (the two ran back
 * to back, each first in every other round), summarised (`summary`). A round's ratio compares
 * two runs made under the same load, so a neighbour's burst or a slow drift of the machine
 * moves both and not the ratio; the median then ignores the rounds that a burst hit between
 * the two. `value(run)` picks what is compared (default: time).
 */
function pairedRatio(measured, a, b, value = (run) => run.ms) {
	return summary(measured[a].runs.map((run, i) => value(run) / value(measured[b].runs[i])));
}

/** A summary's numbers, rounded for a result's detail. */
const roundSummary = (s) =>
	Object.fromEntries(Object.entries(s).map(([key, value]) => [key, round(value, 3)]));

/** "1.02 × (IQR 0.97–1.08, 9 rounds)": a summary as the results table shows it. */
function describeSummary(s, digits = 2, unit = ' ×') {
	return `${s.median.toFixed(digits)}${unit} (IQR ${s.q1.toFixed(digits)}–${s.q3.toFixed(digits)}, ${s.n} rounds)`;
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

module.exports = {
	quantile,
	timed,
	runConcurrently,
	runInBatches,
	interleaved,
	summary,
	pairedRatio,
	describeSummary,
	roundSummary,
	cpuMs,
	withCpu,
	itemsPerSecond,
	round,
};
