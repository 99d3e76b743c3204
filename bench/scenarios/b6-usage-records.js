'use strict';
/**
 * B6: 100,000 usage records, Return All. The Usage Summary node (Get Records, Simplify on)
 * against undici paging the same range itself (1,000 per page, following `next_cursor`, records
 * kept in memory). Each run is a fresh child process (lib/child.js), so peak memory is its own;
 * ours and undici alternate, best time of the rounds counts. Goal: time ≤ 1.25 × undici; peak
 * memory (RSS growth during the run) reported for both.
 */
const { withEmulator } = require('../lib/emulator');
const { runInChild } = require('../lib/child');
const { round } = require('../lib/timing');

const OURS = 'ScaiGrid Usage Summary node';
const BASELINE = 'undici Pool';

async function run({ quick = false } = {}) {
	const records = quick ? 10_000 : 100_000;
	const rounds = quick ? 1 : 2;
	return await withEmulator({ latencyMs: 0, rateLimit: false }, async (emulator) => {
		// Records one second apart, the newest a minute ago (outside ScaiGrid's recording lag).
		const endMs = Date.now() - 60_000;
		await emulator.addUsageRecords(records, endMs);
		const range = { start: new Date(endMs - (records + 1) * 1000).toISOString(), end: new Date(endMs).toISOString() };
		const args = { emulator: { url: emulator.url, apiKey: emulator.apiKey }, range };
		const runs = { [OURS]: [], [BASELINE]: [] };
		for (let r = 0; r < rounds; r++) {
			const order = r % 2 === 0 ? [OURS, BASELINE] : [BASELINE, OURS];
			for (const name of order) {
				const { result, memory } = await runInChild(name === OURS ? 'ourUsageRecords' : 'undiciUsageRecords', args);
				const count = name === OURS ? result.items : result.records;
				if (count !== records) throw new Error(`${name} returned ${count} records, expected ${records}`);
				runs[name].push({ ms: round(result.ms), growthMb: round(memory.growthMb, 1), peakRssMb: round(memory.peakRssMb) });
			}
		}
		const best = (name) => runs[name].reduce((a, b) => (b.ms < a.ms ? b : a));
		const ours = best(OURS);
		const baseline = best(BASELINE);
		const figure = (m) => `${round(m.ms / 1000, 2)} s, +${m.growthMb} MB`;
		return {
			scenario: `B6 usage records, ${records.toLocaleString('en')}, Return All (time, peak RSS growth)`,
			unit: '',
			ours: figure(ours),
			peers: { [BASELINE]: figure(baseline) },
			ratio: `${(ours.ms / baseline.ms).toFixed(2)} × undici time; ${(ours.growthMb / baseline.growthMb).toFixed(1)} × memory`,
			goal: '≤ 1.25 × undici time; memory reported',
			met: ours.ms <= 1.25 * baseline.ms,
			detail: { records, rounds, runs, bytesPerRecord: { [OURS]: round((ours.growthMb * 1048576) / records), [BASELINE]: round((baseline.growthMb * 1048576) / records) }, quick },
		};
	});
}

module.exports = { run };
