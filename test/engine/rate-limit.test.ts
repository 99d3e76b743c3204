/**
 * Rate limits (issue 14): a 429 RATE_LIMITED waits as long as its Retry-After says, never until
 * the window's reset, in the node's own retries, with streaming, and for another node on the
 * same key held back meanwhile; and a long episode of refusals is bounded by the total
 * rate-limit wait, not by Max Tries, so it does not throw away the items already paid for.
 *
 * The emulator answers as the docs' example reads: Retry-After 1 s, Remaining 0 and a Reset far
 * beyond it (the end of the whole sliding window). Each test uses a key of its own: the pacer
 * is per key and lives as long as the package's module, i.e. this whole file.
 */
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../helpers/engine';
import type { RunResult } from '../helpers/engine';
import { CHAT_PATH, chatRequests as loggedChatRequests } from '../helpers/requestLog';
import type { LoggedRequest } from '../helpers/requestLog';
import { CHAT_NAME, chatWorkflow, credentialsFor } from '../helpers/workflows';
import type { NodeSettings } from '../helpers/workflows';
import { useEmulator } from '../helpers/emulator';

const RETRY_AFTER_S = 1;
/** Far beyond the Retry-After; short enough that the old behaviour fails by assertion, not by timeout. */
const RESET_AFTER_S = 10;
const RETRY_AFTER_MS = RETRY_AFTER_S * 1000;
/** Room above a Retry-After for the engine, the round trip and a busy 2-core machine. */
const SLACK_MS = 800;
/** The emulator logs arrivals with sub-millisecond times; timers may fire a hair early. */
const EARLY_MS = 1;

/** The docs' example: Retry-After 1, Remaining 0, Reset RESET_AFTER_S ahead. */
const REFUSAL = {
	code: 'RATE_LIMITED',
	retryAfter: RETRY_AFTER_S,
	resetAfter: RESET_AFTER_S,
	path: CHAT_PATH,
};

// No limiter of its own: the only refusals are the injected ones, at the times the tests pick.
const emu = useEmulator({ rateLimit: false });
let apiKey: string;

beforeEach(() => {
	apiKey = emu.addKey({});
});

function chatRequests(): LoggedRequest[] {
	return loggedChatRequests(emu);
}

function gaps(requests: LoggedRequest[]): number[] {
	return requests.slice(1).map((r, i) => r.time - requests[i].time);
}

function expectAboutRetryAfter(gap: number): void {
	expect(gap).toBeGreaterThanOrEqual(RETRY_AFTER_MS - EARLY_MS);
	expect(gap).toBeLessThan(RETRY_AFTER_MS + SLACK_MS);
}

