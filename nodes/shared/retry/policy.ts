/**
 * How the retry table is applied to one item: the limits (attempts for transient errors, a time
 * budget for rate limits that say how long to wait, the longest single wait), the backoff, and
 * the decision after each failed attempt. Pure: the loop that sleeps is loop.ts.
 */
import type { RetryStrategy } from './table';
import { ruleFor } from './table';
export interface RetryPolicy {
	/** Whether to retry at all (off: every failure ends the item at once). */
	enabled: boolean;
	/**
	 * Total attempts for transient errors (backend timeouts and errors, network failures), the
	 * first one included. Rate limits that say how long to wait do not count here.
	 */
	maxAttempts: number;
	/** Base of the exponential backoff. */
	baseDelayMs: number;
	/** The longest single wait the node accepts; beyond it the item fails and says so. */
	maxWaitMs: number;
	/**
	 * The most one item waits in all for rate limits that say how long to wait ('retry-after'
	 * rows with a Retry-After): while ScaiGrid keeps refusing, an item retries until this is
	 * spent, however many attempts that takes.
	 */
	maxRateLimitWaitMs: number;
}

/** Without Retry On Fail the table still applies: rate limits are part of normal gateway use. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	enabled: true,
	maxAttempts: 4,
	baseDelayMs: 1000,
	maxWaitMs: 60_000,
	maxRateLimitWaitMs: 5 * 60_000,
};

/** Longest backoff step, so the exponential curve flattens instead of reaching minutes. */
const MAX_BACKOFF_MS = 30_000;
const SLOW_BACKOFF_FACTOR = 4;

export interface RetryableFailure {
	code: string;
	httpStatus?: number | null;
	retryAfterMs?: number;
}

/** What an item went through before the failure being decided on. */
export interface RetryHistory {
	/** Attempts made, the failed one included (1-based). */
	attempt: number;
	/** Of the earlier attempts, those that failed with a rate limit that said how long to wait. */
	rateLimited: number;
	/** Time already waited for such rate limits. */
	rateLimitWaitMs: number;
}

export type RetryDecision =
	| { retry: true; waitMs: number }
	| { retry: false; reason: 'not-retryable' | 'retries-off' | 'attempts-exhausted' }
	| { retry: false; reason: 'wait-too-long'; waitMs: number }
	| { retry: false; reason: 'rate-limit-wait-exhausted'; waitMs: number; waitedMs: number };

/**
 * A rate limit that says how long to wait: its retries are bounded by the total wait
 * (maxRateLimitWaitMs), not by the attempt count meant for transient errors.
 */
export function isTimedRateLimit(failure: RetryableFailure): boolean {
	return (
		ruleFor(failure.code, failure.httpStatus).strategy === 'retry-after' &&
		failure.retryAfterMs !== undefined
	);
}

/**
 * Whether the item's attempt that failed with `failure` is followed by another, and after how
 * long. `history` is the attempt number alone when no rate limit came before. Pure: `random` is
 * injected so tests can pin the jitter.
 */
export function decideRetry(
	failure: RetryableFailure,
	history: number | RetryHistory,
	policy: RetryPolicy,
	random: () => number = Math.random,
): RetryDecision {
	const { attempt, rateLimited, rateLimitWaitMs } =
		typeof history === 'number'
			? { attempt: history, rateLimited: 0, rateLimitWaitMs: 0 }
			: history;
	const rule = ruleFor(failure.code, failure.httpStatus);
	if (rule.strategy === 'never') return { retry: false, reason: 'not-retryable' };
	if (!policy.enabled) return { retry: false, reason: 'retries-off' };
	if (isTimedRateLimit(failure)) {
		// ScaiGrid says when another request gets through: wait that long, as often as the
		// total budget allows.
		const waitMs = failure.retryAfterMs!;
		if (waitMs > policy.maxWaitMs) return { retry: false, reason: 'wait-too-long', waitMs };
		if (rateLimitWaitMs + waitMs > policy.maxRateLimitWaitMs) {
			return {
				retry: false,
				reason: 'rate-limit-wait-exhausted',
				waitMs,
				waitedMs: rateLimitWaitMs,
			};
		}
		return { retry: true, waitMs };
	}
	// Transient errors (and rate limits that do not say how long): counted in attempts.
	const transientAttempt = attempt - rateLimited;
	if (transientAttempt >= policy.maxAttempts) return { retry: false, reason: 'attempts-exhausted' };
	if (rule.maxRetries !== undefined && transientAttempt - 1 >= rule.maxRetries) {
		return { retry: false, reason: 'attempts-exhausted' };
	}
	// Whenever ScaiGrid says how long to wait (some timeouts), that wins.
	const waitMs =
		failure.retryAfterMs !== undefined
			? failure.retryAfterMs
			: backoffMs(rule.strategy, transientAttempt, policy.baseDelayMs, random);
	if (waitMs > policy.maxWaitMs) return { retry: false, reason: 'wait-too-long', waitMs };
	return { retry: true, waitMs };
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
export function backoffMs(
	strategy: RetryStrategy,
	attempt: number,
	baseDelayMs: number,
	random: () => number = Math.random,
): number {
	const base = strategy === 'slow-backoff' ? baseDelayMs * SLOW_BACKOFF_FACTOR : baseDelayMs;
	const step = Math.min(MAX_BACKOFF_MS, base * 2 ** (attempt - 1));
	return Math.round(step / 2 + (random() * step) / 2);
}
