'use strict';
/**
 * B5: memory per chat item, and whether it grows with the number of items. Our Chat node runs
 * 1,000 and then 10,000 items, each N in fresh child processes (lib/child.js: engine loaded and
 * warmed up with 5 items, GC, then RSS sampled every 10 ms during the run). The HTTP Request node
 * does the same at 10,000 for comparison.
 *
 * Two figures per run:
 * - peak RSS growth / N, as asked: what the process needed at its peak, per item;
 * - retained heap / N: the heap the finished execution still holds after a forced GC (n8n keeps
 *   every node's output items in the run data until the execution ends), per item.
 * RSS cannot show a per-item trend at 1,000 items: a fresh process holds ±15 MB of heap pages
 * and freed buffers it has not returned to the OS, and 1,000 items (~15 MB) mostly fit in that
 * (measured: 0 to 14 MB of growth for the same run). The retained heap is exact per item, so the
 * goal is judged on it; each N runs several times and the median counts (1,000: 3 runs; 10,000:
 * 2 runs).
 *
 * Goal: retained heap per item at 10,000 ≤ 1.15 × at 1,000. Why 15 %: heap figures include
 * V8's own structures (maps, code, feedback vectors) that are allocated on first use and vary by
 * a few hundred KB between processes, i.e. a few percent at 1,000 items; a real per-item cost
 * that grows with N (a leak, a list scanned per item) would show as a multiple, not 15 %.
 */
const { withEmulator } = require('../lib/emulator');
const { runInChild } = require('../lib/child');
const { OURS, PEER } = require('../lib/contenders');
const { round } = require('../lib/timing');

const TOLERANCE = 0.15;

const times = (a, b) => (b > 0 ? `${(a / b).toFixed(2)} ×` : 'n/a ×');

async function measureOnce(task, emulator, items) {
	const { result, memory } = await runInChild(task, {
		emulator: { url: emulator.url, apiKey: emulator.apiKey },
		items,
	});
	if (result.failed)
		throw new Error(
			`${task}: ${result.failed} of ${items} items failed: ${JSON.stringify(result.firstError)}`,
		);
	return {
		ms: round(result.ms),
		growthMb: round(memory.growthMb, 1),
		kbPerItem: round((memory.growthMb * 1024) / items, 2),
		rssBeforeMb: round(memory.rssBeforeMb),
		peakRssMb: round(memory.peakRssMb),
		peakHeapGrowthMb: round(memory.peakHeapUsedMb - memory.heapUsedBeforeMb, 1),
		retainedMb: round(result.held.retainedMb, 1),
		retainedKbPerItem: round((result.held.retainedMb * 1024) / items, 2),
	};
}

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length / 2;
	return sorted.length % 2 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** `repeats` fresh processes; the medians per item, and all runs. */
async function measure(task, emulator, items, repeats) {
	const runs = [];
	for (let i = 0; i < repeats; i++) runs.push(await measureOnce(task, emulator, items));
	return {
		items,
		rssKbPerItem: round(median(runs.map((r) => r.kbPerItem)), 2),
		retainedKbPerItem: round(median(runs.map((r) => r.retainedKbPerItem)), 2),
		runs,
	};
}

async function run({ quick = false } = {}) {
	const [small, large] = quick ? [200, 1000] : [1000, 10000];
	return await withEmulator({ latencyMs: 0, rateLimit: false }, async (emulator) => {
		const oursSmall = await measure('ourChat', emulator, small, quick ? 1 : 3);
		const oursLarge = await measure('ourChat', emulator, large, quick ? 1 : 2);
		const peerLarge = await measure('peerChat', emulator, large, 1);
		const kb = (m) =>
			`${m.items.toLocaleString('en')}: RSS ${m.rssKbPerItem}, heap ${m.retainedKbPerItem} KB/item`;
		return {
			scenario: `B5 memory, ${small.toLocaleString('en')} vs ${large.toLocaleString('en')} chat items (fresh process each)`,
			unit: '',
			ours: `${kb(oursLarge)}; ${kb(oursSmall)}`,
			peers: { [PEER]: kb(peerLarge) },
			ratio: `heap/item ${times(oursLarge.retainedKbPerItem, oursSmall.retainedKbPerItem)} at ${small.toLocaleString('en')}; RSS/item ${times(oursLarge.rssKbPerItem, peerLarge.rssKbPerItem)} HTTP Request`,
			goal: `heap/item at ${large.toLocaleString('en')} ≤ ${1 + TOLERANCE} × at ${small.toLocaleString('en')}; RSS/item reported`,
			met: oursLarge.retainedKbPerItem <= oursSmall.retainedKbPerItem * (1 + TOLERANCE),
			detail: {
				[OURS]: { [small]: oursSmall, [large]: oursLarge },
				[PEER]: { [large]: peerLarge },
				tolerance: TOLERANCE,
				quick,
			},
		};
	});
}

module.exports = { run };
