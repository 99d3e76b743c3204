/**
 * `GET /v1/accounting/usage`: raw usage records, newest first, in cursor pages of up to 1,000
 * (contract section 5), and their flat, typed form.
 */
import { sleep } from 'n8n-workflow';

import type { ApiResult, CallOptions, ScaiGridClient } from '../shared/transport/client';
import { parseData } from '../shared/transport/envelope';
import { decimalText, rawListSchema } from '../shared/api/schemas';
import type { UsageRecord } from '../shared/api/usageRecord';
import { usageRecordListSchema } from '../shared/api/usageRecord';
import { requireDecimal, toNumber } from '../shared/api/decimal';
import type { UsageFilters } from './filters';
import { filtersQuery, withPermissionHint } from './filters';
import type { TimeRange } from './range';
import { rangeQuery } from './range';

export const MAX_PAGE_SIZE = 1000;

export interface RecordsQuery {
	range: TimeRange;
	filters: UsageFilters;
	/** Undefined: every record of the range. */
	limit?: number;
}

type Page = ApiResult<unknown[]>;

/**
 * The records of one page, validated; an invalid one fails the page as INVALID_RESPONSE. This
 * runs after the client's retry loop (see recordPages), so the error is told the page's attempts.
 */
function pageRecords(page: Page): UsageRecord[] {
	return parseData(usageRecordListSchema, page.data, page.requestId, page.attempts);
}

/**
 * Resolves once the event loop has polled for I/O, so that a request started just before has
 * connected and been written: only then can ScaiGrid work on it while this thread parses and
 * validates. n8n's HTTP stack opens the connection in callbacks of the event loop, and the
 * synchronous work that follows would otherwise hold them back (measured: the request then left
 * after the page had been validated, and nothing overlapped). Two timers, because the first
 * fires in the timers phase before the next poll; the second is set then, so it fires only
 * after that poll. The wait (1-2 ms) overlaps ScaiGrid's work on the next page. Without it a
 * Return All of 100,000 records took 1.41 × undici's time instead of 1.20 × (benchmark B6,
 * bench/README.md "Tricks kept, measured").
 */
async function afterIoPoll(): Promise<void> {
	await sleep(0);
	await sleep(0);
}

/**
 * The next cursor of a page, read from its raw text before the page (up to 1,000 records) is
 * parsed; undefined when the page says there is no more, or the text does not show it plainly.
 * The envelope's `pagination` follows the records, so the last occurrence of each key is it;
 * a record with a key of that name would at worst start a request that is then not used.
 */
export function peekNextCursor(text: string): string | undefined {
	const hasMore = /"has_more"\s*:\s*true/y;
	hasMore.lastIndex = Math.max(0, text.lastIndexOf('"has_more"'));
	if (!hasMore.test(text)) return undefined;
	const cursor = /"next_cursor"\s*:\s*("(?:[^"\\]|\\.)*")/y;
	cursor.lastIndex = Math.max(0, text.lastIndexOf('"next_cursor"'));
	const match = cursor.exec(text);
	if (!match) return undefined;
	try {
		return JSON.parse(match[1]) as string;
	} catch {
		return undefined;
	}
}

/**
 * The records of the range, page by page, newest first; at most `limit` in all.
 *
 * The next page is requested before this one is parsed: with Return All, its cursor is read
 * from the page's raw text (peekNextCursor), so ScaiGrid prepares page n+1 while this process
 * parses, validates and hands on page n (one page after another, about 30% of a Return All
 * went to waiting; benchmark B6: 1.20 × undici's time with the early cursor, 1.44 × starting
 * the next request once the page is parsed). The parsed page has the final word: a request
 * started for another cursor is not used. With a Limit, how many records to ask for next depends on this page's count,
 * so the next request starts once the page is parsed.
 */
export async function* recordPages(
	client: ScaiGridClient,
	query: RecordsQuery,
	call: Omit<CallOptions, 'qs'>,
): AsyncGenerator<UsageRecord[]> {
	const base = { ...rangeQuery(query.range, true), ...filtersQuery(query.filters) };
	let received = 0;
	// Requests started from a peeked cursor, by cursor, until the parsed page claims them.
	const started = new Map<string, Promise<Page>>();
	// Once the pages are no longer read (done, a page failed, the caller stopped), an early
	// request's answer must not start yet another one.
	let closed = false;
	const startEarly = async (text: string): Promise<void> => {
		const cursor = peekNextCursor(text);
		if (closed || cursor === undefined || started.has(cursor)) return;
		started.set(cursor, quiet(request(cursor)));
		await afterIoPoll();
	};
	const request = async (cursor: string | undefined): Promise<Page> => {
		const wanted = query.limit === undefined ? MAX_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, query.limit - received);
		const qs: Record<string, string | number> = { ...base, limit: wanted };
		if (cursor) qs.cursor = cursor;
		const beforeParse = query.limit === undefined ? startEarly : undefined;
		return await withPermissionHint(query.filters, async () =>
			await client.get('/v1/accounting/usage', rawListSchema, { ...call, qs, beforeParse }),
		);
	};

	let cursor: string | undefined;
	let pending: Promise<Page> | undefined = request(undefined);
	try {
		while (pending) {
			const page: Page = await pending;
			const kept = query.limit === undefined ? page.data : page.data.slice(0, query.limit - received);
			received += kept.length;
			const next = page.pagination?.hasMore ? page.pagination.nextCursor : undefined;
			// A cursor that does not move would loop forever: stop instead.
			const moving = !!next && next !== cursor && page.data.length > 0;
			const wantMore = query.limit === undefined || received < query.limit;
			pending = undefined;
			if (moving && wantMore) {
				pending = started.get(next);
				started.delete(next);
				if (!pending) {
					pending = quiet(request(next));
					await afterIoPoll();
				}
			}
			cursor = next;
			yield pageRecords({ ...page, data: kept });
		}
	} finally {
		closed = true;
	}
}

/**
 * A request that may be left unawaited (its page fails validation, or its cursor is not used)
 * must not end as an unhandled rejection; awaited, it still fails as usual.
 */
function quiet(page: Promise<Page>): Promise<Page> {
	page.catch(() => undefined);
	return page;
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
