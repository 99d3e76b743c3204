/**
 * The retry table's decisions, row by row and at the edges: attempt limits, the per-code cap,
 * Retry-After against backoff, waits beyond Max Retry Wait, retries switched off, rate limits
 * bounded by the total rate-limit wait instead of Max Tries; and the backoff's bounds with the
 * jitter pinned.
 */
import { retryOptionFields } from '../../nodes/shared/retry/options';
import {
	DEFAULT_RETRY_POLICY,
	backoffMs,
	decideRetry,
	isTimedRateLimit,
} from '../../nodes/shared/retry/policy';
import type { RetryPolicy } from '../../nodes/shared/retry/policy';
import { RETRY_TABLE, ruleFor } from '../../nodes/shared/retry/table';
import type { KnownCode, RetryRule } from '../../nodes/shared/retry/table';

const CODES = Object.keys(RETRY_TABLE) as KnownCode[];
const RETRYABLE = CODES.filter((code) => RETRY_TABLE[code].strategy !== 'never');
const NEVER = CODES.filter((code) => RETRY_TABLE[code].strategy === 'never');

const POLICY: RetryPolicy = {
	enabled: true,
	maxAttempts: 5,
	baseDelayMs: 100,
	maxWaitMs: 60_000,
	maxRateLimitWaitMs: 300_000,
};
const LOW = () => 0;
const HIGH = () => 0.999999;
const MID = () => 0.5;

describe('the table', () => {
	it('every row has a strategy, advice and an n8n failure cause', () => {
		for (const code of CODES) {
			const rule: RetryRule = RETRY_TABLE[code];
			expect(['retry-after', 'backoff', 'slow-backoff', 'never']).toContain(rule.strategy);
			expect(rule.advice.length).toBeGreaterThan(20);
			expect(rule.cause).toBeTruthy();
		}
	});

	it("the contract's retryable codes are retryable, and only they (plus transport failures)", () => {
		expect(RETRYABLE.sort()).toEqual(
			[
				'BACKEND_ERROR',
				'BACKEND_RATE_LIMITED',
				'BACKEND_TIMEOUT',
				'MODEL_UNAVAILABLE',
				'NETWORK_ERROR',
				'RATE_LIMITED',
				'STREAM_INTERRUPTED',
			].sort(),
		);
	});

	it('ruleFor: known codes by name, whatever the status', () => {
		expect(ruleFor('BUDGET_EXCEEDED', 429)).toBe(RETRY_TABLE.BUDGET_EXCEEDED);
		expect(ruleFor('BACKEND_ERROR', 200)).toBe(RETRY_TABLE.BACKEND_ERROR);
	});

	it('ruleFor: an unknown 5xx behaves like BACKEND_ERROR, an unknown 4xx or status-less code never retries', () => {
		const server = ruleFor('SOMETHING_NEW', 503);
		expect(server.strategy).toBe(RETRY_TABLE.BACKEND_ERROR.strategy);
		expect(server.maxRetries).toBe(RETRY_TABLE.BACKEND_ERROR.maxRetries);
		expect(server.advice).toMatch(/undocumented server error/);
		expect(ruleFor('SOMETHING_NEW', 500).strategy).toBe('backoff');
		expect(ruleFor('SOMETHING_NEW', 499).strategy).toBe('never');
		expect(ruleFor('SOMETHING_NEW', 404).strategy).toBe('never');
		expect(ruleFor('SOMETHING_NEW').strategy).toBe('never');
		expect(ruleFor('SOMETHING_NEW', null).strategy).toBe('never');
	});

	it('ruleFor does not mistake Object.prototype names for codes', () => {
		expect(ruleFor('constructor', 400).strategy).toBe('never');
		expect(ruleFor('toString', 500).strategy).toBe('backoff');
	});
});

describe('decideRetry: non-retryable rows', () => {
	it.each(NEVER)('%s is never retried, on any attempt, whatever the policy', (code) => {
		for (const attempt of [1, 2, 4]) {
			expect(
				decideRetry({ code, httpStatus: RETRY_TABLE[code].httpStatus }, attempt, POLICY),
			).toEqual({
				retry: false,
				reason: 'not-retryable',
			});
		}
		// Not even with a Retry-After (BUDGET_EXCEEDED is a 429).
		expect(decideRetry({ code, retryAfterMs: 10 }, 1, POLICY)).toEqual({
			retry: false,
			reason: 'not-retryable',
		});
		// "not-retryable" wins over "retries-off": the message tells the truth.
		expect(decideRetry({ code }, 1, { ...POLICY, enabled: false })).toEqual({
			retry: false,
			reason: 'not-retryable',
		});
	});

	it('an unknown 4xx is not retried', () => {
		expect(decideRetry({ code: 'TEAPOT', httpStatus: 418 }, 1, POLICY)).toEqual({
			retry: false,
			reason: 'not-retryable',
		});
	});
});

