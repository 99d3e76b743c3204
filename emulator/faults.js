'use strict';
// Failure injection: "make the next N matching requests fail" (failNext), or "every matching
// request for the next `forMs` ms" (a sustained episode, e.g. a long run of RATE_LIMITED).
// Error-code faults and transport faults apply before authentication; stream faults apply once a
// valid streaming chat request is about to stream.

const { ApiError, statusFor, messageFor } = require('./errors');
const { sendError } = require('./envelope');

const STREAM_FAULTS = new Set([
	'streamErrorMidway',
	'streamErrorFirst',
	'streamNoDone',
	'streamCut',
]);
const TRANSPORT_FAULTS = new Set([
	'reset',
	'html502',
	'invalidJson',
	'missingData',
	'nonScaigridJson',
	'jsonOk',
	'slow',
	'redirect',
]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function toMatcher(path) {
	if (path === undefined || path === null || path === '') return (p) => p.startsWith('/v1/');
	if (path instanceof RegExp) return (p) => path.test(p);
	if (typeof path === 'object' && typeof path.regex === 'string') {
		const re = new RegExp(path.regex, path.flags || '');
		return (p) => re.test(p);
	}
	return (p) => p.includes(String(path));
}

class Faults {
	constructor() {
		this.queue = [];
	}

	clear() {
		this.queue = [];
	}

	add(spec = {}) {
		if (spec.fault && !STREAM_FAULTS.has(spec.fault) && !TRANSPORT_FAULTS.has(spec.fault)) {
			throw new Error(
				`unknown fault ${spec.fault}; expected one of ${[...TRANSPORT_FAULTS, ...STREAM_FAULTS].join(', ')}`,
			);
		}
		if (spec.fault === 'redirect') {
			if (typeof spec.location !== 'string' || spec.location === '')
				throw new Error('fault redirect needs a location');
			if (spec.httpStatus !== undefined && !REDIRECT_STATUSES.has(spec.httpStatus)) {
				throw new Error(
					`fault redirect: httpStatus must be one of ${[...REDIRECT_STATUSES].join(', ')}`,
				);
			}
		}
		if (spec.forMs !== undefined && !(Number.isFinite(spec.forMs) && spec.forMs > 0)) {
			throw new Error(`forMs must be a positive number of milliseconds, got ${spec.forMs}`);
		}
		if (spec.skip !== undefined && !(Number.isInteger(spec.skip) && spec.skip >= 0)) {
			throw new Error(`skip must be a whole number of requests >= 0, got ${spec.skip}`);
		}
		if (
			spec.resetAfter !== undefined &&
			!(Number.isFinite(spec.resetAfter) && spec.resetAfter >= 0)
		) {
			throw new Error(`resetAfter must be a number of seconds >= 0, got ${spec.resetAfter}`);
		}
		// With forMs the fault lasts a span of time (from the first request it answers), not a count.
		const count = spec.forMs !== undefined ? Infinity : spec.count === undefined ? 1 : spec.count;
		if (count <= 0) return;
		this.queue.push({
			...spec,
			code: spec.code || (spec.fault ? undefined : 'BACKEND_ERROR'),
			remaining: count,
			skip: spec.skip || 0,
			until: undefined,
			matches: toMatcher(spec.path),
		});
	}

	/** Takes one use of the first matching fault of the given kind ('stream' or 'plain'). */
	take(path, kind, now = Date.now()) {
		for (let i = 0; i < this.queue.length; i++) {
			const f = this.queue[i];
			if (STREAM_FAULTS.has(f.fault) !== (kind === 'stream') || !f.matches(path)) continue;
			if (f.skip > 0) {
				// `skip`: this many matching requests go through untouched first (a fault mid-run).
				f.skip--;
				continue;
			}
			if (f.forMs !== undefined) {
				if (f.until === undefined) f.until = now + f.forMs;
				if (now >= f.until) {
					// The episode is over: the fault goes, and the request is looked at afresh.
					this.queue.splice(i--, 1);
					continue;
				}
				return f;
			}
			f.remaining--;
			if (f.remaining <= 0) this.queue.splice(i, 1);
			return f;
		}
		return null;
	}

	get size() {
		return this.queue.length;
	}
}

function rawAnswer(ctx, status, headers, text) {
	if (ctx.logEntry) ctx.logEntry.status = status;
	ctx.res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(text) });
	ctx.res.end(text);
}

