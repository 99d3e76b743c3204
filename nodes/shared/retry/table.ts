/**
 * ScaiGrid's retry table (docs/scaigrid-api.md §2.1, §2.2) as data. Retry decisions (policy.ts),
 * the "what to do" text of every error and the README's table all derive from RETRY_TABLE:
 * change a row here and everything follows.
 */
import type { Failure } from 'n8n-workflow';

export type RetryStrategy =
	/** Rate limits: the wait ScaiGrid asks (Retry-After / retry_after), else back off. */
	| 'retry-after'
	/** Exponential backoff with jitter. */
	| 'backoff'
	/** Exponential backoff from a longer base: the model may come back, but not in a second. */
	| 'slow-backoff'
	| 'never';

export interface RetryRule {
	httpStatus: number | null;
	strategy: RetryStrategy;
	/** A cap below the user's Max Tries, where the table says "once or twice". */
	maxRetries?: number;
	/** What the user should do when this code ends an item: shown as the error description. */
	advice: string;
	/** n8n's descriptive failure cause (NodeApiError `failure`). */
	cause: Failure['cause'];
}

export const RETRY_TABLE = {
	RATE_LIMITED: {
		httpStatus: 429,
		strategy: 'retry-after',
		advice:
			'ScaiGrid rate limit reached (per key, user, tenant or partner). The node waits as long as ScaiGrid asks (Retry-After), up to "Max Total Rate-Limit Wait" per item; raise it, or lower "Max Concurrent Requests", if items still fail.',
		cause: 'rate-limited',
	},
	BACKEND_RATE_LIMITED: {
		httpStatus: 429,
		strategy: 'retry-after',
		advice:
			'The upstream model provider is rate limiting ScaiGrid. Retry later, lower "Max Concurrent Requests", or pick a model with more capacity.',
		cause: 'rate-limited',
	},
	BACKEND_TIMEOUT: {
		httpStatus: 504,
		strategy: 'backoff',
		advice:
			'The model backend did not answer in time. Retry later, shorten the prompt or lower Max Tokens.',
		cause: 'temporarily-unavailable',
	},
	BACKEND_ERROR: {
		httpStatus: 502,
		strategy: 'backoff',
		maxRetries: 2,
		advice:
			'The model backend failed. It was retried; if it keeps failing, try another model or report the request ID to your ScaiGrid admin.',
		cause: 'temporarily-unavailable',
	},
	MODEL_UNAVAILABLE: {
		httpStatus: 503,
		strategy: 'slow-backoff',
		advice:
			'All backends of this model are unhealthy right now. Retry later or pick another model (ScaiGrid List Models shows their health).',
		cause: 'temporarily-unavailable',
	},
	BUDGET_EXCEEDED: {
		httpStatus: 429,
		strategy: 'never',
		advice:
			'A ScaiGrid budget hit its hard limit. Requests stay blocked until the next budget period or until your ScaiGrid admin raises the budget; retrying does not help.',
		cause: 'quota-exhausted',
	},
	QUOTA_EXCEEDED: {
		httpStatus: null,
		strategy: 'never',
		advice:
			'A ScaiGrid quota is used up. Ask your ScaiGrid admin to raise it, or wait until it resets; retrying does not help.',
		cause: 'quota-exhausted',
	},
	UPSTREAM_SHAPE_MISMATCH: {
		httpStatus: 502,
		strategy: 'never',
		advice:
			"ScaiGrid could not read the model provider's answer (a gateway bug). Report the request ID to your ScaiGrid admin.",
		cause: 'node-defect',
	},
	AUTH_TOKEN_MISSING: {
		httpStatus: 401,
		strategy: 'never',
		advice: 'No API key was sent. Add the API key to the ScaiGrid API credential.',
		cause: 'credential-invalid',
	},
	AUTH_TOKEN_INVALID: {
		httpStatus: 401,
		strategy: 'never',
		advice:
			'ScaiGrid rejected the API key: it is mistyped, expired or revoked. Fix the API key in the ScaiGrid API credential.',
		cause: 'credential-invalid',
	},
	SESSION_EXPIRED: {
		httpStatus: 401,
		strategy: 'never',
		advice: 'The JWT in the credential expired. Put a fresh token or an API key in the credential.',
		cause: 'credential-invalid',
	},
	AUTH_INSUFFICIENT_SCOPE: {
		httpStatus: 403,
		strategy: 'never',
		advice:
			"The API key's scope does not cover this operation. Create a key with the needed scope, or ask your ScaiGrid admin.",
		cause: 'credential-invalid',
	},
	AUTHZ_PERMISSION_DENIED: {
		httpStatus: 403,
		strategy: 'never',
		advice:
			'The user behind the API key lacks a permission for this operation. Ask your ScaiGrid admin to grant it.',
		cause: 'credential-invalid',
	},
	MODEL_NOT_FOUND: {
		httpStatus: 404,
		strategy: 'never',
		advice:
			'No model with this slug exists. Pick the model from the list, or check the slug (e.g. scailabs/poolnoodle-omni).',
		cause: 'configuration-invalid',
	},
	MODEL_ACCESS_DENIED: {
		httpStatus: 403,
		strategy: 'never',
		advice:
			'The model is not enabled for your tenant. Pick another model or ask your ScaiGrid admin to enable it.',
		cause: 'configuration-invalid',
	},
	VALIDATION_ERROR: {
		httpStatus: 422,
		strategy: 'never',
		advice: 'ScaiGrid rejected the request. The details name the fields to fix.',
		cause: 'configuration-invalid',
	},
	// Failures found by the client itself, not sent by ScaiGrid.
	NETWORK_ERROR: {
		httpStatus: null,
		strategy: 'backoff',
		advice:
			'ScaiGrid could not be reached. Check the Base URL in the credential and that the instance is up.',
		cause: 'temporarily-unavailable',
	},
	HOST_NOT_FOUND: {
		httpStatus: null,
		strategy: 'never',
		advice:
			'The host name in the Base URL does not resolve. Check the Base URL in the ScaiGrid API credential.',
		cause: 'configuration-invalid',
	},
	REDIRECT_NOT_FOLLOWED: {
		httpStatus: null,
		strategy: 'never',
		advice:
			"The Base URL redirects to another address (the message says where). The nodes never follow a redirect, so the API key never leaves the Base URL's origin: put the final URL in the ScaiGrid API credential.",
		cause: 'configuration-invalid',
	},
	INVALID_RESPONSE: {
		httpStatus: null,
		strategy: 'never',
		advice:
			'The answer was not a ScaiGrid API reply. Check the Base URL in the credential (a proxy or another service may be answering).',
		cause: 'configuration-invalid',
	},
	STREAM_INTERRUPTED: {
		httpStatus: null,
		strategy: 'backoff',
		advice: 'The streamed answer broke off before it was complete. Retry, or turn streaming off.',
		cause: 'temporarily-unavailable',
	},
} as const satisfies Record<string, RetryRule>;

export type KnownCode = keyof typeof RETRY_TABLE;

/** Undocumented codes: "5xx without a known code is retryable like BACKEND_ERROR; 4xx is not". */
const UNKNOWN_SERVER_ERROR: RetryRule = {
	...RETRY_TABLE.BACKEND_ERROR,
	advice:
		'ScaiGrid answered with an undocumented server error. It was retried; if it persists, report the request ID to your ScaiGrid admin.',
};
const UNKNOWN_CLIENT_ERROR: RetryRule = {
	httpStatus: null,
	strategy: 'never',
	advice:
		'ScaiGrid refused the request with an undocumented error. Check the message and the node parameters.',
	cause: 'configuration-invalid',
};

export function ruleFor(code: string, httpStatus?: number | null): RetryRule {
	if (Object.prototype.hasOwnProperty.call(RETRY_TABLE, code)) {
		return RETRY_TABLE[code as KnownCode];
	}
	return httpStatus !== undefined && httpStatus !== null && httpStatus >= 500
		? UNKNOWN_SERVER_ERROR
		: UNKNOWN_CLIENT_ERROR;
}
