'use strict';
/**
 * Two contenders, each in a child process of its own (child.js), started once and warmed up. The
 * first run of each, in its fresh process, gives the memory figures; then `rounds` interleaved
 * timed runs, each contender first in every other round, without memory sampling. Returns the
 * fresh runs, every timed run (with the CPU time of the contender's process and the emulator's:
 * where the time goes), and the ratio ours ÷ baseline as the median of the rounds' ratios with
 * its quartiles (timing.js). `check(name, result)` throws when a run did not do the whole job.
 */
const { startChild } = require('./child');
const { cpuMs, round, summary } = require('./timing');

async function childContest({ emulator, ours, baseline, tasks, args, rounds, check }) {
	const names = [ours, baseline];
	const children = {};
	const fresh = {};
	const runs = { [ours]: [], [baseline]: [] };
	try {
		for (const name of names) {
			children[name] = await startChild(tasks[name], args);
			const { result, memory } = await children[name].run();
			check(name, result);
			fresh[name] = {
				ms: round(result.ms),
				growthMb: round(memory.growthMb, 1),
				peakRssMb: round(memory.peakRssMb),
			};
		}
		for (let r = 0; r < rounds; r++) {
			for (const name of r % 2 === 0 ? names : [...names].reverse()) {
				const emulatorBefore = await emulator.cpuUsage();
				const { result, cpuMs: clientCpuMs } = await children[name].run({ sampleMemory: false });
				const emulatorCpuMs = cpuMs(emulatorBefore, await emulator.cpuUsage());
				check(name, result);
				runs[name].push({
					ms: round(result.ms),
					clientCpuMs: round(clientCpuMs),
					emulatorCpuMs: round(emulatorCpuMs),
				});
			}
		}
	} finally {
		await Promise.all(Object.values(children).map((child) => child.close()));
	}
	const median = (name, key) => summary(runs[name].map((m) => m[key])).median;
	const cpu = (name) => ({
		clientCpuMs: round(median(name, 'clientCpuMs')),
		emulatorCpuMs: round(median(name, 'emulatorCpuMs')),
	});
	return {
		fresh,
		runs,
		median,
		medianCpu: { [ours]: cpu(ours), [baseline]: cpu(baseline) },
		ratio: summary(runs[ours].map((m, i) => m.ms / runs[baseline][i].ms)),
	};
}

module.exports = { childContest };
