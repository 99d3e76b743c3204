'use strict';
/**
 * B2: latency-bound chat. 200 items, every answer takes 300 ms (emulator latency), 10 in
 * flight. The ideal is 200 × 0.3 s / 10 = 6 s; goal: total time ≤ 1.1 × ideal, i.e. the node
 * keeps its 10 slots busy and adds little per request. The undici Pool and the HTTP Request
 * node (batches of 10 every 300 ms, its batching option set for this latency) run alongside.
 */
const { withEmulator } = require('../lib/emulator');
const { BASELINE, OURS, PEER, chatContenders, describeRun, warmUp } = require('../lib/contenders');
const { interleaved, round } = require('../lib/timing');

const LATENCY_MS = 300;
const CONCURRENCY = 10;
const PEER_BATCHING = { batchSize: CONCURRENCY, batchIntervalMs: LATENCY_MS };

async function run({ quick = false } = {}) {
	const items = quick ? 50 : 200;
	const rounds = quick ? 1 : 2;
	const idealMs = (items * LATENCY_MS) / CONCURRENCY;
	return await withEmulator({ latencyMs: LATENCY_MS, rateLimit: false }, async (emulator) => {
		const options = { items, concurrency: CONCURRENCY, peer: PEER_BATCHING };
		await warmUp(emulator, options);
		const measured = await interleaved(chatContenders({ emulator, ...options }), rounds);
		const seconds = (name) => round(measured[name].best.ms / 1000, 2);
		const ours = seconds(OURS);
		return {
			scenario: `B2 latency-bound, ${items} chat items, latency ${LATENCY_MS} ms, ${CONCURRENCY} in flight`,
			unit: 's',
			ours,
			peers: { [BASELINE]: seconds(BASELINE), [PEER]: seconds(PEER) },
			ratio: `${(measured[OURS].best.ms / idealMs).toFixed(3)} × ideal ${idealMs / 1000} s`,
			goal: `≤ 1.1 × ideal (${round((1.1 * idealMs) / 1000, 2)} s)`,
			met: measured[OURS].best.failed === 0 && measured[OURS].best.ms <= 1.1 * idealMs,
			detail: {
				items,
				rounds,
				idealMs,
				peerBatching: PEER_BATCHING,
				runs: Object.fromEntries(Object.entries(measured).map(([name, m]) => [name, describeRun(m, items)])),
				quick,
			},
		};
	});
}

module.exports = { run };