describe('decideRetry: retryable rows', () => {
	it.each(RETRYABLE)('%s: retried until Max Tries (or its own cap)', (code) => {
		const rule: RetryRule = RETRY_TABLE[code];
		const lastAttempt = Math.min(POLICY.maxAttempts, 1 + (rule.maxRetries ?? Infinity));
		for (let attempt = 1; attempt < lastAttempt; attempt++) {
			const decision = decideRetry({ code }, attempt, POLICY, MID);
			expect(decision.retry).toBe(true);
		}
		expect(decideRetry({ code }, lastAttempt, POLICY, MID)).toEqual({
			retry: false,
			reason: 'attempts-exhausted',
		});
	});

	it.each(RETRYABLE)('%s: switched off, fails at once', (code) => {
		expect(decideRetry({ code }, 1, { ...POLICY, enabled: false })).toEqual({
			retry: false,
			reason: 'retries-off',
		});
	});

	it('BACKEND_ERROR: at most two retries even with many tries allowed', () => {
		const policy = { ...POLICY, maxAttempts: 10 };
		expect(decideRetry({ code: 'BACKEND_ERROR' }, 1, policy, MID).retry).toBe(true);
		expect(decideRetry({ code: 'BACKEND_ERROR' }, 2, policy, MID).retry).toBe(true);
		expect(decideRetry({ code: 'BACKEND_ERROR' }, 3, policy, MID)).toEqual({
			retry: false,
			reason: 'attempts-exhausted',
		});
	});

	it('Max Tries below the cap wins; Max Tries 1 means no retry of a transient error at all', () => {
		expect(decideRetry({ code: 'BACKEND_ERROR' }, 2, { ...POLICY, maxAttempts: 2 })).toEqual({
			retry: false,
			reason: 'attempts-exhausted',
		});
		expect(decideRetry({ code: 'BACKEND_TIMEOUT' }, 1, { ...POLICY, maxAttempts: 1 })).toEqual({
			retry: false,
			reason: 'attempts-exhausted',
		});
		// A rate limit without Retry-After is counted like a transient error.
		expect(decideRetry({ code: 'RATE_LIMITED' }, 1, { ...POLICY, maxAttempts: 1 })).toEqual({
			retry: false,
			reason: 'attempts-exhausted',
		});
	});

	it('an unknown 5xx is retried twice at most', () => {
		expect(decideRetry({ code: 'NEW', httpStatus: 500 }, 2, POLICY, MID).retry).toBe(true);
		expect(decideRetry({ code: 'NEW', httpStatus: 500 }, 3, POLICY, MID)).toEqual({
			retry: false,
			reason: 'attempts-exhausted',
		});
	});
});

