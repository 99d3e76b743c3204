/**
 * Reading the next cursor of a usage-records page from its raw text, before the page is parsed
 * (so the next page's request can start early). The parsed page still decides; this only has
 * to be right for well-formed pages and say nothing when in doubt.
 */
import { peekNextCursor } from '../../nodes/shared/api/pagination';

function page(pagination: object | undefined, items: object[] = [{ id: 'use_1' }]): string {
	return JSON.stringify({
		status: 'ok',
		data: { items },
		...(pagination && { pagination }),
		meta: { request_id: 'req_1' },
	});
}

describe('peekNextCursor', () => {
	it('reads the cursor of a page that has more, as JSON.parse would', () => {
		expect(peekNextCursor(page({ has_more: true, next_cursor: 'c:1000' }))).toBe('c:1000');
		const odd = 'a"b\\c/\u00e9\n';
		expect(peekNextCursor(page({ has_more: true, next_cursor: odd }))).toBe(odd);
		expect(
			peekNextCursor('{"data":[],"pagination":{ "has_more" : true , "next_cursor" : "x" }}'),
		).toBe('x');
	});

	it('says nothing when the page is the last, or the text does not show a cursor plainly', () => {
		expect(peekNextCursor(page({ has_more: false, next_cursor: null }))).toBeUndefined();
		expect(peekNextCursor(page({ has_more: false, next_cursor: 'c:1000' }))).toBeUndefined();
		expect(peekNextCursor(page({ has_more: true, next_cursor: null }))).toBeUndefined();
		expect(peekNextCursor(page(undefined))).toBeUndefined();
		expect(peekNextCursor('')).toBeUndefined();
		expect(peekNextCursor('<html>502 Bad Gateway</html>')).toBeUndefined();
	});

	it("takes the envelope's pagination, not a record field of the same name before it", () => {
		const text = page({ has_more: true, next_cursor: 'real' }, [
			{ id: 'use_1', next_cursor: 'fake', has_more: false },
		]);
		expect(peekNextCursor(text)).toBe('real');
	});
});
