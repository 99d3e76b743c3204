/**
 * ScaiGrid Chat at volume, in n8n's engine against the emulator: concurrency bounded by Max
 * Concurrent Requests with random per-request latencies (output still in input order, each
 * paired with its item), and pacing by the X-Scaigrid-Ratelimit headers under small limits
 * (no failed items; the 429s that still reach the emulator are counted and reported).
 */
import { runWorkflow } from '../helpers/engine';
import type { RunResult } from '../helpers/engine';
import { CHAT_PATH, chatRequests, modelGets } from '../helpers/requestLog';
import {
	CHAT,
	CHAT_NODE,
	chatParameters,
	chatWorkflow,
	credentialsFor,
} from '../helpers/workflows';
import type { LatencyRequest } from '../../emulator';
import { mulberry32 } from '../../emulator/prng';
import { useEmulator } from '../helpers/emulator';

const em = useEmulator({ rateLimit: false });

async function run(workflow: object, triggerItems: object[]): Promise<RunResult> {
	return await runWorkflow(workflow, {
		credentials: credentialsFor(em),
		triggerItems: triggerItems as never,
	});
}

function questions(count: number): Array<{ question: string }> {
	return Array.from({ length: count }, (_, i) => ({
		question: `Question ${i}: what is ${i} squared?`,
	}));
}

/** Index of the item a chat request belongs to, from its "Question N:" text. */
function itemOf(body: any): number {
	return Number(/Question (\d+):/.exec(body.messages[0].content)![1]);
}

/**
 * A latency function that also measures how many chat requests the emulator holds at once:
 * a request counts from its arrival until its latency has passed (the emulator answers right
 * after; this timer is created first, so it fires first: never an overcount).
 */
function measuredLatency(latencyOf: (body: any) => number) {
	const stats = { inFlight: 0, maxInFlight: 0, finishOrder: [] as number[] };
	const fn = (request: LatencyRequest) => {
		if (request.method !== 'POST' || request.path !== CHAT_PATH) return 0;
		const ms = latencyOf(request.body);
		stats.inFlight++;
		stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
		setTimeout(() => {
			stats.inFlight--;
			stats.finishOrder.push(itemOf(request.body));
		}, ms);
		return ms;
	};
	return { fn, stats };
}

function expectInOrder(result: RunResult, items: Array<{ question: string }>): void {
	expect(result.nodeError(CHAT)).toBeUndefined();
	expect(result.status).toBe('success');
	const out = result.output(CHAT);
	expect(out).toHaveLength(items.length);
	out.forEach((item, index) => {
		expect(item.pairedItem).toEqual({ item: index });
		expect(item.json.error).toBeUndefined();
		expect(item.json.text).toBe(`Echo: ${items[index].question}`);
	});
}

function count429(): number {
	return chatRequests(em).filter((r) => r.status === 429).length;
}

