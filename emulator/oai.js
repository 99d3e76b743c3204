'use strict';
// The OpenAI-compatible surface, /oai/v1 (docs §8, ScaiGrid's "OpenAI Compatibility" guide): the
// same gateway in OpenAI's dialect. Requests pass the same key, permission, per-key rate limiter,
// budgets, faults, model and accounting as /v1 (index.js runs both through one pipeline); only
// the shapes differ: no envelope, OpenAI's error object, OpenAI's model list.
//
// Where ScaiGrid's docs are silent (error bodies, status codes), OpenAI's shape is used with
// ScaiGrid's status and code: `{error: {message, type, code, param}}`, `code` being ScaiGrid's
// error code. A 429 carries Retry-After and the X-Scaigrid-Ratelimit-* trio, as on /v1.

const { ApiError } = require('./errors');
const { sendBare } = require('./envelope');
const { requirePermission } = require('./keys');
const { CATALOG, findModel } = require('./models');
const { chat, OPENAI } = require('./chat');

const PREFIX = '/oai/v1';
/** The catalog has no release dates; one fixed `created` keeps the list deterministic. */
const MODELS_CREATED = 1704067200;

/** OpenAI's error `type` for a ScaiGrid code / status. */
function errorType(err) {
	if (err.code === 'BUDGET_EXCEEDED' || err.code === 'QUOTA_EXCEEDED') return 'insufficient_quota';
	if (err.httpStatus === 429) return 'rate_limit_error';
	if (err.httpStatus === 401) return 'authentication_error';
	if (err.httpStatus === 403) return 'permission_error';
	if (err.httpStatus === 404) return 'not_found_error';
	if (err.httpStatus >= 500) return 'server_error';
	return 'invalid_request_error';
}

function sendError(ctx, err) {
	const headers = { ...(err.headers || {}) };
	if (err.retryAfter !== undefined && err.retryAfter !== null)
		headers['Retry-After'] = String(err.retryAfter);
	const param = err.details && err.details.length === 1 ? err.details[0].field : null;
	sendBare(
		ctx,
		err.httpStatus,
		{ error: { message: err.message, type: errorType(err), code: err.code, param } },
		headers,
	);
}

/** An OpenAI model object, with ScaiGrid's documented extensions (context window, max output). */
function modelObject(m) {
	const out = {
		id: m.slug,
		object: 'model',
		created: MODELS_CREATED,
		owned_by: m.slug.split('/')[0],
	};
	out.context_window = m.context_window;
	if (m.max_output_tokens) out.max_output_tokens = m.max_output_tokens;
	return out;
}

function route(ctx, key, deps) {
	const { method, path } = ctx;
	const rest = path.slice(PREFIX.length);
	const on = (m, fn) => {
		if (method !== m)
			throw new ApiError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use ${m}`, {
				httpStatus: 405,
			});
		return fn();
	};
	if (rest === '/models') {
		return on('GET', () => {
			requirePermission(key, 'models:list');
			sendBare(ctx, 200, { object: 'list', data: CATALOG.map(modelObject) });
		});
	}
	if (rest.startsWith('/models/') && rest.length > '/models/'.length) {
		// OpenAI's SDKs put the ID into the path as it is, so a slug's "/" may arrive raw or as %2F.
		return on('GET', () => {
			requirePermission(key, 'models:list');
			const raw = rest.slice('/models/'.length);
			let id = raw;
			try {
				id = decodeURIComponent(raw);
			} catch {
				// not percent-encoded: the raw ID
			}
			const m = findModel(id);
			if (!m) throw new ApiError('MODEL_NOT_FOUND', `Model '${id}' not found`);
			sendBare(ctx, 200, modelObject(m));
		});
	}
	if (rest === '/chat/completions') return on('POST', () => chat(ctx, key, ctx.body, deps, OPENAI));
	throw new ApiError('NOT_FOUND', `No endpoint ${method} ${path}`);
}

/** What index.js needs to serve this surface through the shared pipeline. */
const oaiSurface = { prefix: `${PREFIX}/`, route, sendError };

module.exports = { oaiSurface, errorType };
