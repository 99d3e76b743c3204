/**
 * The loop every call runs through: an attempt, and after a ScaiGrid failure the policy's
 * decision (policy.ts): wait and try again, or give up with a hint saying which limit ended it.
 */
import { sleep } from 'n8n-workflow';

import { settle } from '../execution/settle';
import { ScaiGridError } from '../transport/errors';
import type { RetryPolicy } from './policy';
import { DEFAULT_RETRY_POLICY, decideRetry, isTimedRateLimit } from './policy';

/** Seconds for messages: whole when whole, else one decimal. */
function seconds(ms: number): string {
	return String(Math.round(ms / 100) / 10);
}

/**
 * Runs `attempt` until it succeeds or the policy says stop. Only ScaiGridErrors are retried;
 * anything else, and anything after the execution was cancelled, is thrown at once.
 */
export async function retrying<T>(
	policy: RetryPolicy | undefined,
	attempt: () => Promise<T>,
	signal?: AbortSignal,
): Promise<T & { attempts: number }> {
	const effective = policy ?? DEFAULT_RETRY_POLICY;
	// Rate limits that say how long to wait count against a time budget, not Max Tries.
	let rateLimited = 0;
	let rateLimitWaitMs = 0;
	for (let attempts = 1; ; attempts++) {
		const outcome = await settle(attempt());
		if (outcome.ok) return { ...outcome.value, attempts };
		const error = outcome.error;
		if (!(error instanceof ScaiGridError) || signal?.aborted) throw error;
		error.attempts = attempts;
		const decision = decideRetry(
			error,
			{ attempt: attempts, rateLimited, rateLimitWaitMs },
			effective,
		);
		if (!decision.retry) {
			if (decision.reason === 'wait-too-long') {
				error.hint = `ScaiGrid asked to wait ${Math.ceil(decision.waitMs / 1000)} s, longer than "Max Retry Wait" (${Math.ceil(effective.maxWaitMs / 1000)} s).`;
			}
			if (decision.reason === 'rate-limit-wait-exhausted') {
				error.hint =
					`ScaiGrid kept refusing: the node waited ${seconds(decision.waitedMs)} s in total for rate limits, and the next wait ` +
					`(${seconds(decision.waitMs)} s) would pass "Max Total Rate-Limit Wait" (${seconds(effective.maxRateLimitWaitMs)} s). ` +
					'Raise "Max Total Rate-Limit Wait" to ride out longer episodes.';
			}
			throw error;
		}
		if (isTimedRateLimit(error)) {
			rateLimited++;
			rateLimitWaitMs += decision.waitMs;
		}
		await sleep(decision.waitMs, signal);
	}
}
