'use strict';
// Maps /v1 method + path to a handler. The slug in /v1/models/{slug} must arrive URL-encoded
// (%2F), as documented; an unencoded slug is an unknown path.

const { ApiError } = require('./errors');
const modelsApi = require('./models-api');
const accounting = require('./accounting');
const { chat } = require('./chat');
const media = require('./inference-media');

function route(ctx, key, deps) {
	const { method, path, query } = ctx;
	const seg = path.split('/').slice(1);
	const on = (m, fn) => {
		if (method !== m)
			throw new ApiError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use ${m}`, {
				httpStatus: 405,
			});
		return fn();
	};
	if (path === '/v1/models')
		return on('GET', () => modelsApi.list(ctx, key, query, deps.pageSize()));
	if (seg.length === 3 && seg[1] === 'models' && seg[2] !== '') {
		return on('GET', () => modelsApi.get(ctx, key, safeDecode(seg[2])));
	}
	if (path === '/v1/inference/chat') return on('POST', () => chat(ctx, key, ctx.body, deps));
	if (path === '/v1/inference/embed')
		return on('POST', () => media.embed(ctx, key, ctx.body, deps));
	if (path === '/v1/inference/images/generate')
		return on('POST', () => media.generateImages(ctx, key, ctx.body, deps));
	if (path === '/v1/inference/audio/transcribe')
		return on('POST', () => media.transcribe(ctx, key, deps));
	if (path === '/v1/inference/audio/synthesize')
		return on('POST', () => media.synthesize(ctx, key, ctx.body, deps));
	if (path === '/v1/accounting/usage')
		return on('GET', () => accounting.usage(ctx, key, query, deps));
	if (path === '/v1/accounting/usage/summary')
		return on('GET', () => accounting.summary(ctx, key, query, deps));
	if (path === '/v1/accounting/export')
		return on('GET', () => accounting.exportRecords(ctx, key, query, deps));
	if (path === '/v1/accounting/budgets')
		return on('GET', () => accounting.budgetsList(ctx, key, query, deps));
	if (seg.length === 4 && seg[1] === 'accounting' && seg[2] === 'budgets' && seg[3] !== '') {
		return on('GET', () => accounting.budgetGet(ctx, key, safeDecode(seg[3]), deps));
	}
	throw new ApiError('NOT_FOUND', `No endpoint ${method} ${path}`);
}

function safeDecode(s) {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}

module.exports = { route };
