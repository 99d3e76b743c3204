import {
	fileStamp,
	parseDateTime,
	previousRange,
	rangeQuery,
	resolveRange,
	shiftPeriod,
	startOfPeriod,
} from '../../nodes/ScaiGridUsageSummary/range';

const at = (text: string) => Date.parse(text);
const iso = (ms: number) => new Date(ms).toISOString();

describe('usage time ranges (UTC)', () => {
	// Wednesday 2026-01-07 10:30 UTC
	const now = at('2026-01-07T10:30:00Z');

	it('finds period starts in UTC, weeks on Monday', () => {
		expect(iso(startOfPeriod('hour', now))).toBe('2026-01-07T10:00:00.000Z');
		expect(iso(startOfPeriod('day', now))).toBe('2026-01-07T00:00:00.000Z');
		expect(iso(startOfPeriod('week', now))).toBe('2026-01-05T00:00:00.000Z');
		expect(iso(startOfPeriod('week', at('2026-01-11T23:59:59Z')))).toBe('2026-01-05T00:00:00.000Z'); // Sunday
		expect(iso(startOfPeriod('week', at('2026-01-05T00:00:00Z')))).toBe('2026-01-05T00:00:00.000Z'); // Monday
		expect(iso(startOfPeriod('month', now))).toBe('2026-01-01T00:00:00.000Z');
		expect(iso(shiftPeriod('month', at('2026-03-01T00:00:00Z'), -1))).toBe('2026-02-01T00:00:00.000Z');
		expect(iso(shiftPeriod('month', at('2026-01-01T00:00:00Z'), -1))).toBe('2025-12-01T00:00:00.000Z');
	});

	it('current period runs to now; compared with the same elapsed time before', () => {
		const spec = { mode: 'current' as const, period: 'week' as const, nowMs: now };
		const range = resolveRange(spec);
		expect([iso(range.startMs), iso(range.endMs), range.endsNow, range.label]).toEqual([
			'2026-01-05T00:00:00.000Z',
			'2026-01-07T10:30:00.000Z',
			true,
			'this week',
		]);
		expect(rangeQuery(range, false)).toEqual({ period: 'week' });
		expect(rangeQuery(range, true)).toEqual({ start: '2026-01-05T00:00:00.000Z', end: '2026-01-07T10:30:00.000Z' });
		const before = previousRange(spec, range);
		expect([iso(before.startMs), iso(before.endMs)]).toEqual(['2025-12-29T00:00:00.000Z', '2025-12-31T10:30:00.000Z']);
		expect(before.label).toBe('the same time last week');
	});

	it('current month vs the same elapsed time of a shorter previous month stays inside it', () => {
		const spec = { mode: 'current' as const, period: 'month' as const, nowMs: at('2026-03-31T12:00:00Z') };
		const range = resolveRange(spec);
		const before = previousRange(spec, range);
		expect([iso(before.startMs), iso(before.endMs)]).toEqual(['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']);
	});

	it('previous full period: last week vs the week before, for the Monday report', () => {
		const monday8 = at('2026-01-12T08:00:00Z');
		const spec = { mode: 'previous' as const, period: 'week' as const, nowMs: monday8 };
		const range = resolveRange(spec);
		expect([iso(range.startMs), iso(range.endMs), range.endsNow, range.label]).toEqual([
			'2026-01-05T00:00:00.000Z',
			'2026-01-12T00:00:00.000Z',
			false,
			'last week',
		]);
		expect(rangeQuery(range, false)).toEqual({ start: '2026-01-05T00:00:00.000Z', end: '2026-01-12T00:00:00.000Z' });
		const before = previousRange(spec, range);
		expect([iso(before.startMs), iso(before.endMs), before.label]).toEqual([
			'2025-12-29T00:00:00.000Z',
			'2026-01-05T00:00:00.000Z',
			'the week before',
		]);
		const month = resolveRange({ mode: 'previous', period: 'month', nowMs: at('2026-03-15T00:00:00Z') });
		expect([iso(month.startMs), iso(month.endMs)]).toEqual(['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']);
	});

	it('custom ranges: UTC without a zone, end defaults to now, the same length before', () => {
		const spec = { mode: 'custom' as const, period: 'week' as const, start: '2026-01-01T00:00:00', end: '2026-01-03T12:00:00+02:00', nowMs: now };
		const range = resolveRange(spec);
		expect([iso(range.startMs), iso(range.endMs), range.endsNow]).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-03T10:00:00.000Z', false]);
		const before = previousRange(spec, range);
		expect([iso(before.startMs), iso(before.endMs)]).toEqual(['2025-12-29T14:00:00.000Z', '2026-01-01T00:00:00.000Z']);
		const open = resolveRange({ ...spec, end: '' });
		expect([iso(open.endMs), open.endsNow]).toEqual([iso(now), true]);
		expect(iso(parseDateTime('2026-01-02', 'Start (UTC)'))).toBe('2026-01-02T00:00:00.000Z');
		expect(() => resolveRange({ ...spec, start: 'next tuesday' })).toThrow('Start (UTC) "next tuesday" is not an ISO 8601 date-time');
		expect(() => resolveRange({ ...spec, start: '' })).toThrow('Start (UTC) is empty');
		expect(() => resolveRange({ ...spec, end: '2025-01-01T00:00:00Z' })).toThrow(
			'End (UTC) (2025-01-01T00:00:00.000Z) must be after Start (UTC) (2026-01-01T00:00:00.000Z)',
		);
	});

	it('refuses dates that are not in the calendar instead of rolling them over', () => {
		const spec = { mode: 'custom' as const, period: 'week' as const, start: '2026-01-01', nowMs: now };
		expect(() => resolveRange({ ...spec, end: '2026-02-30' })).toThrow('End (UTC) "2026-02-30" is not a date in the calendar: February 2026 has 28 days');
		expect(() => resolveRange({ ...spec, end: '2026-13-01' })).toThrow('End (UTC) "2026-13-01" is not a date in the calendar: there is no month 13');
		expect(() => resolveRange({ ...spec, end: '2026-00-10' })).toThrow('there is no month 00');
		expect(() => resolveRange({ ...spec, end: '2026-03-00' })).toThrow('March 2026 has 31 days');
		expect(() => resolveRange({ ...spec, end: '2025-02-29T10:00:00+01:00' })).toThrow('February 2025 has 28 days');
		expect(() => resolveRange({ ...spec, start: '2026-04-31T00:00:00Z', end: '' })).toThrow('Start (UTC) "2026-04-31T00:00:00Z"');
		expect(() => resolveRange({ ...spec, end: '2026-01-05T25:00:00Z' })).toThrow('End (UTC) "2026-01-05T25:00:00Z" is not an ISO 8601 date-time');
		expect(() => resolveRange({ ...spec, end: new Date('nonsense') })).toThrow('End (UTC) is an invalid date');
		expect(iso(resolveRange({ ...spec, start: '2024-02-29', end: '2024-12-31T23:59:59Z', nowMs: at('2025-01-01T00:00:00Z') }).startMs)).toBe(
			'2024-02-29T00:00:00.000Z',
		);
	});

	it('stamps file names compactly', () => {
		expect(fileStamp(at('2026-01-05T00:00:00Z'))).toBe('20260105T000000Z');
	});
});
