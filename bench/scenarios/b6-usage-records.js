'use strict';
/**
 * B6: 100,000 usage records, Return All. The Usage Summary node (Get Records, Simplify on)
 * against undici paging the same range itself (1,000 per page, following `next_cursor`, records
 * kept in memory). Goal: time ≤ 1.25 × undici; peak memory (RSS growth during the run) reported
 * for both.
 *
 * Each contender runs in a process of its own (lib/child.js), started once and warmed up. Its
 * first run, in the fresh process, gives the memory figures (RSS sampled every 10 ms). Then the
 * two run in turn, ROUNDS times, each first in every other round, without memory sampling: the
 * time figures are medians, the ratio the median of the rounds' ratios with its quartiles
 * (lib/timing.js). The detail has, per timed run, the CPU time of the contender's process and
 * of the emulator's: where the time goes.
 */
const { withEmulator } = require('../lib/emulator');
const { startChild } = require('../lib/child');
const { cpuMs, describeSummary, round, roundSummary, summary } = require('../lib/timing');

const OURS = 'ScaiGrid Usage Summary node';
const BASELINE = 'undici Pool';
const TASKS = { [OURS]: 'ourUsageRecords', [BASELINE]: 'undiciUsageRecords' };
// Enough rounds that two runs' median ratios agree within 10 % on a shared 2-core machine.
const ROUNDS = 11;

async function run({ quick = false } = {}) {
	const records = quick ? 10_000 : 100_000;
	const rounds = quick ? 3 : ROUNDS;
	return await withEmulator({ latencyMs: 0, rateLimit: false }, async (emulator) => {
		// Records one second apart, the newest a minute ago (outside ScaiGrid's recording lag).
		const endMs = Date.now() - 60_000;
		await emulator.addUsageRecords(records, endMs);
		const range = {
			start: new Date(endMs - (records + 1) * 1000).toISOString(),
			end: new Date(endMs).toISOString(),
		};
		const args = { emulator: { url: emulator.url, apiKey: emulator.apiKey }, range };
		const children = {};
		const runs = { [OURS]: [], [BASELINE]: [] };
		const fresh = {};
		try {
			for (const name of [OURS, BASELINE]) {
				children[name] = await startChild(TASKS[name], args);
				const { result, memory } = await children[name].run();
				fresh[name] = {
					ms: round(result.ms),
					growthMb: round(memory.growthMb, 1),
					peakRssMb: round(memory.peakRssMb),
				};
			}
			for (let r = 0; r < rounds; r++) {
				const order = r % 2 === 0 ? [OURS, BASELINE] : [BASELINE, OURS];
				for (const name of order) {
					const emulatorBefore = await emulator.cpuUsage();
					const { result, cpuMs: clientCpuMs } = await children[name].run({ sampleMemory: false });
					const emulatorCpuMs = cpuMs(emulatorBefore, await emulator.cpuUsage());
					const count = name === OURS ? result.items : result.records;
					if (count !== records)
						throw new Error(`${name} returned ${count} records, expected ${records}`);
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
		const ratio = summary(runs[OURS].map((m, i) => m.ms / runs[BASELINE][i].ms));
		const figure = (name) =>
			`${round(median(name, 'ms') / 1000, 2)} s, +${fresh[name].growthMb} MB`;
		const cpu = (name) => ({
			clientCpuMs: round(median(name, 'clientCpuMs')),
			emulatorCpuMs: round(median(name, 'emulatorCpuMs')),
		});
		return {
			scenario: `B6 usage records, ${records.toLocaleString('en')}, Return All (median time, peak RSS growth of a fresh process)`,
			unit: '',
			ours: figure(OURS),
			peers: { [BASELINE]: figure(BASELINE) },
			ratio: `${describeSummary(ratio)} undici time; ${(fresh[OURS].growthMb / fresh[BASELINE].growthMb).toFixed(1)} × memory`,
			goal: '≤ 1.25 × undici time; memory reported',
			met: ratio.median <= 1.25,
			detail: {
				records,
				rounds,
				ratio: roundSummary(ratio),
				medianCpu: { [OURS]: cpu(OURS), [BASELINE]: cpu(BASELINE) },
				runs,
				freshProcessRun: fresh,
				bytesPerRecord: Object.fromEntries(
					Object.entries(fresh).map(([name, m]) => [name, round((m.growthMb * 1048576) / records)]),
				),
				quick,
			},
		};
	});
}

module.exports = { run };
