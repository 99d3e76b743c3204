/**
 * Every row of ScaiGrid's retry table, through the Chat node in n8n's engine, seen from the
 * emulator's request log: how many chat requests an item sends, how long it waits between them,
 * and what the final error says. Expectations derive from RETRY_TABLE itself (the TS source), so
 * the table stays the one source of truth; the test only knows which codes ScaiGrid sends and
 * which the client makes up for transport failures.
 *
 * Waits are kept short with the node settings: Retry On Fail on, Wait Between Tries = 10 ms is
 * the backoff base. Retry On Fail also makes n8n re-run the whole node after a failure; every
 * count below therefore also proves the item runner's memo (no request is sent twice).
 */
import type { IDataObject } from 'n8n-workflow';

import { RETRY_TABLE, ruleFor } from '../../nodes/shared/retry/table';
import type { KnownCode, RetryRule } from '../../nodes/shared/retry/table';
import { runWorkflow } from '../helpers/engine';
import type { RunResult } from '../helpers/engine';
import { CHAT_PATH, chatRequests as loggedChatRequests } from '../helpers/requestLog';
import type { LoggedRequest } from '../helpers/requestLog';
import { CHAT_NAME, chatWorkflow, credentialsFor } from '../helpers/workflows';
import type { NodeSettings } from '../helpers/workflows';
import { useEmulator } from '../helpers/emulator';

const BASE_DELAY_MS = 10;
/** Room for the engine, the HTTP round trip and a busy CI machine above a computed wait. */
const SLACK_MS = 400;

/** Codes the client makes up itself (transport failures, unreadable answers); ScaiGrid never sends them. */
const CLIENT_SIDE_CODES = new Set<string>([
	'NETWORK_ERROR',
	'HOST_NOT_FOUND',
	'REDIRECT_NOT_FOLLOWED',
	'INVALID_RESPONSE',
	'STREAM_INTERRUPTED',
]);

const SERVER_CODES = (Object.keys(RETRY_TABLE) as KnownCode[]).filter(
	(code) => !CLIENT_SIDE_CODES.has(code),
);
const RETRYABLE = SERVER_CODES.filter((code) => RETRY_TABLE[code].strategy !== 'never');
const NON_RETRYABLE = SERVER_CODES.filter((code) => RETRY_TABLE[code].strategy === 'never');

// No rate limiter: the pacer must not add waits of its own, and these tests send many requests.
const emu = useEmulator({ rateLimit: false });
/**
 * A key of its own per test: the package's pacer is per key and lives as long as this file, and
 * a refusal holds the key for its Retry-After even when the item did not wait for it.
 */
let apiKey: string;

beforeEach(() => {
	apiKey = emu.addKey({});
});

// ---- helpers ------------------------------------------------------------------------------

function chatRequests(): LoggedRequest[] {
	return loggedChatRequests(emu);
}

/** Milliseconds between consecutive chat requests, as the emulator saw them arrive. */
function gaps(requests = chatRequests()): number[] {
	return requests.slice(1).map((r, i) => r.time - requests[i].time);
}

function retrySettings(maxTries: number, waitBetweenTries = BASE_DELAY_MS): NodeSettings {
	return { retryOnFail: true, maxTries, waitBetweenTries };
}

async function runChat(
	parameters: IDataObject = {},
	settings: NodeSettings = retrySettings(5),
	triggerItems?: IDataObject[],
): Promise<RunResult> {
	return await runWorkflow(chatWorkflow(parameters, settings), {
		credentials: credentialsFor(emu, { apiKey }),
		...(triggerItems && { triggerItems }),
	});
}

/** The requests an always-failing retryable code gets with Max Tries = maxTries. */
function expectedAttempts(rule: RetryRule, maxTries: number): number {
	return Math.min(maxTries, 1 + (rule.maxRetries ?? Infinity));
}