describe('decideRetry: how long to wait', () => {
	it.each(['RATE_LIMITED', 'BACKEND_RATE_LIMITED'] as const)(
		'%s waits exactly the Retry-After',
		(code) => {
			expect(decideRetry({ code, retryAfterMs: 15_000 }, 1, POLICY, HIGH)).toEqual({
				retry: true,
				waitMs: 15_000,
			});
			// Also when it is shorter than the backoff would be, and when it is zero.
			expect(decideRetry({ code, retryAfterMs: 1 }, 3, POLICY, HIGH)).toEqual({
				retry: true,
				waitMs: 1,
			});
			expect(decideRetry({ code, retryAfterMs: 0 }, 1, POLICY, HIGH)).toEqual({
				retry: true,
				waitMs: 0,
			});
		},
	);

	it.each(['BACKEND_TIMEOUT', 'MODEL_UNAVAILABLE', 'BACKEND_ERROR'] as const)(
		'%s also waits the Retry-After when ScaiGrid sends one (timeouts may carry it)',
		(code) => {
			expect(decideRetry({ code, retryAfterMs: 7_000 }, 1, POLICY, HIGH)).toEqual({
				retry: true,
				waitMs: 7_000,
			});
		},
	);

	it("a Retry-After above n8n's 5 s cap is honoured in full", () => {
		expect(decideRetry({ code: 'RATE_LIMITED', retryAfterMs: 45_000 }, 1, POLICY)).toEqual({
			retry: true,
			waitMs: 45_000,
		});
	});

	it('a rate limit without Retry-After backs off', () => {
		const decision = decideRetry({ code: 'RATE_LIMITED' }, 2, POLICY, LOW);
		expect(decision).toEqual({
			retry: true,
			waitMs: backoffMs('retry-after', 2, POLICY.baseDelayMs, LOW),
		});
		expect(decision).toEqual({ retry: true, waitMs: 100 });
	});

	it('MODEL_UNAVAILABLE waits four times longer than BACKEND_TIMEOUT', () => {
		const slow = decideRetry({ code: 'MODEL_UNAVAILABLE' }, 1, POLICY, HIGH);
		const normal = decideRetry({ code: 'BACKEND_TIMEOUT' }, 1, POLICY, HIGH);
		expect(slow).toEqual({ retry: true, waitMs: 400 });
		expect(normal).toEqual({ retry: true, waitMs: 100 });
	});

	it('a wait beyond Max Retry Wait ends the item and says how long', () => {
		const policy = { ...POLICY, maxWaitMs: 2000 };
		expect(decideRetry({ code: 'RATE_LIMITED', retryAfterMs: 5000 }, 1, policy)).toEqual({
			retry: false,
			reason: 'wait-too-long',
			waitMs: 5000,
		});
		// Exactly at the bound is fine.
		expect(decideRetry({ code: 'RATE_LIMITED', retryAfterMs: 2000 }, 1, policy)).toEqual({
			retry: true,
			waitMs: 2000,
		});
		// A backoff can exceed it too.
		expect(
			decideRetry({ code: 'MODEL_UNAVAILABLE' }, 3, { ...policy, baseDelayMs: 1000 }, LOW),
		).toEqual({
			retry: false,
			reason: 'wait-too-long',
			waitMs: 8000,
		});
	});

	it('attempt limits are checked before the wait: the last attempt is not "wait-too-long"', () => {
		expect(decideRetry({ code: 'BACKEND_TIMEOUT', retryAfterMs: 999_999 }, 5, POLICY)).toEqual({
			retry: false,
			reason: 'attempts-exhausted',
		});
	});

	it('the default policy: 4 attempts, 1 s base, 60 s Max Retry Wait, 5 minutes of rate-limit waits', () => {
		expect(DEFAULT_RETRY_POLICY).toEqual({
			enabled: true,
			maxAttempts: 4,
			baseDelayMs: 1000,
			maxWaitMs: 60_000,
			maxRateLimitWaitMs: 300_000,
		});
		// The option's default in the node is the policy's, in seconds.
		const option = retryOptionFields.find((field) => field.name === 'maxRateLimitWait');
		expect(option).toMatchObject({
			displayName: 'Max Total Rate-Limit Wait (Seconds)',
			default: 300,
		});
		expect(retryOptionFields.find((field) => field.name === 'maxRetryWait')?.default).toBe(
			DEFAULT_RETRY_POLICY.maxWaitMs / 1000,
		);
		expect(decideRetry({ code: 'BACKEND_TIMEOUT' }, 3, DEFAULT_RETRY_POLICY, HIGH).retry).toBe(
			true,
		);
		expect(decideRetry({ code: 'BACKEND_TIMEOUT' }, 4, DEFAULT_RETRY_POLICY, HIGH).retry).toBe(
			false,
		);
	});
});

