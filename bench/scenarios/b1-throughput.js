'use strict';
/**
 * B1: chat throughput, emulator latency 0. 2,000 items through our Chat node, the same calls
 * through n8n's HTTP Request node and through an undici Pool, 10 in flight, interleaved rounds.
 * Goal: our items/s ≥ 0.8 × the undici baseline, and ≥ the HTTP Request node. Each figure is the
 * median of the rounds; each ratio the median of the rounds' ratios (lib/timing.js pairedRatio),
 * with its quartiles.
 *
 * With latency 0, items/s is set by CPU per request, on the client and in the emulator. So the
 * detail also has the CPU time per item of each, and four diagnostic runs that show where the
 * limit is: the emulator's ceiling (undici at 50 in flight), undici without keep-alive (n8n's
 * helper opens a connection per request), n8n's outbound HTTP helper alone (what every n8n
 * node's requests go through) with each slot refilled as its answer comes in, the same helper in
 * batches of 10 (the HTTP Request node's batching, and close to how our nodes refill their free
 * slots together: with no latency, 10 requests sent together and answered together cost less CPU
 * each), and the CPU time of the header expression n8n evaluates before each request of a
 * credential in the declarative form (ours adds its header with a method instead).
 */
const { withEmulator } = require('../lib/emulator');
const { BASELINE, OURS, PEER, chatContenders, describeRun, warmUp } = require('../lib/contenders');
const { chatWithN8nHelper, credentialExpressionCpuUs } = require('../lib/n8n-http');
const { profiled } = require('../lib/profile');
const { chatWithPool } = require('../lib/undici');
const {
	describeSummary,
	interleaved,
	itemsPerSecond,
	pairedRatio,
	round,
	roundSummary,
	withCpu,
} = require('../lib/timing');
const { questionItems } = require('../lib/workflows');

const CONCURRENCY = 10;
// The peer's batching: 10 items per batch (like our 10 in flight), the smallest pause n8n
// accepts as "batching on" (an interval of 0 turns batching off: every item at once).
const PEER_BATCHING = { batchSize: CONCURRENCY, batchIntervalMs: 1 };
const NO_KEEP_ALIVE = 'undici, no keep-alive';
// Enough rounds that two runs' median ratios agree within 10 % on a shared 2-core machine.
const ROUNDS = 9;

async function diagnostics(emulator, items) {
	const questions = questionItems(items).map((item) => item.question);
	const call = { url: emulator.url, apiKey: emulator.apiKey, questions };
	const runs = {
		'undici, 50 in flight (emulator ceiling)': () => chatWithPool({ ...call, concurrency: 50 }),
		[NO_KEEP_ALIVE]: () => chatWithPool({ ...call, concurrency: CONCURRENCY, keepAlive: false }),
		"n8n's HTTP helper alone, each slot refilled as its answer comes in": () =>
			chatWithN8nHelper({ ...call, concurrency: CONCURRENCY }),
		"n8n's HTTP helper alone, in batches of 10 (the HTTP Request node's pattern, close to ours)":
			() => chatWithN8nHelper({ ...call, concurrency: CONCURRENCY, batched: true }),
	};
	const out = {};
	for (const [name, run] of Object.entries(runs)) {
		const measured = await withCpu(emulator, run);
		out[name] = {
			itemsPerSecond: round(itemsPerSecond(items, measured.ms)),
			clientCpuUsPerItem: Math.round((measured.clientCpuMs * 1000) / items),
			emulatorCpuUsPerItem: Math.round((measured.emulatorCpuMs * 1000) / items),
		};
	}
	out["a declarative credential's header expression, CPU per request (ours uses a method)"] = {
		cpuUs: Math.round(credentialExpressionCpuUs()),
	};
	return out;
}

async function run({ quick = false } = {}) {
	const items = quick ? 200 : 2000;
	const rounds = quick ? 2 : ROUNDS;
	return await withEmulator({ latencyMs: 0, rateLimit: false }, async (emulator) => {
		const options = { items, concurrency: CONCURRENCY, peer: PEER_BATCHING };
		await warmUp(emulator, options);
		const measured = await profiled('b1', () =>
			interleaved(chatContenders({ emulator, ...options }), rounds),
		);
		const rate = (name) => round(itemsPerSecond(items, measured[name].median.ms));
		const ours = rate(OURS);
		const baseline = rate(BASELINE);
		const peer = rate(PEER);
		// items/s ours ÷ theirs = their time ÷ ours, round by round
		const toPeer = pairedRatio(measured, PEER, OURS);
		const toBaseline = pairedRatio(measured, BASELINE, OURS);
		const failed = [OURS, PEER, BASELINE].reduce(
			(sum, name) => sum + describeRun(measured[name], items).failed,
			0,
		);
		const found = await diagnostics(emulator, items);
		// Every n8n node opens a connection per request (see bench/README.md); undici doing the
		// same is the most any n8n node could reach, measured in the same run.
		const connectionBound = found[NO_KEEP_ALIVE].itemsPerSecond / baseline;
		const metPeer = failed === 0 && toPeer.median >= 1;
		const metBaseline = failed === 0 && toBaseline.median >= 0.8;
		return {
			scenario: `B1 throughput, ${items.toLocaleString('en')} chat items, latency 0, ${CONCURRENCY} in flight`,
			unit: 'items/s',
			ours,
			peers: { [BASELINE]: baseline, [PEER]: peer },
			ratio: `${describeSummary(toBaseline)} undici; ${describeSummary(toPeer)} HTTP Request`,
			goal: '≥ 0.8 × undici; ≥ HTTP Request node',
			met: metPeer && metBaseline,
			metNote: `HTTP Request node: ${metPeer ? 'yes' : 'no'}; 0.8 × undici: ${metBaseline ? 'yes' : `no (a connection per request, as n8n's helper makes, allows at most ${connectionBound.toFixed(2)} ×)`}`,
			detail: {
				items,
				rounds,
				ratios: { [BASELINE]: roundSummary(toBaseline), [PEER]: roundSummary(toPeer) },
				peerBatching: PEER_BATCHING,
				runs: Object.fromEntries(
					Object.entries(measured).map(([name, m]) => [name, describeRun(m, items)]),
				),
				diagnostics: found,
				quick,
			},
		};
	});
}

module.exports = { run };
