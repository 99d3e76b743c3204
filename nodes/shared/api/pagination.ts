/**
 * The one cursor pager of every list (docs/scaigrid-api.md §1.4): `next_cursor` is passed back as
 * `cursor` until `has_more` is false. A cursor seen before, or a page that is empty but claims
 * more, ends the list instead of looping forever.
 */
import { sleep } from 'n8n-workflow';

import type { ApiResult } from '../transport/client';

export interface PageRequest {
	cursor?: string;
	/** How many items to ask for; undefined: send no `limit`, the server's page size is valid. */
	limit?: number;
	/** Given when the next page may be requested from this page's raw text (see `prefetch`). */
	beforeParse?: (text: string) => Promise<void>;
}

export interface PagerOptions {
	/** Items wanted in all; undefined: every page. Pages are trimmed to it. */
	maxItems?: number;
	/** The largest `limit` to send; undefined: none (the server picks). */
	pageSize?: number;
	/**
	 * The caller reads every page up to maxItems, so page n+1 is requested before page n is
	 * handed on; without maxItems even before page n is parsed, its cursor read from the raw
	 * text, so the server prepares it while this process parses and validates (benchmark B6,
	 * bench/README.md "Tricks kept, measured"). Off: a page is requested only when the caller
	 * asks for it (a caller that stops early, e.g. after enough search matches, sends no extra).
	 */
	prefetch?: boolean;
}

type Page<T> = ApiResult<T[]>;

/**
 * The next cursor read from a page's raw text before it is parsed; undefined when the page says
 * there is no more or does not show it plainly. The envelope's `pagination` follows the items,
 * so the last occurrence of each key is it; an item with a key of that name would at worst
 * start a request that is then not used (the parsed page has the final word).
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
 * Resolves once the event loop has polled for I/O, so a request started just before has been
 * written and the server can work on it while this thread parses. n8n's HTTP stack opens the
 * connection in event-loop callbacks that synchronous parsing would hold back. Two timers: the
 * first fires before the next poll, the second only after it.
 */
async function afterIoPoll(): Promise<void> {
	await sleep(0);
	await sleep(0);
}

/** A request that may be left unawaited must not end as an unhandled rejection. */
function quiet<T>(page: Promise<T>): Promise<T> {
	page.catch(() => undefined);
	return page;
}

/** Every page of a list, in order; stop iterating to stop requesting. */
export async function* cursorPages<T>(
	fetchPage: (request: PageRequest) => Promise<Page<T>>,
	options: PagerOptions = {},
): AsyncGenerator<Page<T>> {
	const { maxItems, pageSize } = options;
	const ahead = options.prefetch === true;
	const fromRawText = ahead && maxItems === undefined;
	let received = 0;
	const seen = new Set<string>();
	// Requests started from a peeked cursor, until the parsed page claims them.
	const early = new Map<string, Promise<Page<T>>>();
	// Once the pages are no longer read, an early request's answer must not start another.
	let closed = false;

	const request = (cursor: string | undefined): Promise<Page<T>> => {
		const left = maxItems === undefined ? undefined : maxItems - received;
		const limit = pageSize === undefined ? undefined : Math.min(pageSize, left ?? pageSize);
		return quiet(fetchPage({ cursor, limit, beforeParse: fromRawText ? startEarly : undefined }));
	};
	const startEarly = async (text: string): Promise<void> => {
		const cursor = peekNextCursor(text);
		if (closed || cursor === undefined || early.has(cursor) || seen.has(cursor)) return;
		early.set(cursor, request(cursor));
		await afterIoPoll();
	};

	/** The request for the page after `page` (`fresh`: started just now); undefined at the end. */
	const following = (page: Page<T>): { pending: Promise<Page<T>>; fresh: boolean } | undefined => {
		const next = page.pagination?.hasMore ? page.pagination.nextCursor : undefined;
		const more = !!next && !seen.has(next) && page.data.length > 0;
		if (!more || (maxItems !== undefined && received >= maxItems)) return undefined;
		seen.add(next);
		const started = early.get(next);
		early.delete(next);
		return started ? { pending: started, fresh: false } : { pending: request(next), fresh: true };
	};

	let pending: Promise<Page<T>> | undefined = request(undefined);
	try {
		while (pending) {
			const page: Page<T> = await pending;
			const kept = maxItems === undefined ? page.data : page.data.slice(0, maxItems - received);
			received += kept.length;
			let next = ahead ? following(page) : undefined;
			// A request started just now must be on its way before this page is handed on.
			if (next?.fresh) await afterIoPoll();
			yield { ...page, data: kept };
			if (!ahead) next = following(page);
			pending = next?.pending;
		}
	} finally {
		closed = true;
	}
}
