/**
 * `GET /v1/accounting/usage`: raw usage records, newest first, in cursor pages of up to 1,000
 * (docs/scaigrid-api.md §5.2), and their flat, typed form.
 */
import { cursorPages } from '../../shared/api/pagination';
import type { CallOptions, ScaiGridClient } from '../../shared/transport/client';
import { parseData } from '../../shared/transport/envelope';
import { decimalText, rawListSchema } from '../../shared/api/schemas';
import type { UsageRecord } from '../../shared/api/usageRecord';
import { usageRecordListSchema } from '../../shared/api/usageRecord';
import { requireDecimal, toNumber } from '../../shared/api/decimal';
import type { UsageFilters } from './filters';
import { filtersQuery, withPermissionHint } from './filters';
import type { TimeRange } from '../report/range';
import { rangeQuery } from '../report/range';

export const MAX_PAGE_SIZE = 1000;

export interface RecordsQuery {
	range: TimeRange;
	filters: UsageFilters;
	/** Undefined: every record of the range. */
	limit?: number;
}

/**
 * The records of the range, page by page, newest first; at most `limit` in all. With Return All
 * the next page is requested while this one is parsed (the pager's prefetch).
 */
export async function* recordPages(
	client: ScaiGridClient,
	query: RecordsQuery,
	call: Omit<CallOptions, 'qs'>,
): AsyncGenerator<UsageRecord[]> {
	const base = { ...rangeQuery(query.range, true), ...filtersQuery(query.filters) };
	const pages = cursorPages(
		async ({ cursor, limit, beforeParse }) =>
			await withPermissionHint(
				query.filters,
				async () =>
					await client.get('/v1/accounting/usage', rawListSchema, {
						...call,
						qs: { ...base, limit, ...(cursor ? { cursor } : {}) },
						beforeParse,
					}),
			),
		{ maxItems: query.limit, pageSize: MAX_PAGE_SIZE, prefetch: true },
	);
	for await (const page of pages) {
		// Validated after the client's retry loop, so an invalid record's error names the attempts.
		yield parseData(usageRecordListSchema, page.data, page.requestId, page.attempts);
	}
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
		requestId: typeof record.request_id === 'string' ? record.request_id : null,
	};
}
