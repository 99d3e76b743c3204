'use strict';
/**
 * B6: 100,000 usage records, Return All. The Usage Summary node (Get Records, Simplify on)
 * against undici paging the same range itself (1,000 per page, following `next_cursor`, records
 * kept in memory). Goal: time ≤ 1.25 × undici; peak memory (RSS growth during the run) reported
 * for both.
 *
 * Each contender runs in a process of its own, memory from its first run, then ROUNDS
 * interleaved timed runs (lib/contest.js): the time figures are medians, the ratio the median of
 * the rounds' ratios with its quartiles. The detail has, per timed run, the CPU time of the
 * contender's process and of the emulator's: where the time goes.
 */
const { withEmulator } = require('../lib/emulator');
const { childContest } = require('../lib/contest');
const { describeSummary, round, roundSummary } = require('../lib/timing');

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
		const { fresh, runs, median, medianCpu, ratio } = await childContest({
			emulator,
			ours: OURS,
			baseline: BASELINE,
			tasks: TASKS,
			args,
			rounds,
			check: (name, result) => {
				const count = name === OURS ? result.items : result.records;
				if (count !== records)
					throw new Error(`${name} returned ${count} records, expected ${records}`);
			},
		});
		const figure = (name) =>
			`${round(median(name, 'ms') / 1000, 2)} s, +${fresh[name].growthMb} MB`;
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
				medianCpu,
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
