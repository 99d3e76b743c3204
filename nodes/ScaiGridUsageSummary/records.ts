/**
 * `GET /v1/accounting/usage`: raw usage records, newest first, in cursor pages of up to 1,000
 * (contract section 5), and their flat, typed form.
 */
import { z } from 'zod';

import type { CallOptions, ScaiGridClient } from '../shared/client';
import type { UsageRecord } from '../shared/schemas';
import { decimalText, listItems, usageRecordSchema } from '../shared/schemas';
import { requireDecimal, toNumber } from '../shared/decimal';
import type { UsageFilters } from './filters';
import { filtersQuery, withPermissionHint } from './filters';
import type { TimeRange } from './range';
import { rangeQuery } from './range';

export const MAX_PAGE_SIZE = 1000;

const recordListSchema = z.preprocess((data) => listItems(data) ?? data, z.array(usageRecordSchema));

export interface RecordsQuery {
	range: TimeRange;
	filters: UsageFilters;
	/** Undefined: every record of the range. */
	limit?: number;
}

export interface RecordsResult {
	records: UsageRecord[];
	pages: number;
}

export async function fetchRecords(
	client: ScaiGridClient,
	query: RecordsQuery,
	call: Omit<CallOptions, 'qs'>,
): Promise<RecordsResult> {
	const base = { ...rangeQuery(query.range, true), ...filtersQuery(query.filters) };
	const records: UsageRecord[] = [];
	let cursor: string | undefined;
	let pages = 0;
	for (;;) {
		const wanted = query.limit === undefined ? MAX_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, query.limit - records.length);
		const qs: Record<string, string | number> = { ...base, limit: wanted };
		if (cursor) qs.cursor = cursor;
		const page = await withPermissionHint(query.filters, async () =>
			await client.get('/v1/accounting/usage', recordListSchema, { ...call, qs }),
		);
		pages++;
		records.push(...(page.data as UsageRecord[]));
		const next = page.pagination?.hasMore ? page.pagination.nextCursor : undefined;
		// A cursor that does not move would loop forever: stop instead.
		if (!next || next === cursor || page.data.length === 0) break;
		if (query.limit !== undefined && records.length >= query.limit) break;
		cursor = next;
	}
	return { records: query.limit === undefined ? records : records.slice(0, query.limit), pages };
}

const PLAIN_DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/**
 * A record's cost as a number. For a plain decimal, Number() gives the correctly rounded float, as the exact
 * decimal route at a fraction of the cost (100,000 records per Return All); anything else takes
 * the exact route, which also rejects what is not a decimal.
 */
function costNumber(text: string): number {
	return PLAIN_DECIMAL.test(text) ? Number(text) : toNumber(requireDecimal(text, 'cost'));
}

/** The simplified record: camelCase, cost as a number beside its exact text. */
export function simplifyRecord(record: UsageRecord): Record<string, string | number | null> {
	const tokensIn = record.tokens_in ?? 0;
	const tokensOut = record.tokens_out ?? 0;
	const costText = decimalText(record.cost);
	const extra = record as Record<string, unknown>;
	return {
		id: record.id ?? null,
		createdAt: record.created_at ?? null,
		model: record.model ?? null,
		backendId: record.backend_id ?? null,
		userId: record.user_id ?? null,
		tenantId: record.tenant_id ?? null,
		tokensIn,
		tokensOut,
		totalTokens: tokensIn + tokensOut,
		cost: costText === null ? null : costNumber(costText),
		costDecimal: costText,
		latencyMs: record.latency_ms ?? null,
		requestId: typeof extra.request_id === 'string' ? extra.request_id : null,
	};
}
