/** asText: what a value mapped into a text parameter (or a tool result) becomes in the request. */
import { DateTime } from 'luxon';

import { asText } from '../../nodes/ScaiGridChat/prompt/text';

test('text stays, objects and arrays become compact JSON, numbers and booleans are written out', () => {
	expect(asText('Hi')).toBe('Hi');
	expect(asText({ a: 1, b: [true, null] })).toBe('{"a":1,"b":[true,null]}');
	expect(asText([])).toBe('[]');
	expect(asText({})).toBe('{}');
	expect(asText(0)).toBe('0');
	expect(asText(-2.5)).toBe('-2.5');
	expect(asText(false)).toBe('false');
	expect(asText(undefined)).toBe('');
	expect(asText(null)).toBe('');
});

test('a date (JavaScript or luxon, as $now gives) is its ISO text without quotes', () => {
	expect(asText(new Date('2026-01-05T10:00:00Z'))).toBe('2026-01-05T10:00:00.000Z');
	expect(asText(DateTime.fromISO('2026-01-05T10:00:00Z', { zone: 'utc' }))).toBe(
		'2026-01-05T10:00:00.000Z',
	);
});