describe('Concurrency', () => {
	test('50 items, random latencies, Max Concurrent Requests 8: input order, pairedItem, at most 8 in flight', async () => {
		const random = mulberry32(20240611);
		const latencies = Array.from({ length: 50 }, () => 10 + Math.floor(random() * 140));
		const { fn, stats } = measuredLatency((body) => latencies[itemOf(body)]);
		em.setLatency(fn);
		const items = questions(50);

		const result = await run(
			chatWorkflow(chatParameters({ options: { maxConcurrency: 8 } }), CHAT_NODE),
			items,
		);

		expectInOrder(result, items);
		expect(stats.maxInFlight).toBeLessThanOrEqual(8);
		expect(stats.maxInFlight).toBe(8); // the limit is used, not just respected
		// Answers came back out of order, and the output still follows the input.
		expect(stats.finishOrder).toHaveLength(50);
		expect(stats.finishOrder).not.toEqual([...stats.finishOrder].sort((a, b) => a - b));
		// Each item sent exactly once; the model's prices were looked up once for all 50.
		expect(
			chatRequests(em)
				.map((r) => itemOf(r.body))
				.sort((a, b) => a - b),
		).toEqual(items.map((_, i) => i));
		expect(modelGets(em)).toHaveLength(1);
		// Every item carries its own request's ID.
		const idByItem = new Map(chatRequests(em).map((r) => [itemOf(r.body), r.request_id]));
		result
			.output(CHAT)
			.forEach((item, index) => expect(item.json.requestId).toBe(idByItem.get(index)));
	});

	test('Max Concurrent Requests 1 sends one request at a time', async () => {
		const { fn, stats } = measuredLatency(() => 30);
		em.setLatency(fn);
		const items = questions(6);
		const result = await run(
			chatWorkflow(chatParameters({ options: { maxConcurrency: 1 } }), CHAT_NODE),
			items,
		);
		expectInOrder(result, items);
		expect(stats.maxInFlight).toBe(1);
		expect(stats.finishOrder).toEqual([0, 1, 2, 3, 4, 5]);
	});

	test('slow calls do not hold up the free slots: 3 of 4 slots busy for 1.5 s, the 4th answers 10 items meanwhile', async () => {
		// Free slots wait for company (half of them free) only briefly, so one free slot keeps
		// working while the other three wait on slow calls.
		const { fn, stats } = measuredLatency((body) => (itemOf(body) < 3 ? 1500 : 10));
		em.setLatency(fn);
		const items = questions(13);
		const result = await run(
			chatWorkflow(chatParameters({ options: { maxConcurrency: 4 } }), CHAT_NODE),
			items,
		);
		expectInOrder(result, items);
		expect(stats.maxInFlight).toBe(4);
		expect(stats.finishOrder.slice(0, 10)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
		expect([...stats.finishOrder.slice(10)].sort()).toEqual([0, 1, 2]);
	});

	test('the default concurrency sends several at once', async () => {
		const { fn, stats } = measuredLatency(() => 50);
		em.setLatency(fn);
		const items = questions(12);
		const result = await run(chatWorkflow(chatParameters(), CHAT_NODE), items);
		expectInOrder(result, items);
		expect(stats.maxInFlight).toBe(5);
	});
});

describe('Pacing by the rate-limit headers', () => {
	test('60 items, limit 20 per 2 s, concurrency 10: no failed item, (almost) no 429', async () => {
		em.setRateLimit({ limit: 20, windowMs: 2000 });
		const items = questions(60);
		const started = Date.now();
		const result = await run(
			chatWorkflow(chatParameters({ options: { maxConcurrency: 10 } }), CHAT_NODE),
			items,
		);
		const elapsed = Date.now() - started;

		expectInOrder(result, items);
		const rejected = count429();
		const retries = result
			.output(CHAT)
			.reduce((n, item) => n + (item.json.attempts as number) - 1, 0);
		process.stdout.write(
			`[chat pacing] 60 items, 20 per 2 s, concurrency 10: ${elapsed} ms, ${rejected} × 429, ${retries} retries\n`,
		);
		// 60 chats at 20 per 2 s: the last 20 cannot go before two windows have passed.
		expect(elapsed).toBeGreaterThanOrEqual(4000);
		expect(retries).toBe(rejected);
		expect(rejected).toBeLessThanOrEqual(2);
	}, 60_000);

	test('200 items against 60 per 6 s (the default key limit, scaled): zero failed items', async () => {
		em.setRateLimit({ limit: 60, windowMs: 6000 });
		const items = questions(200);
		const started = Date.now();
		const result = await run(chatWorkflow(chatParameters(), CHAT_NODE), items);
		const elapsed = Date.now() - started;

		expectInOrder(result, items);
		const rejected = count429();
		process.stdout.write(
			`[chat pacing] 200 items, 60 per 6 s, default concurrency: ${elapsed} ms, ${rejected} × 429\n`,
		);
		expect(chatRequests(em).filter((r) => r.status === 200)).toHaveLength(200);
		expect(rejected).toBeLessThanOrEqual(3);
	}, 120_000);
});
