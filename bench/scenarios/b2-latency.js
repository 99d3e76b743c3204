'use strict';
/**
 * B2: latency-bound chat. 200 items, every answer takes 300 ms (emulator latency), 10 in
 * flight. The ideal is 200 × 0.3 s / 10 = 6 s; goal: total time ≤ 1.1 × ideal, i.e. the node
 * keeps its 10 slots busy and adds little per request. The undici Pool and the HTTP Request
 * node (batches of 10 every 300 ms, its batching option set for this latency) run alongside,
 * interleaved. Figures are medians of the rounds, the ratio our median time ÷ ideal with the
 * quartiles of our rounds (the ideal does not move with the machine's load).
 */
const { withEmulator } = require('../lib/emulator');
const { BASELINE, OURS, PEER, chatContenders, describeRun, warmUp } = require('../lib/contenders');
const { describeSummary, interleaved, round, roundSummary, summary } = require('../lib/timing');

const LATENCY_MS = 300;
const CONCURRENCY = 10;
// Latency-bound, so little noise: enough rounds for a stable median.
const ROUNDS = 5;
const PEER_BATCHING = { batchSize: CONCURRENCY, batchIntervalMs: LATENCY_MS };

async function run({ quick = false } = {}) {
	const items = quick ? 50 : 200;
	const rounds = quick ? 1 : ROUNDS;
	const idealMs = (items * LATENCY_MS) / CONCURRENCY;
	return await withEmulator({ latencyMs: LATENCY_MS, rateLimit: false }, async (emulator) => {
		const options = { items, concurrency: CONCURRENCY, peer: PEER_BATCHING };
		await warmUp(emulator, options);
		const measured = await interleaved(chatContenders({ emulator, ...options }), rounds);
		const seconds = (name) => round(measured[name].median.ms / 1000, 2);
		const ours = seconds(OURS);
		const toIdeal = summary(measured[OURS].runs.map((r) => r.ms / idealMs));
		const failed = describeRun(measured[OURS], items).failed;
		return {
			scenario: `B2 latency-bound, ${items} chat items, latency ${LATENCY_MS} ms, ${CONCURRENCY} in flight`,
			unit: 's',
			ours,
			peers: { [BASELINE]: seconds(BASELINE), [PEER]: seconds(PEER) },
			ratio: `${describeSummary(toIdeal, 3)} ideal ${idealMs / 1000} s`,
			goal: `≤ 1.1 × ideal (${round((1.1 * idealMs) / 1000, 2)} s)`,
			met: failed === 0 && toIdeal.median <= 1.1,
			detail: {
				items,
				rounds,
				idealMs,
				toIdeal: roundSummary(toIdeal),
				peerBatching: PEER_BATCHING,
				runs: Object.fromEntries(
					Object.entries(measured).map(([name, m]) => [name, describeRun(m, items)]),
				),
				quick,
			},
		};
	});
}

module.exports = { run };
