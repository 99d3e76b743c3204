'use strict';
// Response writing: every /v1 JSON answer goes through here so the envelope, the request-ID
// header and the rate-limit headers are uniform.

function baseHeaders(ctx, contentType) {
	const headers = { 'Content-Type': contentType, 'X-Scaigrid-Request-Id': ctx.requestId };
	if (ctx.rateHeaders) Object.assign(headers, ctx.rateHeaders);
	return headers;
}

function finish(ctx, status, headers, body) {
	if (ctx.logEntry) ctx.logEntry.status = status;
	if (ctx.res.destroyed) return;
	headers['Content-Length'] = Buffer.byteLength(body);
	ctx.res.writeHead(status, headers);
	ctx.res.end(body);
}

function sendOk(ctx, data, extraTop) {
	const body = { status: 'ok', data, ...(extraTop || {}), meta: { request_id: ctx.requestId } };
	finish(ctx, 200, baseHeaders(ctx, 'application/json'), JSON.stringify(body));
}

function sendError(ctx, err) {
	const error = { code: err.code, message: err.message };
	const headers = baseHeaders(ctx, 'application/json');
	if (err.retryAfter !== undefined && err.retryAfter !== null) {
		error.retry_after = err.retryAfter;
		headers['Retry-After'] = String(err.retryAfter);
	}
	if (err.details) error.details = err.details;
	if (err.headers) Object.assign(headers, err.headers);
	const body = { status: 'error', error, meta: { request_id: ctx.requestId } };
	finish(ctx, err.httpStatus, headers, JSON.stringify(body));
}

/** A JSON answer without the envelope (the OpenAI-compatible surface), with the same headers. */
function sendBare(ctx, status, body, extraHeaders) {
	const headers = baseHeaders(ctx, 'application/json');
	if (extraHeaders) Object.assign(headers, extraHeaders);
	finish(ctx, status, headers, JSON.stringify(body));
}

/** A raw (non-enveloped) answer: exports, faults, health. */
function sendRaw(ctx, status, contentType, text, extraHeaders) {
	const headers = baseHeaders(ctx, contentType);
	if (extraHeaders) Object.assign(headers, extraHeaders);
	finish(ctx, status, headers, text);
}

module.exports = { sendOk, sendError, sendBare, sendRaw, baseHeaders };
