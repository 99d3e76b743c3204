'use strict';
/**
 * B7: how long a streamed token takes from ScaiGrid's socket to the caller: the time from the
 * emulator writing an SSE frame to n8n's `sendChunk` hook running for that frame's text.
 *
 * Method (everything in one process, one clock, `performance.now()`):
 * - The real engine (n8n-core WorkflowExecute through test/helpers/engine.ts, loaded from plain
 *   node by scripts/ts-register.js, as `npm run demo` does) runs Manual Trigger → ScaiGrid Chat
 *   as a streaming execution, with our package loaded from dist/.
 * - The emulator paces the stream (`setStreamPacing`): one frame per write, PACING_MS apart, and
 *   logs when it wrote each frame (`streamWrites[].at`).
 * - n8n-core's `ExecutionLifecycleHooks.runHook` is wrapped to note when the 'sendChunk' hook
 *   runs: that is where n8n hands a chunk to the Chat Trigger's / webhook's HTTP response.
 * - The k-th 'item' chunk carries the k-th content frame's text (checked), so latency_k =
 *   hook_k − write_k. It includes the loopback hop from the emulator's socket to ours, so it
 *   is an upper bound on "arrived at the socket → sendChunk".
 *
 * The goal: p95 below the frame interval, i.e. no token waits for the next one (no buffering
 * between the socket and the caller).
 *
 * Run: `node bench/scenarios/chunk-latency.js [--quick]` (needs `npm run build`).
 */
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const ROOT = path.resolve(__dirname, '..', '..');
const PACING_MS = 20;
const MODEL = 'scailabs/poolnoodle-omni';

function percentile(sorted, p) {
	if (sorted.length === 0) return NaN;
	const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[index];
}

const round3 = (x) => Math.round(x * 1000) / 1000;

/** The text a content frame carries, or undefined for comments, events, finish, usage, [DONE]. */
function frameText(frame) {
	const line = frame.split('\n').find((l) => l.startsWith('data: {'));
	if (!line) return undefined;
	const content = JSON.parse(line.slice(6)).choices?.[0]?.delta?.content;
	return typeof content === 'string' && content !== '' ? content : undefined;
}

function workflow(question) {
	return {
		name: 'Chunk latency',
		nodes: [
			{
				id: 'trigger',
				name: 'Manual',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'chat',
				name: 'Chat',
				type: 'n8n-nodes-scaigrid.scaiGridChat',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					model: { __rl: true, mode: 'id', value: MODEL },
					prompt: 'simple',
					userMessage: question,
					options: {},
				},
			},
		],
		connections: { Manual: { main: [[{ node: 'Chat', type: 'main', index: 0 }]] } },
	};
}

async function run({ quick = false } = {}) {
	require(path.join(ROOT, 'scripts', 'ts-register.js'));
	const { runWorkflow } = require(path.join(ROOT, 'test', 'helpers', 'engine.ts'));
	const { ExecutionLifecycleHooks } = require('n8n-core');
	const { startEmulator } = require(path.join(ROOT, 'emulator'));

	const hookTimes = [];
	const originalRunHook = ExecutionLifecycleHooks.prototype.runHook;
	ExecutionLifecycleHooks.prototype.runHook = function timedRunHook(name, parameters) {
		if (name === 'sendChunk' && parameters[0] && parameters[0].type === 'item') {
			hookTimes.push({ at: performance.now(), text: parameters[0].content });
		}
		return originalRunHook.call(this, name, parameters);
	};

	const em = await startEmulator({ rateLimit: false, logRequests: true });
	const words = quick ? 40 : 150;
	const runs = quick ? 2 : 6;
	const reply = Array.from({ length: words }, (_, i) => `token${i}`).join(' ');
	const latencies = [];
	try {
		em.setStreamPacing(PACING_MS);
		// A warm-up run, so module loading and JIT do not count.
		await runWorkflow(workflow(`[[reply:warm up run]]`), {
			credentials: { scaiGridApi: { apiKey: em.apiKey, baseUrl: em.url } },
			streaming: true,
		});
		for (let r = 0; r < runs; r++) {
			em.clearRequests();
			hookTimes.length = 0;
			const result = await runWorkflow(workflow(`[[reply:${reply}]]`), {
				credentials: { scaiGridApi: { apiKey: em.apiKey, baseUrl: em.url } },
				streaming: true,
			});
			if (result.error) throw new Error(`run failed: ${result.error.message}`);
			const writes = em.requests
				.filter((q) => q.path === '/v1/inference/chat')
				.flatMap((q) => q.streamWrites || [])
				.map((w) => ({ at: w.at, text: frameText(w.frame) }))
				.filter((w) => w.text !== undefined);
			if (writes.length !== hookTimes.length || writes.length !== words) {
				throw new Error(
					`expected ${words} content frames and item chunks, got ${writes.length} and ${hookTimes.length}`,
				);
			}
			writes.forEach((w, k) => {
				if (hookTimes[k].text !== w.text)
					throw new Error(`chunk ${k} carries "${hookTimes[k].text}", frame "${w.text}"`);
				latencies.push(hookTimes[k].at - w.at);
			});
		}
	} finally {
		ExecutionLifecycleHooks.prototype.runHook = originalRunHook;
		await em.close();
	}
	const sorted = [...latencies].sort((a, b) => a - b);
	const p50 = round3(percentile(sorted, 50));
	const p95 = round3(percentile(sorted, 95));
	return {
		scenario: 'B7 chunk latency, socket write → sendChunk',
		unit: 'ms',
		ours: p50,
		peers: {},
		goal: `p95 < ${PACING_MS} ms frame interval (no token waits for the next one)`,
		met: p95 < PACING_MS,
		detail: {
			p50,
			p95,
			p99: round3(percentile(sorted, 99)),
			max: round3(sorted[sorted.length - 1]),
			min: round3(sorted[0]),
			samples: sorted.length,
			runs,
			tokensPerRun: words,
			pacingMs: PACING_MS,
			quick,
		},
	};
}

module.exports = { run };

if (require.main === module) {
	run({ quick: process.argv.includes('--quick') }).then(
		(result) => {
			process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
			// n8n-core keeps a few handles open (its DI container, timers): the run is over.
			process.exit(0);
		},
		(error) => {
			process.stderr.write(`${error.stack || error}\n`);
			process.exit(1);
		},
	);
}
