/**
 * The retry options every node offers, and the policy they make, with n8n's own Retry On Fail
 * settings mapped onto ScaiGrid's retry table.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RetryPolicy } from './policy';
import { DEFAULT_RETRY_POLICY } from './policy';

/** The retry fields of a node's "Options" collection. Their names are read by `retryPolicyFor`. */
export const retryOptionFields: INodeProperties[] = [
	{
		displayName: 'Retry Rate Limits and Transient Errors',
		name: 'retryTransient',
		type: 'boolean',
		default: true,
		description:
			"Whether to retry inside the node the failures ScaiGrid's retry table calls retryable (rate limits with their Retry-After, backend timeouts and errors, network failures). Budget, auth, permission and validation errors always fail at once. With the node's Retry On Fail setting on, its Max Tries and Wait Between Tries apply here (rate limits with a Retry-After are bounded by Max Total Rate-Limit Wait instead).",
	},
	{
		displayName: 'Max Retry Wait (Seconds)',
		name: 'maxRetryWait',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 60,
		description:
			'The longest the node waits before one retry. When ScaiGrid asks for a longer wait, the item fails with a message saying how long.',
	},
	{
		displayName: 'Max Total Rate-Limit Wait (Seconds)',
		name: 'maxRateLimitWait',
		type: 'number',
		typeOptions: { minValue: 0 },
		// DEFAULT_RETRY_POLICY.maxRateLimitWaitMs in seconds (the lint wants a literal; a unit test checks).
		default: 300,
		description:
			'The longest one item waits in all, in seconds, while ScaiGrid keeps answering with a rate limit and a Retry-After. Such retries count against this time, not against Max Tries, so a long rate-limit episode does not fail items that only had to wait.',
	},
];

export interface RetryOptionValues {
	retryTransient?: boolean;
	maxRetryWait?: number;
	maxRateLimitWait?: number;
}

/** Whether the node retries retryable failures itself (the option is node-wide: read at item 0). */
export function inNodeRetriesEnabled(ctx: IExecuteFunctions): boolean {
	return (ctx.getNodeParameter('options', 0, {}) as RetryOptionValues).retryTransient !== false;
}

/**
 * n8n's Retry On Fail re-runs a whole node with a fixed wait of at most 5 s and cannot tell a
 * rate limit from a revoked key. Its settings are honoured here instead, per item and per the
 * retry table: Max Tries = attempts for transient errors, Wait Between Tries = backoff base.
 * Rate limits with a Retry-After are bounded by Max Total Rate-Limit Wait instead.
 */
export function retryPolicyFor(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	options: RetryOptionValues,
): RetryPolicy {
	const node = ctx.getNode();
	const maxWaitMs = Math.max(
		0,
		(options.maxRetryWait ?? DEFAULT_RETRY_POLICY.maxWaitMs / 1000) * 1000,
	);
	const maxRateLimitWaitMs = Math.max(
		0,
		(options.maxRateLimitWait ?? DEFAULT_RETRY_POLICY.maxRateLimitWaitMs / 1000) * 1000,
	);
	const enabled = options.retryTransient !== false;
	if (node.retryOnFail === true) {
		return {
			enabled,
			maxAttempts: Math.max(1, Number(node.maxTries ?? 3)),
			baseDelayMs: Math.max(0, Number(node.waitBetweenTries ?? 1000)),
			maxWaitMs,
			maxRateLimitWaitMs,
		};
	}
	return { ...DEFAULT_RETRY_POLICY, enabled, maxWaitMs, maxRateLimitWaitMs };
}
