/**
 * The one cursor pager: cursors followed until has_more is false, loops and empty pages that
 * claim more end the list, maxItems trims and sizes the requests, and a caller that stops early
 * (prefetch off) causes no extra request.
 */
import { cursorPages } from '../../nodes/shared/api/pagination';
import type { PageRequest } from '../../nodes/shared/api/pagination';

type Page = { data: number[]; hasMore: boolean; next?: string };

/** A fake list: pages by cursor ('' = first), recording every request. */
function list(pages: Record<string, Page>) {
	const requests: PageRequest[] = [];
	const fetchPage = async (request: PageRequest) => {
		requests.push(request);
		const page = pages[request.cursor ?? ''];
		const data = request.limit === undefined ? page.data : page.data.slice(0, request.limit);
		return {
			data,
			attempts: 1,
			latencyMs: 0,
			pagination: { hasMore: page.hasMore, nextCursor: page.next },
		};
	};
	return { requests, fetchPage };
}

async function collect(
	pages: AsyncGenerator<{ data: number[] }>,
	stopAfter = Infinity,
): Promise<number[]> {
	const all: number[] = [];
	for await (const page of pages) {
		all.push(...page.data);
		if (all.length >= stopAfter) break;
	}
	return all;
}

const THREE_PAGES: Record<string, Page> = {
	'': { data: [1, 2], hasMore: true, next: 'a' },
	a: { data: [3, 4], hasMore: true, next: 'b' },
	b: { data: [5], hasMore: false },
};

describe('cursorPages', () => {
	it('follows next_cursor until has_more is false, sending no limit without a page size', async () => {
		const { requests, fetchPage } = list(THREE_PAGES);
		expect(await collect(cursorPages(fetchPage))).toEqual([1, 2, 3, 4, 5]);
		expect(requests.map((r) => [r.cursor, r.limit])).toEqual([
			[undefined, undefined],
			['a', undefined],
			['b', undefined],
		]);
	});

	it('ends on a cursor seen before and on an empty page that claims more', async () => {
		const loop = list({
			'': { data: [1], hasMore: true, next: 'a' },
			a: { data: [2], hasMore: true, next: 'a' },
		});
		expect(await collect(cursorPages(loop.fetchPage))).toEqual([1, 2]);
		expect(loop.requests).toHaveLength(2);
		const empty = list({ '': { data: [], hasMore: true, next: 'a' } });
		expect(await collect(cursorPages(empty.fetchPage))).toEqual([]);
		expect(empty.requests).toHaveLength(1);
	});

	it('maxItems sizes each request by what is still wanted and stops there', async () => {
		const { requests, fetchPage } = list(THREE_PAGES);
		expect(
			await collect(cursorPages(fetchPage, { maxItems: 3, pageSize: 2, prefetch: true })),
		).toEqual([1, 2, 3]);
		expect(requests.map((r) => r.limit)).toEqual([2, 1]);
	});

	it('without prefetch a caller that stops early sends no further request; with it the next is already out', async () => {
		const lazy = list(THREE_PAGES);
		expect(await collect(cursorPages(lazy.fetchPage), 2)).toEqual([1, 2]);
		expect(lazy.requests).toHaveLength(1);
		const ahead = list(THREE_PAGES);
		await collect(cursorPages(ahead.fetchPage, { prefetch: true }), 2);
		expect(ahead.requests).toHaveLength(2);
		expect(ahead.requests[0].beforeParse).toBeInstanceOf(Function);
	});
});
