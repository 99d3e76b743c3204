'use strict';
/**
 * B1: chat throughput, emulator latency 0. 2,000 items through our Chat node, the same calls
 * through n8n's HTTP Request node and through an undici Pool, 10 in flight, interleaved rounds.
 * Goal: our items/s ≥ 0.8 × the undici baseline, and ≥ the HTTP Request node.
 *
 * With latency 0, items/s is set by CPU per request, on the client and in the emulator. So the
 * detail also has the CPU time per item of each, and four diagnostic runs that show where the
 * limit is: the emulator's ceiling (undici at 50 in flight), undici without keep-alive, n8n's
 * outbound HTTP helper alone (what every n8n node's requests go through), the same helper in
 * batches of 10 (the HTTP Request node's batching: with no latency, 10 requests sent together
 * and answered together cost less CPU each than a slot refilled as each answer comes in), and
 * the CPU time of the credential's header expression that n8n evaluates before each of our
 * requests.
 */
const { withEmulator } = require('../lib/emulator');
const { BASELINE, OURS, PEER, chatContenders, describeRun, warmUp } = require('../lib/contenders');
const { chatWithN8nHelper, credentialExpressionCpuUs } = require('../lib/n8n-http');
const { profiled } = require('../lib/profile');
const { chatWithPool } = require('../lib/undici');
const { interleaved, itemsPerSecond, round, withCpu } = require('../lib/timing');
const { questionItems } = require('../lib/workflows');

const CONCURRENCY = 10;
// The peer's batching: 10 items per batch (like our 10 in flight), the smallest pause n8n
// accepts as "batching on" (an interval of 0 turns batching off: every item at once).
const PEER_BATCHING = { batchSize: CONCURRENCY, batchIntervalMs: 1 };

async function diagnostics(emulator, items) {
	const questions = questionItems(items).map((item) => item.question);
	const call = { url: emulator.url, apiKey: emulator.apiKey, questions };
	const runs = {
		'undici, 50 in flight (emulator ceiling)': () => chatWithPool({ ...call, concurrency: 50 }),
		'undici, no keep-alive': () => chatWithPool({ ...call, concurrency: CONCURRENCY, keepAlive: false }),
		"n8n's HTTP helper alone": () => chatWithN8nHelper({ ...call, concurrency: CONCURRENCY }),
		"n8n's HTTP helper alone, in batches of 10 (the HTTP Request node's pattern)": () =>
			chatWithN8nHelper({ ...call, concurrency: CONCURRENCY, batched: true }),
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
	out["n8n's credential header expression, CPU per request"] = { cpuUs: Math.round(credentialExpressionCpuUs()) };
	return out;
}

async function run({ quick = false } = {}) {
	const items = quick ? 200 : 2000;
	const rounds = quick ? 1 : 3;
	return await withEmulator({ latencyMs: 0, rateLimit: false }, async (emulator) => {
		const options = { items, concurrency: CONCURRENCY, peer: PEER_BATCHING };
		await warmUp(emulator, options);
		const measured = await profiled('b1', () => interleaved(chatContenders({ emulator, ...options }), rounds));
		const rate = (name) => round(itemsPerSecond(items, measured[name].best.ms));
		const ours = rate(OURS);
		const baseline = rate(BASELINE);
		const peer = rate(PEER);
		const failed = measured[OURS].best.failed + measured[PEER].best.failed + measured[BASELINE].best.failed;
		return {
			scenario: `B1 throughput, ${items.toLocaleString('en')} chat items, latency 0, ${CONCURRENCY} in flight`,
			unit: 'items/s',
			ours,
			peers: { [BASELINE]: baseline, [PEER]: peer },
			ratio: `${(ours / baseline).toFixed(2)} × undici; ${(ours / peer).toFixed(2)} × HTTP Request`,
			goal: '≥ 0.8 × undici; ≥ HTTP Request node',
			met: failed === 0 && ours >= 0.8 * baseline && ours >= peer,
			detail: {
				items,
				rounds,
				peerBatching: PEER_BATCHING,
				runs: Object.fromEntries(Object.entries(measured).map(([name, m]) => [name, describeRun(m, items)])),
				diagnostics: await diagnostics(emulator, items),
				quick,
			},
		};
	});
}

module.exports = { run };
