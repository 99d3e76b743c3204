'use strict';
// GET /v1/accounting/*: usage records (newest first), summary, budgets and export.

const { ApiError, validation } = require('./errors');
const { requirePermission } = require('./keys');
const { formatDecimal } = require('./money');
const { startOf } = require('./periods');
const { sendOk, sendRaw } = require('./envelope');

const PERIODS = ['hour', 'day', 'week', 'month'];
const GROUPS = { model: 'model', user: 'user_id', backend: 'backend_id', tenant: 'tenant_id' };
const EXPORT_COLUMNS = [
	'id',
	'model',
	'backend_id',
	'user_id',
	'tenant_id',
	'partner_id',
	'tokens_in',
	'tokens_out',
	'cost',
	'backend_cost',
	'latency_ms',
	'created_at',
	'request_id',
];

function parseTime(value, field) {
	const t = Date.parse(value);
	if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t))
		throw validation({
			field,
			message: 'must be an ISO 8601 date-time, e.g. 2024-04-23T00:00:00Z',
		});
	return t;
}

function encodeCursor(entry) {
	return Buffer.from(JSON.stringify({ t: entry.t, s: entry.seq })).toString('base64url');
}

function decodeCursor(cursor) {
	try {
		const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
		if (Number.isFinite(c.t) && Number.isFinite(c.s)) return { t: c.t, seq: c.s };
	} catch {
		// fall through to the validation error
	}
	throw validation({ field: 'cursor', message: 'is not a cursor returned by this API' });
}

/** Query → {from, to, match(record)}; enforces the filter permissions of section 6. */
function parseFilters(query, key, store, now) {
	requirePermission(key, 'accounting:view_own');
	if (query.user_id !== undefined) requirePermission(key, 'accounting:view_tenant');
	if (query.tenant_id !== undefined) requirePermission(key, 'accounting:view_partner');
	let startMs = query.start !== undefined ? parseTime(query.start, 'start') : undefined;
	let endMs = query.end !== undefined ? parseTime(query.end, 'end') : undefined;
	if (query.period !== undefined) {
		if (!PERIODS.includes(query.period))
			throw validation({ field: 'period', message: `must be one of ${PERIODS.join(', ')}` });
		// start/end win over period; period means "the current one, up to now".
		if (startMs === undefined && endMs === undefined) {
			const nowMs = now().getTime();
			startMs = startOf(query.period, nowMs);
			endMs = nowMs + 1;
		}
	}
	const own =
		!key.permissions.has('accounting:view_tenant') &&
		!key.permissions.has('accounting:view_partner');
	const tenantWide = !key.permissions.has('accounting:view_partner');
	const checks = [];
	if (own) checks.push((r) => r.user_id === key.userId && r.tenant_id === key.tenantId);
	else if (tenantWide) checks.push((r) => r.tenant_id === key.tenantId);
	else checks.push((r) => r.partner_id === key.partnerId);
	for (const [param, field] of [
		['model', 'model'],
		['backend_id', 'backend_id'],
		['user_id', 'user_id'],
		['tenant_id', 'tenant_id'],
	]) {
		if (query[param] !== undefined) {
			const wanted = query[param];
			checks.push((r) => r[field] === wanted);
		}
	}
	const [from, to] = store.range(startMs, endMs);
	return { from, to, match: (r) => checks.every((c) => c(r)) };
}

function parseLimit(query) {
	if (query.limit === undefined) return 100;
	const n = Number(query.limit);
	if (!Number.isInteger(n) || n < 1 || n > 1000)
		throw validation({ field: 'limit', message: 'must be an integer between 1 and 1000' });
	return n;
}