/** Bounds of the wait before retry number `attempt` (1-based) from the rule's backoff. */
function backoffBounds(rule: RetryRule, attempt: number, base = BASE_DELAY_MS): [number, number] {
	const factor = rule.strategy === 'slow-backoff' ? 4 : 1;
	const step = Math.min(30_000, base * factor * 2 ** (attempt - 1));
	return [step / 2, step];
}

function expectGapsWithin(actual: number[], bounds: Array<[number, number]>): void {
	expect(actual).toHaveLength(bounds.length);
	actual.forEach((gap, i) => {
		// The emulator's clock has microsecond resolution; timers may fire a hair early.
		expect(gap).toBeGreaterThanOrEqual(bounds[i][0] - 1);
		expect(gap).toBeLessThan(bounds[i][1] + SLACK_MS);
	});
}

/** The run failed on the Chat node with this code, the table's advice and the request ID. */
function expectFailedWith(
	result: RunResult,
	code: string,
	options: { attempts: number; requestId?: string },
): void {
	expect(result.status).toBe('error');
	const error = result.nodeError(CHAT_NAME) as Error & {
		description?: string;
		context?: Record<string, unknown>;
	};
	expect(error).toBeDefined();
	expect(error.message).toContain(`ScaiGrid ${code}`);
	const description = String(error.description);
	expect(description).toContain(ruleFor(code, chatRequests().at(-1)?.status).advice);
	if (options.requestId) expect(description).toContain(`Request ID: ${options.requestId}.`);
	if (options.attempts > 1)
		expect(description).toContain(`Gave up after ${options.attempts} attempts.`);
	else expect(description).not.toContain('Gave up after');
	// The workflow-level error is the node's.
	expect(result.error?.message).toBe(error.message);
}

// ---- the table itself -----------------------------------------------------------------------

describe('the retry table covers the contract', () => {
	it('has a row for every code in scaigrid-api.md section 2', () => {
		expect(new Set(SERVER_CODES)).toEqual(
			new Set([
				'RATE_LIMITED',
				'BACKEND_RATE_LIMITED',
				'BACKEND_TIMEOUT',
				'BACKEND_ERROR',
				'MODEL_UNAVAILABLE',
				'BUDGET_EXCEEDED',
				'QUOTA_EXCEEDED',
				'UPSTREAM_SHAPE_MISMATCH',
				'AUTH_TOKEN_MISSING',
				'AUTH_TOKEN_INVALID',
				'SESSION_EXPIRED',
				'AUTH_INSUFFICIENT_SCOPE',
				'AUTHZ_PERMISSION_DENIED',
				'MODEL_NOT_FOUND',
				'MODEL_ACCESS_DENIED',
				'VALIDATION_ERROR',
			]),
		);
		expect(RETRYABLE.sort()).toEqual(
			[
				'BACKEND_ERROR',
				'BACKEND_RATE_LIMITED',
				'BACKEND_TIMEOUT',
				'MODEL_UNAVAILABLE',
				'RATE_LIMITED',
			].sort(),
		);
	});
});

// ---- retryable codes ------------------------------------------------------------------------

