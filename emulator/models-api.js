'use strict';
// GET /v1/models and /v1/models/{slug}. Offset cursors are fine here: the catalog is static.

const { ApiError, validation } = require('./errors');
const { requirePermission } = require('./keys');
const { CATALOG, findModel, publicModel } = require('./models');
const { sendOk } = require('./envelope');

const MODALITIES = ['chat', 'embedding', 'image', 'audio'];
const STATUSES = ['active', 'deprecated'];

function list(ctx, key, query, pageSize) {
	requirePermission(key, 'models:list');
	if (query.modality !== undefined && !MODALITIES.includes(query.modality))
		throw validation({ field: 'modality', message: `must be one of ${MODALITIES.join(', ')}` });
	if (query.status !== undefined && !STATUSES.includes(query.status))
		throw validation({ field: 'status', message: `must be one of ${STATUSES.join(', ')}` });
	let limit = pageSize;
	if (query.limit !== undefined) {
		limit = Number(query.limit);
		if (!Number.isInteger(limit) || limit < 1)
			throw validation({ field: 'limit', message: 'must be a positive integer' });
		limit = Math.min(limit, 100);
	}
	let offset = 0;
	if (query.cursor !== undefined) {
		const m = /^m:(\d+)$/.exec(Buffer.from(query.cursor, 'base64url').toString('utf8'));
		if (!m) throw validation({ field: 'cursor', message: 'is not a cursor returned by this API' });
		offset = Number(m[1]);
	}
	const matching = CATALOG.filter(
		(m) =>
			(query.modality === undefined || m.modality === query.modality) &&
			(query.status === undefined || m.status === query.status),
	);
	const items = matching.slice(offset, offset + limit).map(publicModel);
	const hasMore = offset + limit < matching.length;
	sendOk(
		ctx,
		{ items },
		{
			pagination: {
				has_more: hasMore,
				next_cursor: hasMore ? Buffer.from(`m:${offset + limit}`).toString('base64url') : null,
			},
		},
	);
}

function get(ctx, key, slug) {
	requirePermission(key, 'models:list');
	const model = findModel(slug);
	if (!model) throw new ApiError('MODEL_NOT_FOUND', `Model '${slug}' not found`);
	sendOk(ctx, publicModel(model));
}

module.exports = { list, get };