/**
 * Applies a plain fault. Resolves true when the response was answered (or the socket
 * destroyed), false when normal processing should go on (the 'slow' fault).
 */
async function applyPlainFault(ctx, f, limiter) {
	switch (f.fault) {
		case 'reset':
			if (ctx.logEntry) ctx.logEntry.status = 0;
			ctx.req.socket.destroy();
			return true;
		case 'html502':
			rawAnswer(
				ctx,
				502,
				{ 'Content-Type': 'text/html' },
				'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
			);
			return true;
		case 'invalidJson':
			rawAnswer(
				ctx,
				200,
				{ 'Content-Type': 'application/json', 'X-Scaigrid-Request-Id': ctx.requestId },
				'{"status":"ok","data":{"items":[{"slug":"scai',
			);
			return true;
		case 'missingData':
			rawAnswer(
				ctx,
				200,
				{ 'Content-Type': 'application/json', 'X-Scaigrid-Request-Id': ctx.requestId },
				JSON.stringify({ status: 'ok', meta: { request_id: ctx.requestId } }),
			);
			return true;
		case 'jsonOk':
			// A well-formed success where the endpoint sends something else (e.g. audio): `data` as given.
			rawAnswer(
				ctx,
				200,
				{ 'Content-Type': 'application/json', 'X-Scaigrid-Request-Id': ctx.requestId },
				JSON.stringify({
					status: 'ok',
					data: f.data === undefined ? {} : f.data,
					meta: { request_id: ctx.requestId },
				}),
			);
			return true;
		case 'nonScaigridJson':
			rawAnswer(
				ctx,
				200,
				{ 'Content-Type': 'application/json' },
				JSON.stringify({ hello: 'world', served_by: 'not-scaigrid' }),
			);
			return true;
		case 'redirect': {
			// `{path}` stands for the request's own path and query, so a redirect to another
			// origin can keep the endpoint: `http://127.0.0.1:9000{path}`.
			const location = f.location.split('{path}').join(ctx.req.url);
			if (ctx.logEntry) ctx.logEntry.redirectedTo = location;
			rawAnswer(
				ctx,
				f.httpStatus || 307,
				{ 'Content-Type': 'text/plain', Location: location },
				`Redirecting to ${location}\n`,
			);
			return true;
		}
		case 'slow':
			await ctx.delay(f.delayMs === undefined ? 5000 : f.delayMs);
			return false;
		default: {
			const code = f.code;
			const httpStatus = f.httpStatus || statusFor(code);
			let details = f.details;
			if (code === 'VALIDATION_ERROR' && !details)
				details = [{ field: 'messages', message: 'injected validation failure' }];
			let headers;
			// The key's limiter refused: the rate-limit trio says the window is full. Its reset is
			// when the Retry-After ends, unless `resetAfter` (seconds) puts it elsewhere, e.g. at the
			// end of the whole sliding window far beyond the Retry-After, as the docs' example reads;
			// with `resetAfter` the trio is sent even while the limiter is off.
			if (code === 'RATE_LIMITED' && (limiter.enabled || f.resetAfter !== undefined)) {
				const resetAfter = f.resetAfter !== undefined ? f.resetAfter : f.retryAfter || 1;
				headers = limiter.headers(0, Date.now() + resetAfter * 1000);
			}
			// In the shape of the surface asked (index.js sets ctx.sendError: envelope or OpenAI's).
			(ctx.sendError || sendError)(
				ctx,
				new ApiError(code, f.message || messageFor(code), {
					httpStatus,
					retryAfter: f.retryAfter,
					details,
					headers,
				}),
			);
			return true;
		}
	}
}

module.exports = { Faults, applyPlainFault, STREAM_FAULTS };