async function runChat(
	parameters: IDataObject = {},
	settings: NodeSettings = {},
	triggerItems?: IDataObject[],
): Promise<RunResult> {
	return await runWorkflow(chatWorkflow(parameters, settings), {
		credentials: credentialsFor(emu, { apiKey }),
		...(triggerItems && { triggerItems }),
	});
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

describe('a 429 waits as long as Retry-After says, not until the reset', () => {
	it('in-node retries: two 429s with Retry-After 1 s and Reset 10 s ahead take about 2 s, not 20 s', async () => {
		emu.failNext({ ...REFUSAL, count: 2 });
		const result = await runChat();

		expect(result.status).toBe('success');
		const requests = chatRequests();
		expect(requests.map((r) => r.status)).toEqual([429, 429, 200]);
		gaps(requests).forEach(expectAboutRetryAfter);
		expect(result.output(CHAT_NAME)[0].json).toMatchObject({ text: 'Echo: Hello', attempts: 3 });
	}, 40_000);

	it('the same with streaming on', async () => {
		emu.failNext({ ...REFUSAL, count: 2 });
		const result = await runChat({ options: { streaming: 'on' } });

		expect(result.status).toBe('success');
		const requests = chatRequests();
		expect(requests.map((r) => r.body.stream)).toEqual([true, true, true]);
		expect(requests.map((r) => r.status)).toEqual([429, 429, 200]);
		gaps(requests).forEach(expectAboutRetryAfter);
		expect(result.output(CHAT_NAME)[0].json).toMatchObject({ text: 'Echo: Hello', attempts: 3 });
	}, 40_000);

	it('another node on the same key is held back for the Retry-After, not until the reset', async () => {
		emu.failNext({ ...REFUSAL, count: 1 });
		const first = runChat({}, {}, [{ prompt: 'first' }]);
		await until(() => chatRequests().some((r) => r.status === 429));
		const refusedAt = chatRequests()[0].time;
		// The emulator has answered; give the first execution time to read the answer (a busy
		// machine), so the second one starts while the key is held.
		await new Promise((resolve) => setTimeout(resolve, 300));
		// A second execution with the same credential, started while the first one waits.
		const second = runChat({}, {}, [{ prompt: 'second' }]);
		const [a, b] = await Promise.all([first, second]);

		expect(a.status).toBe('success');
		expect(b.status).toBe('success');
		const byPrompt = (prompt: string) =>
			chatRequests().filter((r) => r.body.messages.at(-1).content === prompt);
		expect(byPrompt('first').map((r) => r.status)).toEqual([429, 200]);
		// The second one did not pile in during the wait (it would have been refused too)...
		expect(byPrompt('second').map((r) => r.status)).toEqual([200]);
		// ...and went when the Retry-After was over, not at the reset 10 s away.
		expectAboutRetryAfter(byPrompt('second')[0].time - refusedAt);
		expectAboutRetryAfter(byPrompt('first')[1].time - refusedAt);
	}, 40_000);
});

describe('a long rate-limit episode is bounded by time, not by Max Tries', () => {
	it('3 s of refusals (Retry-After 1 s each), 20 items, Max Tries 2: every item succeeds, none is sent again after its success', async () => {
		// ScaiGrid's own limiter is on with room to spare: successes carry the rate-limit headers too.
		emu.setRateLimit({ limit: 1000, windowMs: 60_000 });
		emu.failNext({ ...REFUSAL, resetAfter: 60, forMs: 3000 });
		const prompts = Array.from({ length: 20 }, (_, i) => `p${i}`);
		const result = await runChat(
			// Max Retry Wait 5 s: a hold until the reset 60 s away would not be waited for either.
			{ options: { maxConcurrency: 5, maxRetryWait: 5 } },
			{ retryOnFail: true, maxTries: 2, waitBetweenTries: 10 },
			prompts.map((prompt) => ({ prompt })),
		);

		expect(result.status).toBe('success');
		const output = result.output(CHAT_NAME);
		expect(output.map((item) => item.json.text)).toEqual(prompts.map((p) => `Echo: ${p}`));
		const requests = chatRequests();
		expect(requests.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(3);
		for (const prompt of prompts) {
			const statuses = requests
				.filter((r) => r.body.messages.at(-1).content === prompt)
				.map((r) => r.status);
			// Refusals, then exactly one success, and nothing after it.
			expect(statuses.at(-1)).toBe(200);
			expect(statuses.filter((s) => s === 200)).toHaveLength(1);
		}
		// Some items needed more attempts than Max Tries allows for transient errors.
		expect(Math.max(...output.map((item) => Number(item.json.attempts)))).toBeGreaterThan(2);
	}, 40_000);

	it('when the total rate-limit wait runs out, the item fails saying how long it waited and what to raise', async () => {
		emu.failNext({
			code: 'RATE_LIMITED',
			retryAfter: RETRY_AFTER_S,
			forMs: 20_000,
			path: CHAT_PATH,
		});
		const result = await runChat(
			{ options: { maxRateLimitWait: 2 } },
			{ retryOnFail: true, maxTries: 2, waitBetweenTries: 10 },
		);

		expect(result.status).toBe('error');
		// Waited 1 s twice (2 s in all); a third wait would pass the 2 s.
		expect(chatRequests().map((r) => r.status)).toEqual([429, 429, 429]);
		const error = result.nodeError(CHAT_NAME) as Error & { description?: string };
		expect(error.message).toContain('ScaiGrid RATE_LIMITED');
		expect(error.description).toContain('waited 2 s in total');
		expect(error.description).toContain('"Max Total Rate-Limit Wait" (2 s)');
		expect(error.description).toContain('Gave up after 3 attempts.');
		expect(result.durationMs).toBeLessThan(2000 + SLACK_MS * 2);
	}, 40_000);
});
