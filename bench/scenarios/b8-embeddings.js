'use strict';
/**
 * B8: 10,000 texts embedded (openai/text-embedding-3-small, 1536 dimensions). The ScaiGrid node's
 * Embedding → Create reading each item's `text` field (Text From: Field; default Batch Size, 3
 * batches in flight) against an undici Pool batching the same way, every vector kept per text.
 * Goal: time ≤ 1.25 × undici; memory per item (RSS growth of a fresh process ÷ items) reported
 * for both. `B8_BATCH_SIZE=50` runs both at another Batch Size (how the default was chosen).
 *
 * Method as B6 (lib/contest.js): a process per contender, memory from its first run, then ROUNDS
 * interleaved timed runs; the ratio is the median of the rounds' ratios with its quartiles.
 */
const { withEmulator } = require('../lib/emulator');
const { BATCH_SIZE } = require('../lib/embed');
const { childContest } = require('../lib/contest');
const { describeSummary, round, roundSummary } = require('../lib/timing');

const OURS = 'ScaiGrid node (Embedding)';
const BASELINE = 'undici Pool';
const TASKS = { [OURS]: 'ourEmbeddings', [BASELINE]: 'undiciEmbeddings' };
const ROUNDS = 7;

async function run({ quick = false } = {}) {
	const items = quick ? 2_000 : 10_000;
	const rounds = quick ? 3 : ROUNDS;
	const batchSize = Number(process.env.B8_BATCH_SIZE) || BATCH_SIZE;
	return await withEmulator({ latencyMs: 0, rateLimit: false }, async (emulator) => {
		const args = { emulator: { url: emulator.url, apiKey: emulator.apiKey }, items, batchSize };
		const { fresh, runs, median, medianCpu, ratio } = await childContest({
			emulator,
			ours: OURS,
			baseline: BASELINE,
			tasks: TASKS,
			args,
			rounds,
			check: (name, result) => {
				if (result.items !== items || result.failed)
					throw new Error(
						`${name}: ${result.items} items, ${result.failed} failed: ${JSON.stringify(result.firstError ?? result.error)}`,
					);
			},
		});
		const perItemKb = (name) => round((fresh[name].growthMb * 1024) / items, 1);
		const figure = (name) => `${round(median(name, 'ms') / 1000, 2)} s, ${perItemKb(name)} KB/item`;
		return {
			scenario: `B8 embeddings, ${items.toLocaleString('en')} texts, batch ${batchSize} (median time, RSS growth per item of a fresh process)`,
			unit: '',
			ours: figure(OURS),
			peers: { [BASELINE]: figure(BASELINE) },
			ratio: `${describeSummary(ratio)} undici time; ${(fresh[OURS].growthMb / fresh[BASELINE].growthMb).toFixed(1)} × memory`,
			goal: '≤ 1.25 × undici time; memory per item reported',
			met: ratio.median <= 1.25,
			detail: {
				items,
				batchSize,
				rounds,
				ratio: roundSummary(ratio),
				medianCpu,
				runs,
				freshProcessRun: fresh,
				quick,
			},
		};
	});
}

module.exports = { run };