describe('retryable codes are retried inside the node', () => {
	it.each(RETRYABLE)('%s: recovers after two failures, reporting 3 attempts', async (code) => {
		emu.failNext({ code, count: 2, path: CHAT_PATH });
		const result = await runChat({}, retrySettings(5));

		expect(result.status).toBe('success');
		const requests = chatRequests();
		expect(requests.map((r) => r.status)).toEqual([
			RETRY_TABLE[code].httpStatus,
			RETRY_TABLE[code].httpStatus,
			200,
		]);
		const [item] = result.output(CHAT_NAME);
		expect(item.json).toMatchObject({
			text: 'Echo: Hello',
			attempts: 3,
			requestId: requests[2].request_id,
		});
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it.each(RETRYABLE)(
		'%s: always failing, sends exactly the attempts the table allows with Max Tries 5',
		async (code) => {
			const rule: RetryRule = RETRY_TABLE[code];
			emu.failNext({ code, count: 10, path: CHAT_PATH });
			const result = await runChat({}, retrySettings(5));

			const attempts = expectedAttempts(rule, 5);
			const requests = chatRequests();
			expect(requests).toHaveLength(attempts);
			// Without retry_after every wait is the rule's backoff from the 10 ms base.
			expectGapsWithin(
				gaps(requests),
				Array.from({ length: attempts - 1 }, (_, i) => backoffBounds(rule, i + 1)),
			);
			expectFailedWith(result, code, { attempts, requestId: requests.at(-1)!.request_id });
		},
	);

	it('BACKEND_ERROR is retried at most twice: 3 requests even with Max Tries 5', async () => {
		emu.failNext({ code: 'BACKEND_ERROR', count: 10, path: CHAT_PATH });
		const result = await runChat({}, retrySettings(5));
		expect(chatRequests()).toHaveLength(3);
		expect(RETRY_TABLE.BACKEND_ERROR.maxRetries).toBe(2);
		expectFailedWith(result, 'BACKEND_ERROR', { attempts: 3 });
	});

	it("Max Tries below the table's cap wins: BACKEND_TIMEOUT with Max Tries 2 sends 2 requests", async () => {
		emu.failNext({ code: 'BACKEND_TIMEOUT', count: 10, path: CHAT_PATH });
		const result = await runChat({}, retrySettings(2));
		expect(chatRequests()).toHaveLength(2);
		expectFailedWith(result, 'BACKEND_TIMEOUT', { attempts: 2 });
	});

	it.each(['RATE_LIMITED', 'BACKEND_RATE_LIMITED'] as const)(
		'%s honours retry_after instead of the backoff',
		async (code) => {
			expect(RETRY_TABLE[code].strategy).toBe('retry-after');
			emu.failNext({ code, count: 1, retryAfter: 0.4, path: CHAT_PATH });
			const result = await runChat({}, retrySettings(3));

			expect(result.status).toBe('success');
			const requests = chatRequests();
			expect(requests.map((r) => r.status)).toEqual([429, 200]);
			// The backoff would have been 5–10 ms: the 400 ms are ScaiGrid's.
			expectGapsWithin(gaps(requests), [[400, 400]]);
			expect(result.output(CHAT_NAME)[0].json.attempts).toBe(2);
		},
	);

	it('MODEL_UNAVAILABLE backs off from a longer base than BACKEND_TIMEOUT', async () => {
		const base = 100;
		emu.failNext({ code: 'BACKEND_TIMEOUT', count: 1, path: CHAT_PATH });
		await runChat({}, retrySettings(3, base));
		const [timeoutGap] = gaps();

		emu.reset();
		emu.failNext({ code: 'MODEL_UNAVAILABLE', count: 1, path: CHAT_PATH });
		await runChat({}, retrySettings(3, base));
		const [unavailableGap] = gaps();

		expectGapsWithin([timeoutGap], [backoffBounds(RETRY_TABLE.BACKEND_TIMEOUT, 1, base)]);
		expectGapsWithin([unavailableGap], [backoffBounds(RETRY_TABLE.MODEL_UNAVAILABLE, 1, base)]);
		// The slow backoff's shortest wait is longer than the normal backoff's longest.
		expect(unavailableGap).toBeGreaterThan(base);
	});

	it('an undocumented 5xx code is retried like BACKEND_ERROR (at most twice)', async () => {
		emu.failNext({ code: 'GATEWAY_ON_FIRE', httpStatus: 500, count: 10, path: CHAT_PATH });
		const result = await runChat({}, retrySettings(5));
		const requests = chatRequests();
		expect(requests.map((r) => r.status)).toEqual([500, 500, 500]);
		expect(ruleFor('GATEWAY_ON_FIRE', 500).maxRetries).toBe(RETRY_TABLE.BACKEND_ERROR.maxRetries);
		expectFailedWith(result, 'GATEWAY_ON_FIRE', { attempts: 3, requestId: requests[2].request_id });
	});

	it('an undocumented 5xx code recovers when the next answer is good', async () => {
		emu.failNext({ code: 'GATEWAY_ON_FIRE', httpStatus: 503, count: 1, path: CHAT_PATH });
		const result = await runChat({}, retrySettings(5));
		expect(result.status).toBe('success');
		expect(chatRequests().map((r) => r.status)).toEqual([503, 200]);
	});

	it('an undocumented 4xx code is not retried', async () => {
		emu.failNext({ code: 'I_AM_A_TEAPOT', httpStatus: 418, count: 10, path: CHAT_PATH });
		const result = await runChat({}, retrySettings(5));
		const requests = chatRequests();
		expect(requests.map((r) => r.status)).toEqual([418]);
		expectFailedWith(result, 'I_AM_A_TEAPOT', { attempts: 1, requestId: requests[0].request_id });
	});
});

// ---- non-retryable codes --------------------------------------------------------------------

describe('non-retryable codes fail on the first answer', () => {
	it.each(NON_RETRYABLE)(
		'%s: exactly one chat request, message names the code, description advises',
		async (code) => {
			emu.failNext({
				code,
				count: 10,
				path: CHAT_PATH,
				...(code === 'BUDGET_EXCEEDED' && { retryAfter: 1 }),
			});
			const result = await runChat({}, retrySettings(5));

			const requests = chatRequests();
			expect(requests).toHaveLength(1);
			const rule = RETRY_TABLE[code];
			if (rule.httpStatus !== null) expect(requests[0].status).toBe(rule.httpStatus);
			expectFailedWith(result, code, { attempts: 1, requestId: requests[0].request_id });

			const error = result.nodeError(CHAT_NAME) as Error & { httpCode?: string };
			expect(error.httpCode).toBe(String(requests[0].status));
			// No in-node wait and no engine re-run sent anything more: the run ends quickly.
			expect(result.durationMs).toBeLessThan(3000);
		},
	);

	it('BUDGET_EXCEEDED is a 429 and still not retried, even with a Retry-After', async () => {
		expect(RETRY_TABLE.BUDGET_EXCEEDED.httpStatus).toBe(429);
		emu.failNext({ code: 'BUDGET_EXCEEDED', retryAfter: 1, count: 10, path: CHAT_PATH });
		const result = await runChat({}, retrySettings(5));
		expect(chatRequests().map((r) => r.status)).toEqual([429]);
		expect((result.nodeError(CHAT_NAME) as Error & { description?: string }).description).toContain(
			'retrying does not help',
		);
	});

	it('VALIDATION_ERROR carries its details into the description', async () => {
		emu.failNext({
			code: 'VALIDATION_ERROR',
			details: [
				{ field: 'temperature', message: 'must be at most 2' },
				{ field: 'messages', message: 'must not be empty' },
			],
			path: CHAT_PATH,
		});
		const result = await runChat({}, retrySettings(5));
		expect(chatRequests()).toHaveLength(1);
		const description = String(
			(result.nodeError(CHAT_NAME) as Error & { description?: string }).description,
		);
		expect(description).toContain('temperature: must be at most 2');
		expect(description).toContain('messages: must not be empty');
	});

	it('a real budget block from the emulator (not a fault) is one request', async () => {
		emu.addBudget({
			name: 'Hard cap',
			scope: 'tenant',
			scope_id: 'acme',
			period: 'monthly',
			request_limit: 0,
			hard_action: 'block',
		});
		const result = await runChat({}, retrySettings(5));
		expect(chatRequests().map((r) => r.status)).toEqual([429]);
		expectFailedWith(result, 'BUDGET_EXCEEDED', {
			attempts: 1,
			requestId: chatRequests()[0].request_id,
		});
	});
});

// ---- transport faults -----------------------------------------------------------------------

describe('transport faults', () => {
	it('a connection reset is retried (network failure)', async () => {
		emu.failNext({ fault: 'reset', count: 2, path: CHAT_PATH });
		const result = await runChat({}, retrySettings(5));
		expect(result.status).toBe('success');
		expect(chatRequests()).toHaveLength(3);
		expect(result.output(CHAT_NAME)[0].json.attempts).toBe(3);
	});

	it('connection resets until Max Tries fail as NETWORK_ERROR without a request ID', async () => {
		emu.failNext({ fault: 'reset', count: 10, path: CHAT_PATH });
		const result = await runChat({}, retrySettings(3));
		expect(chatRequests()).toHaveLength(3);
		expectFailedWith(result, 'NETWORK_ERROR', { attempts: 3 });
		const error = result.nodeError(CHAT_NAME) as Error & { description?: string };
		expect(error.message).toContain('connection reset');
		expect(error.description).toContain('No request ID (ScaiGrid did not answer).');
	});

	it('an answer slower than the Timeout option is abandoned and retried', async () => {
		emu.failNext({ fault: 'slow', delayMs: 1500, count: 1, path: CHAT_PATH });
		const result = await runChat({ options: { timeout: 300 } }, retrySettings(3));
		expect(result.status).toBe('success');
		const requests = chatRequests();
		expect(requests).toHaveLength(2);
		// The second request went out after the 300 ms timeout, long before the slow answer. The
		// timeout runs from the client's send and the emulator logs arrivals, so the gap may fall
		// short of 300 ms by the first request's way there (connection set-up; 297 ms seen).
		const [gap] = gaps(requests);
		expect(gap).toBeGreaterThanOrEqual(300 - 25);
		expect(gap).toBeLessThan(1500);
		expect(result.output(CHAT_NAME)[0].json.attempts).toBe(2);
	});

	it('timeouts until Max Tries fail with a message naming the timeout', async () => {
		emu.failNext({ fault: 'slow', delayMs: 1500, count: 10, path: CHAT_PATH });
		const result = await runChat({ options: { timeout: 200 } }, retrySettings(2));
		expect(chatRequests()).toHaveLength(2);
		expectFailedWith(result, 'NETWORK_ERROR', { attempts: 2 });
		expect(result.nodeError(CHAT_NAME)!.message).toContain('timed out (timeout 200 ms)');
	});

	it('an HTML 502 from a proxy is retried as a 5xx', async () => {
		emu.failNext({ fault: 'html502', count: 1, path: CHAT_PATH });
		const result = await runChat({}, retrySettings(3));
		expect(result.status).toBe('success');
		expect(chatRequests().map((r) => r.status)).toEqual([502, 200]);
	});

	it("HTML 502s until the cap fail with the status and the page's first bytes", async () => {
		emu.failNext({ fault: 'html502', count: 10, path: CHAT_PATH });
		const result = await runChat({}, retrySettings(5));
		// An undocumented 5xx: retried like BACKEND_ERROR, at most twice.
		expect(chatRequests()).toHaveLength(3);
		const error = result.nodeError(CHAT_NAME)!;
		expect(error.message).toContain('HTTP 502');
		expect(error.message).toContain('text/html');
		expect(error.message).toContain('502 Bad Gateway');
	});

	it('invalid JSON with 200 is not retried; the message quotes the status and the first bytes', async () => {
		emu.failNext({ fault: 'invalidJson', count: 10, path: CHAT_PATH });
		const result = await runChat({}, retrySettings(5));
		const requests = chatRequests();
		expect(requests).toHaveLength(1);
		expectFailedWith(result, 'INVALID_RESPONSE', {
			attempts: 1,
			requestId: requests[0].request_id,
		});
		const message = result.nodeError(CHAT_NAME)!.message;
		expect(message).toContain('not JSON');
		expect(message).toContain('HTTP 200');
		expect(message).toContain('{"status":"ok","data":{"items":[{"slug":"scai');
	});

	it('a 200 without data is not retried and names the request ID', async () => {
		emu.failNext({ fault: 'missingData', count: 10, path: CHAT_PATH });
		const result = await runChat({}, retrySettings(5));
		const requests = chatRequests();
		expect(requests).toHaveLength(1);
		expectFailedWith(result, 'INVALID_RESPONSE', {
			attempts: 1,
			requestId: requests[0].request_id,
		});
		expect(result.nodeError(CHAT_NAME)!.message).toContain('has no data');
	});

	it('a host name that does not resolve is not retried', async () => {
		const result = await runWorkflow(chatWorkflow({}, retrySettings(5)), {
			credentials: credentialsFor(emu, { apiKey, baseUrl: 'http://scaigrid.invalid' }),
		});
		expect(result.status).toBe('error');
		const error = result.nodeError(CHAT_NAME) as Error & { description?: string };
		expect(error.message).toContain('ScaiGrid HOST_NOT_FOUND');
		expect(error.description).toContain(RETRY_TABLE.HOST_NOT_FOUND.advice);
		expect(error.description).not.toContain('Gave up after');
	});
});

// ---- Retry-After beyond n8n's 5 s, Max Retry Wait, cancel -----------------------------------

describe('long waits', () => {
	it("honours a Retry-After of 6 s in full (above the 5 s n8n's own setting allows)", async () => {
		emu.failNext({ code: 'RATE_LIMITED', retryAfter: 6, path: CHAT_PATH });
		const result = await runChat({}, retrySettings(3));
		expect(result.status).toBe('success');
		const requests = chatRequests();
		expect(requests.map((r) => r.status)).toEqual([429, 200]);
		const [gap] = gaps(requests);
		expect(gap).toBeGreaterThanOrEqual(6000);
		expect(gap).toBeLessThan(6000 + SLACK_MS * 2);
		expect(result.output(CHAT_NAME)[0].json.attempts).toBe(2);
	}, 20_000);

	it('honours Retry-After also without Retry On Fail (the default policy)', async () => {
		emu.failNext({ code: 'RATE_LIMITED', retryAfter: 0.3, path: CHAT_PATH });
		const result = await runChat({}, {});
		expect(result.status).toBe('success');
		expect(chatRequests().map((r) => r.status)).toEqual([429, 200]);
		expect(gaps()[0]).toBeGreaterThanOrEqual(300);
	});

	it('Max Retry Wait: a longer Retry-After fails the item at once, saying how long ScaiGrid asked', async () => {
		emu.failNext({ code: 'RATE_LIMITED', retryAfter: 5, path: CHAT_PATH });
		const result = await runChat({ options: { maxRetryWait: 2 } }, retrySettings(3));
		expect(chatRequests()).toHaveLength(1);
		expect(result.durationMs).toBeLessThan(2000);
		const error = result.nodeError(CHAT_NAME) as Error & { description?: string };
		expect(error.message).toContain('ScaiGrid RATE_LIMITED');
		expect(error.description).toContain('ScaiGrid asked to wait 5 s');
		expect(error.description).toContain('"Max Retry Wait" (2 s)');
	});

	it('cancelling the execution during a Retry-After wait stops it at once', async () => {
		emu.failNext({ code: 'RATE_LIMITED', retryAfter: 20, path: CHAT_PATH });
		const result = await runWorkflow(chatWorkflow({}, retrySettings(3)), {
			credentials: credentialsFor(emu, { apiKey }),
			cancelAfterMs: 300,
			cancelGraceMs: 3000,
		});
		expect(result.status).toBe('canceled');
		expect(result.durationMs).toBeLessThan(1300);
		// Nothing is sent after the cancel either.
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(chatRequests()).toHaveLength(1);
	});
});

// ---- Retry On Fail, retries off, attempts on every item -------------------------------------

describe("n8n's Retry On Fail and the in-node retries", () => {
	const DENIED_MODEL = 'tenant/globex/legal-bot'; // another tenant's persona: 403 MODEL_ACCESS_DENIED
	const GOOD_MODEL = 'scailabs/poolnoodle-omni';

	it("Retry On Fail + a non-retryable error on one of 3 items: exactly one request per item across the engine's re-runs", async () => {
		const waitBetweenTries = 300;
		const result = await runChat(
			{ model: { __rl: true, mode: 'id', value: '={{ $json.model }}' } },
			{ retryOnFail: true, maxTries: 3, waitBetweenTries },
			[
				{ model: GOOD_MODEL, prompt: 'first' },
				{ model: DENIED_MODEL, prompt: 'second' },
				{ model: GOOD_MODEL, prompt: 'third' },
			],
		);
		expect(result.status).toBe('error');
		const requests = chatRequests();
		const prompts = requests.map((r) => r.body.messages.at(-1)!.content).sort();
		expect(prompts).toEqual(['first', 'second', 'third']);
		expect(requests.find((r) => r.body.model === DENIED_MODEL)!.status).toBe(403);
		// n8n did re-run the node (it waits Wait Between Tries before each of the 2 re-runs)...
		expect(result.durationMs).toBeGreaterThanOrEqual(2 * waitBetweenTries);
		// ...and the error names the failed item.
		const error = result.nodeError(CHAT_NAME) as Error & { context?: { itemIndex?: number } };
		expect(error.message).toContain('ScaiGrid MODEL_ACCESS_DENIED');
		expect(error.context?.itemIndex).toBe(1);
	});

	it('Retry On Fail + a retryable failure that recovers: other items are not paid for twice', async () => {
		// One item's first chat request gets a 502; it is retried inside the node.
		emu.failNext({ code: 'BACKEND_ERROR', count: 1, path: CHAT_PATH });
		const result = await runChat({ options: { maxConcurrency: 1 } }, retrySettings(3), [
			{ prompt: 'a' },
			{ prompt: 'b' },
			{ prompt: 'c' },
		]);
		expect(result.status).toBe('success');
		expect(chatRequests()).toHaveLength(4);
		// Attempts are reported on every output item; the first item took two.
		expect(result.output(CHAT_NAME).map((item) => item.json.attempts)).toEqual([2, 1, 1]);
		expect(result.output(CHAT_NAME).map((item) => item.json.text)).toEqual([
			'Echo: a',
			'Echo: b',
			'Echo: c',
		]);
	});

	it('with in-node retries switched off a RATE_LIMITED fails at once', async () => {
		emu.failNext({ code: 'RATE_LIMITED', retryAfter: 0.1, count: 10, path: CHAT_PATH });
		const result = await runChat({ options: { retryTransient: false } }, {});
		expect(chatRequests()).toHaveLength(1);
		expectFailedWith(result, 'RATE_LIMITED', {
			attempts: 1,
			requestId: chatRequests()[0].request_id,
		});
	});

	it("with in-node retries off, n8n's own Retry On Fail resends a retryable failure (once per re-run)", async () => {
		emu.failNext({ code: 'RATE_LIMITED', retryAfter: 0.1, count: 1, path: CHAT_PATH });
		const result = await runChat(
			{ options: { retryTransient: false } },
			{ retryOnFail: true, maxTries: 3, waitBetweenTries: 10 },
		);
		expect(result.status).toBe('success');
		expect(chatRequests().map((r) => r.status)).toEqual([429, 200]);
	});

	it('without Retry On Fail the table still retries with its defaults', async () => {
		emu.failNext({ code: 'BACKEND_TIMEOUT', count: 1, path: CHAT_PATH });
		const result = await runChat({}, {});
		expect(result.status).toBe('success');
		expect(chatRequests().map((r) => r.status)).toEqual([504, 200]);
		// The default base delay is 1 s: the wait is between 0.5 and 1 s.
		const [gap] = gaps();
		expect(gap).toBeGreaterThanOrEqual(500);
		expect(gap).toBeLessThan(1000 + SLACK_MS);
	});
});
