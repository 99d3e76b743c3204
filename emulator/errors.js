'use strict';
// HTTP status per error code (contract section 2). Unknown codes answer 500 so a client
// sees "5xx without a known code", which the contract treats as retryable.

const STATUS_BY_CODE = {
	RATE_LIMITED: 429,
	BACKEND_RATE_LIMITED: 429,
	BACKEND_TIMEOUT: 504,
	BACKEND_ERROR: 502,
	MODEL_UNAVAILABLE: 503,
	BUDGET_EXCEEDED: 429,
	QUOTA_EXCEEDED: 429,
	UPSTREAM_SHAPE_MISMATCH: 502,
	AUTH_TOKEN_MISSING: 401,
	AUTH_TOKEN_INVALID: 401,
	SESSION_EXPIRED: 401,
	AUTH_INSUFFICIENT_SCOPE: 403,
	AUTHZ_PERMISSION_DENIED: 403,
	MODEL_NOT_FOUND: 404,
	MODEL_ACCESS_DENIED: 403,
	VALIDATION_ERROR: 422,
	NOT_FOUND: 404,
	BUDGET_NOT_FOUND: 404,
	METHOD_NOT_ALLOWED: 405,
};

const DEFAULT_MESSAGES = {
	RATE_LIMITED: 'Rate limit exceeded',
	BACKEND_RATE_LIMITED: 'Backend rate limit exceeded',
	BACKEND_TIMEOUT: 'Backend did not answer in time',
	BACKEND_ERROR: 'Backend returned an error',
	MODEL_UNAVAILABLE: 'No healthy backend is available for this model',
	BUDGET_EXCEEDED: 'Budget hard limit reached',
	QUOTA_EXCEEDED: 'Quota exceeded',
	UPSTREAM_SHAPE_MISMATCH: 'Upstream response did not match the expected shape',
	AUTH_TOKEN_MISSING: 'Authorization header is missing',
	AUTH_TOKEN_INVALID: 'API key is invalid or revoked',
	SESSION_EXPIRED: 'Session expired',
	AUTH_INSUFFICIENT_SCOPE: 'Token scope is insufficient',
	AUTHZ_PERMISSION_DENIED: 'Permission denied',
	MODEL_NOT_FOUND: 'Model not found',
	MODEL_ACCESS_DENIED: 'Model is not enabled for this tenant',
	VALIDATION_ERROR: 'Request validation failed',
	NOT_FOUND: 'Not found',
};

function statusFor(code) {
	return STATUS_BY_CODE[code] || 500;
}

function messageFor(code) {
	return DEFAULT_MESSAGES[code] || `Error ${code}`;
}

/** A thrown ApiError becomes an error envelope. */
class ApiError extends Error {
	constructor(code, message, extra = {}) {
		super(message || messageFor(code));
		this.code = code;
		this.httpStatus = extra.httpStatus || statusFor(code);
		this.retryAfter = extra.retryAfter;
		this.details = extra.details;
		this.headers = extra.headers;
	}
}

function validation(details) {
	const list = Array.isArray(details) ? details : [details];
	const summary = list.map((d) => `${d.field}: ${d.message}`).join('; ');
	return new ApiError('VALIDATION_ERROR', `Request validation failed: ${summary}`, {
		details: list,
	});
}

module.exports = { STATUS_BY_CODE, statusFor, messageFor, ApiError, validation };