describe('decideRetry: rate limits with a Retry-After are bounded by the total wait, not by Max Tries', () => {
	const policy: RetryPolicy = { ...POLICY, maxAttempts: 2, maxRateLimitWaitMs: 10_000 };

	it.each(['RATE_LIMITED', 'BACKEND_RATE_LIMITED'] as const)(
		'%s is retried far beyond Max Tries while the budget lasts',
		(code) => {
			expect(isTimedRateLimit({ code, retryAfterMs: 1000 })).toBe(true);
			// Attempt 9, all eight before it refused with Retry-After 1 s: 8 s waited, 1 s more fits.
			expect(
				decideRetry(
					{ code, retryAfterMs: 1000 },
					{ attempt: 9, rateLimited: 8, rateLimitWaitMs: 8000 },
					policy,
				),
			).toEqual({
				retry: true,
				waitMs: 1000,
			});
			// Exactly at the budget is fine.
			expect(
				decideRetry(
					{ code, retryAfterMs: 2000 },
					{ attempt: 9, rateLimited: 8, rateLimitWaitMs: 8000 },
					policy,
				),
			).toEqual({
				retry: true,
				waitMs: 2000,
			});
		},
	);

	it('a wait that would pass the budget ends the item, saying what was waited and what was asked', () => {
		expect(
			decideRetry(
				{ code: 'RATE_LIMITED', retryAfterMs: 1000 },
				{ attempt: 11, rateLimited: 10, rateLimitWaitMs: 10_000 },
				policy,
			),
		).toEqual({
			retry: false,
			reason: 'rate-limit-wait-exhausted',
			waitMs: 1000,
			waitedMs: 10_000,
		});
		// A budget of 0 allows no rate-limit wait at all.
		expect(
			decideRetry({ code: 'RATE_LIMITED', retryAfterMs: 1 }, 1, {
				...policy,
				maxRateLimitWaitMs: 0,
			}),
		).toEqual({
			retry: false,
			reason: 'rate-limit-wait-exhausted',
			waitMs: 1,
			waitedMs: 0,
		});
	});

	it('Max Retry Wait still caps each single wait, before the budget is looked at', () => {
		expect(
			decideRetry({ code: 'RATE_LIMITED', retryAfterMs: 5000 }, 1, { ...policy, maxWaitMs: 2000 }),
		).toEqual({
			retry: false,
			reason: 'wait-too-long',
			waitMs: 5000,
		});
	});

	it('transient errors between rate limits keep their own attempt count', () => {
		// Attempt 6 failed with a timeout; 5 rate limits came before: it is the first transient failure.
		const afterRateLimits = { attempt: 6, rateLimited: 5, rateLimitWaitMs: 5000 };
		expect(decideRetry({ code: 'BACKEND_TIMEOUT' }, afterRateLimits, policy, LOW)).toEqual({
			retry: true,
			waitMs: 50,
		});
		// Its backoff starts from the first step, not from the sixth.
		expect(decideRetry({ code: 'BACKEND_TIMEOUT' }, afterRateLimits, policy, HIGH)).toEqual({
			retry: true,
			waitMs: 100,
		});
		// A second transient failure reaches Max Tries 2.
		expect(
			decideRetry(
				{ code: 'BACKEND_TIMEOUT' },
				{ attempt: 7, rateLimited: 5, rateLimitWaitMs: 5000 },
				policy,
			),
		).toEqual({
			retry: false,
			reason: 'attempts-exhausted',
		});
		// BACKEND_ERROR's own cap of two counts its retries only.
		expect(
			decideRetry(
				{ code: 'BACKEND_ERROR' },
				{ attempt: 7, rateLimited: 5, rateLimitWaitMs: 5000 },
				{ ...policy, maxAttempts: 5 },
				MID,
			).retry,
		).toBe(true);
	});

	it('rate limits without a Retry-After, and other codes with one, count as attempts', () => {
		expect(isTimedRateLimit({ code: 'RATE_LIMITED' })).toBe(false);
		expect(isTimedRateLimit({ code: 'BACKEND_TIMEOUT', retryAfterMs: 1000 })).toBe(false);
		expect(isTimedRateLimit({ code: 'BUDGET_EXCEEDED', retryAfterMs: 1000 })).toBe(false);
		expect(decideRetry({ code: 'RATE_LIMITED' }, 2, policy)).toEqual({
			retry: false,
			reason: 'attempts-exhausted',
		});
		expect(decideRetry({ code: 'BACKEND_TIMEOUT', retryAfterMs: 1000 }, 2, policy)).toEqual({
			retry: false,
			reason: 'attempts-exhausted',
		});
	});

	it('retries switched off and non-retryable codes still win', () => {
		expect(
			decideRetry({ code: 'RATE_LIMITED', retryAfterMs: 1000 }, 1, { ...policy, enabled: false }),
		).toEqual({
			retry: false,
			reason: 'retries-off',
		});
		expect(decideRetry({ code: 'BUDGET_EXCEEDED', retryAfterMs: 1000 }, 1, policy)).toEqual({
			retry: false,
			reason: 'not-retryable',
		});
	});
});

describe('backoffMs', () => {
	it.each([1, 2, 3, 4, 5])('attempt %i: between half the step and the step', (attempt) => {
		const step = 100 * 2 ** (attempt - 1);
		expect(backoffMs('backoff', attempt, 100, LOW)).toBe(step / 2);
		expect(backoffMs('backoff', attempt, 100, HIGH)).toBe(step);
		expect(backoffMs('backoff', attempt, 100, MID)).toBe(Math.round(step * 0.75));
	});

	it('slow-backoff starts from four times the base', () => {
		expect(backoffMs('slow-backoff', 1, 100, LOW)).toBe(200);
		expect(backoffMs('slow-backoff', 1, 100, HIGH)).toBe(400);
		expect(backoffMs('slow-backoff', 2, 100, HIGH)).toBe(800);
	});

	it('flattens at 30 s instead of growing to minutes', () => {
		expect(backoffMs('backoff', 20, 1000, HIGH)).toBe(30_000);
		expect(backoffMs('backoff', 20, 1000, LOW)).toBe(15_000);
		expect(backoffMs('slow-backoff', 10, 1000, HIGH)).toBe(30_000);
	});

	it('a zero base means no wait', () => {
		expect(backoffMs('backoff', 3, 0, HIGH)).toBe(0);
	});

	it('Math.random jitter stays within the bounds', () => {
		for (let i = 0; i < 200; i++) {
			const wait = backoffMs('backoff', 3, 100);
			expect(wait).toBeGreaterThanOrEqual(200);
			expect(wait).toBeLessThanOrEqual(400);
			expect(Number.isInteger(wait)).toBe(true);
		}
	});
});