function usage(ctx, key, query, { store, now }) {
	const f = parseFilters(query, key, store, now);
	const limit = parseLimit(query);
	let i = f.to - 1;
	if (query.cursor !== undefined) i = Math.min(i, store.lowerBound(decodeCursor(query.cursor)) - 1);
	const items = [];
	let last = null;
	let hasMore = false;
	for (; i >= f.from; i--) {
		const e = store.entries[i];
		if (!f.match(e.r)) continue;
		if (items.length === limit) {
			hasMore = true;
			break;
		}
		items.push(e.r);
		last = e;
	}
	sendOk(
		ctx,
		{ items },
		{ pagination: { has_more: hasMore, next_cursor: hasMore ? encodeCursor(last) : null } },
	);
}

function summary(ctx, key, query, { store, now }) {
	const groupBy = query.group_by === undefined ? 'model' : query.group_by;
	if (!GROUPS[groupBy])
		throw validation({ field: 'group_by', message: 'must be one of model, user, backend, tenant' });
	const f = parseFilters(query, key, store, now);
	const field = GROUPS[groupBy];
	const groups = new Map();
	for (let i = f.from; i < f.to; i++) {
		const e = store.entries[i];
		if (!f.match(e.r)) continue;
		const k = e.r[field];
		let g = groups.get(k);
		if (!g) groups.set(k, (g = { n: 0, tin: 0, tout: 0, cost: 0n, bcost: 0n }));
		g.n++;
		g.tin += e.r.tokens_in;
		g.tout += e.r.tokens_out;
		g.cost += e.costU;
		g.bcost += e.backendU;
	}
	const rows = [...groups.keys()].sort().map((k) => {
		const g = groups.get(k);
		return {
			group_key: k,
			request_count: g.n,
			input_tokens: g.tin,
			output_tokens: g.tout,
			total_tokens: g.tin + g.tout,
			total_cost: formatDecimal(g.cost),
			backend_cost: formatDecimal(g.bcost),
		};
	});
	sendOk(ctx, rows);
}

function csvCell(v) {
	const s = v === null || v === undefined ? '' : String(v);
	return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function exportRecords(ctx, key, query, { store, now }) {
	const format = query.format === undefined ? 'json' : query.format;
	if (!['csv', 'json', 'ndjson'].includes(format))
		throw validation({ field: 'format', message: 'must be csv, json or ndjson' });
	const f = parseFilters(query, key, store, now);
	const rows = [];
	for (let i = f.from; i < f.to; i++)
		if (f.match(store.entries[i].r)) rows.push(store.entries[i].r);
	const stamp = (v) => (v ? v.replace(/[^0-9A-Za-z]/g, '') : 'all');
	const filename = `scaigrid-usage-${stamp(query.start)}-${stamp(query.end)}.${format}`;
	let text;
	let type;
	if (format === 'csv') {
		type = 'text/csv; charset=utf-8';
		text =
			[
				EXPORT_COLUMNS.join(','),
				...rows.map((r) => EXPORT_COLUMNS.map((c) => csvCell(r[c])).join(',')),
			].join('\n') + '\n';
	} else if (format === 'ndjson') {
		type = 'application/x-ndjson';
		text = rows.map((r) => JSON.stringify(r) + '\n').join('');
	} else {
		type = 'application/json';
		text = JSON.stringify(rows);
	}
	sendRaw(ctx, 200, type, text, { 'Content-Disposition': `attachment; filename="${filename}"` });
}

function budgetsList(ctx, key, _query, { budgets }) {
	requirePermission(key, 'accounting:view_own');
	sendOk(
		ctx,
		{ items: budgets.visibleTo(key) },
		{ pagination: { has_more: false, next_cursor: null } },
	);
}

function budgetGet(ctx, key, id, { budgets }) {
	requirePermission(key, 'accounting:view_own');
	const b = budgets.visibleTo(key).find((x) => x.id === id);
	if (!b) throw new ApiError('BUDGET_NOT_FOUND', `Budget '${id}' not found`);
	sendOk(ctx, b);
}

module.exports = { usage, summary, exportRecords, budgetsList, budgetGet };
