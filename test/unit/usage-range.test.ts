import { parseDateTime } from '../../nodes/ScaiGridUsageSummary/report/dateTime';
import {
	fileStamp,
	previousRange,
	rangeQuery,
	resolveRange,
	shiftPeriod,
	startOfPeriod,
} from '../../nodes/ScaiGridUsageSummary/report/range';

const at = (text: string) => Date.parse(text);
const iso = (ms: number) => new Date(ms).toISOString();

describe('usage time ranges in a UTC workflow', () => {
	// Wednesday 2026-01-07 10:30 UTC
	const now = at('2026-01-07T10:30:00Z');

	it('finds period starts in UTC, weeks on Monday', () => {
		expect(iso(startOfPeriod('hour', now, 'UTC'))).toBe('2026-01-07T10:00:00.000Z');
		expect(iso(startOfPeriod('day', now, 'UTC'))).toBe('2026-01-07T00:00:00.000Z');
		expect(iso(startOfPeriod('week', now, 'UTC'))).toBe('2026-01-05T00:00:00.000Z');
		expect(iso(startOfPeriod('week', at('2026-01-11T23:59:59Z'), 'UTC'))).toBe(
			'2026-01-05T00:00:00.000Z',
		); // Sunday
		expect(iso(startOfPeriod('week', at('2026-01-05T00:00:00Z'), 'UTC'))).toBe(
			'2026-01-05T00:00:00.000Z',
		); // Monday
		expect(iso(startOfPeriod('month', now, 'UTC'))).toBe('2026-01-01T00:00:00.000Z');
		expect(iso(shiftPeriod('month', at('2026-03-01T00:00:00Z'), -1, 'UTC'))).toBe(
			'2026-02-01T00:00:00.000Z',
		);
		expect(iso(shiftPeriod('month', at('2026-01-01T00:00:00Z'), -1, 'UTC'))).toBe(
			'2025-12-01T00:00:00.000Z',
		);
	});

	it('current period runs to now; compared with the same elapsed time before', () => {
		const spec = { mode: 'current' as const, period: 'week' as const, nowMs: now, timeZone: 'UTC' };
		const range = resolveRange(spec);
		expect([iso(range.startMs), iso(range.endMs), range.endsNow, range.label]).toEqual([
			'2026-01-05T00:00:00.000Z',
			'2026-01-07T10:30:00.000Z',
			true,
			'this week',
		]);
		expect(rangeQuery(range, false)).toEqual({ period: 'week' });
		expect(rangeQuery(range, true)).toEqual({
			start: '2026-01-05T00:00:00.000Z',
			end: '2026-01-07T10:30:00.000Z',
		});
		const before = previousRange(spec, range);
		expect([iso(before.startMs), iso(before.endMs)]).toEqual([
			'2025-12-29T00:00:00.000Z',
			'2025-12-31T10:30:00.000Z',
		]);
		expect(before.label).toBe('the same time last week');
	});

	it('current month vs the same elapsed time of a shorter previous month stays inside it', () => {
		const spec = {
			mode: 'current' as const,
			period: 'month' as const,
			nowMs: at('2026-03-31T12:00:00Z'),
			timeZone: 'UTC',
		};
		const range = resolveRange(spec);
		const before = previousRange(spec, range);
		expect([iso(before.startMs), iso(before.endMs)]).toEqual([
			'2026-02-01T00:00:00.000Z',
			'2026-03-01T00:00:00.000Z',
		]);
	});

	it('previous full period: last week vs the week before, for the Monday report', () => {
		const monday8 = at('2026-01-12T08:00:00Z');
		const spec = {
			mode: 'previous' as const,
			period: 'week' as const,
			nowMs: monday8,
			timeZone: 'UTC',
		};
		const range = resolveRange(spec);
		expect([iso(range.startMs), iso(range.endMs), range.endsNow, range.label]).toEqual([
			'2026-01-05T00:00:00.000Z',
			'2026-01-12T00:00:00.000Z',
			false,
			'last week',
		]);
		expect(rangeQuery(range, false)).toEqual({
			start: '2026-01-05T00:00:00.000Z',
			end: '2026-01-12T00:00:00.000Z',
		});
		const before = previousRange(spec, range);
		expect([iso(before.startMs), iso(before.endMs), before.label]).toEqual([
			'2025-12-29T00:00:00.000Z',
			'2026-01-05T00:00:00.000Z',
			'the week before',
		]);
		const month = resolveRange({
			mode: 'previous',
			period: 'month',
			nowMs: at('2026-03-15T00:00:00Z'),
			timeZone: 'UTC',
		});
		expect([iso(month.startMs), iso(month.endMs)]).toEqual([
			'2026-02-01T00:00:00.000Z',
			'2026-03-01T00:00:00.000Z',
		]);
	});

	it('custom ranges: without a zone in the workflow zone (UTC), end defaults to now, the same length before', () => {
		const spec = {
			mode: 'custom' as const,
			period: 'week' as const,
			start: '2026-01-01T00:00:00',
			end: '2026-01-03T12:00:00+02:00',
			nowMs: now,
			timeZone: 'UTC',
		};
		const range = resolveRange(spec);
		expect([iso(range.startMs), iso(range.endMs), range.endsNow]).toEqual([
			'2026-01-01T00:00:00.000Z',
			'2026-01-03T10:00:00.000Z',
			false,
		]);
		const before = previousRange(spec, range);
		expect([iso(before.startMs), iso(before.endMs)]).toEqual([
			'2025-12-29T14:00:00.000Z',
			'2026-01-01T00:00:00.000Z',
		]);
		const open = resolveRange({ ...spec, end: '' });
		expect([iso(open.endMs), open.endsNow]).toEqual([iso(now), true]);
		expect(iso(parseDateTime('2026-01-02', 'Start', 'UTC'))).toBe('2026-01-02T00:00:00.000Z');
		expect(() => resolveRange({ ...spec, start: 'next tuesday' })).toThrow(
			'Start "next tuesday" is not an ISO 8601 date-time',
		);
		expect(() => resolveRange({ ...spec, start: '' })).toThrow('Start is empty');
		expect(() => resolveRange({ ...spec, end: '2025-01-01T00:00:00Z' })).toThrow(
			'End (2025-01-01T00:00:00.000Z) must be after Start (2026-01-01T00:00:00.000Z)',
		);
	});

	it('refuses dates that are not in the calendar instead of rolling them over', () => {
		const spec = {
			mode: 'custom' as const,
			period: 'week' as const,
			start: '2026-01-01',
			nowMs: now,
			timeZone: 'UTC',
		};
		expect(() => resolveRange({ ...spec, end: '2026-02-30' })).toThrow(
			'End "2026-02-30" is not a date in the calendar: February 2026 has 28 days',
		);
		expect(() => resolveRange({ ...spec, end: '2026-13-01' })).toThrow(
			'End "2026-13-01" is not a date in the calendar: there is no month 13',
		);
		expect(() => resolveRange({ ...spec, end: '2026-00-10' })).toThrow('there is no month 00');
		expect(() => resolveRange({ ...spec, end: '2026-03-00' })).toThrow('March 2026 has 31 days');
		expect(() => resolveRange({ ...spec, end: '2025-02-29T10:00:00+01:00' })).toThrow(
			'February 2025 has 28 days',
		);
		expect(() => resolveRange({ ...spec, start: '2026-04-31T00:00:00Z', end: '' })).toThrow(
			'Start "2026-04-31T00:00:00Z"',
		);
		expect(() => resolveRange({ ...spec, end: '2026-01-05T25:00:00Z' })).toThrow(
			'End "2026-01-05T25:00:00Z" is not an ISO 8601 date-time',
		);
		expect(() => resolveRange({ ...spec, end: new Date('nonsense') })).toThrow(
			'End is an invalid date',
		);
		expect(
			iso(
				resolveRange({
					...spec,
					start: '2024-02-29',
					end: '2024-12-31T23:59:59Z',
					nowMs: at('2025-01-01T00:00:00Z'),
				}).startMs,
			),
		).toBe('2024-02-29T00:00:00.000Z');
	});

	it('stamps file names compactly', () => {
		expect(fileStamp(at('2026-01-05T00:00:00Z'))).toBe('20260105T000000Z');
	});
});

describe("usage time ranges in the workflow's time zone, across DST changes", () => {
	const span = (range: { startMs: number; endMs: number }) => [
		iso(range.startMs),
		iso(range.endMs),
	];
	const hours = (range: { startMs: number; endMs: number }) =>
		(range.endMs - range.startMs) / 3_600_000;
	const BERLIN = 'Europe/Berlin';
	const NEW_YORK = 'America/New_York';

	it('today in Berlin on the spring-forward day (23 h) is compared with the same wall-clock time yesterday', () => {
		// Sunday 2026-03-29 10:30 CEST; clocks went from 02:00 to 03:00 that night.
		const spec = {
			mode: 'current' as const,
			period: 'day' as const,
			nowMs: at('2026-03-29T08:30:00Z'),
			timeZone: BERLIN,
		};
		const range = resolveRange(spec);
		expect(span(range)).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T08:30:00.000Z']);
		// Berlin's day does not start at UTC midnight: `period=day` would mean another range.
		expect(range.period).toBeUndefined();
		expect(rangeQuery(range, false)).toEqual({
			start: '2026-03-28T23:00:00.000Z',
			end: '2026-03-29T08:30:00.000Z',
		});
		const before = previousRange(spec, range);
		// Saturday 00:00 to 10:30 CET: 10.5 h against today's 9.5 h, the same hours of the day.
		expect(span(before)).toEqual(['2026-03-27T23:00:00.000Z', '2026-03-28T09:30:00.000Z']);
		expect([hours(range), hours(before)]).toEqual([9.5, 10.5]);
	});

	it('last week in Berlin over the spring change is Monday to Monday local time (167 h)', () => {
		const spec = {
			mode: 'previous' as const,
			period: 'week' as const,
			nowMs: at('2026-03-30T06:00:00Z'),
			timeZone: BERLIN,
		};
		const range = resolveRange(spec);
		expect(span(range)).toEqual(['2026-03-22T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
		expect(hours(range)).toBe(167);
		expect(span(previousRange(spec, range))).toEqual([
			'2026-03-15T23:00:00.000Z',
			'2026-03-22T23:00:00.000Z',
		]);
	});

	it('yesterday in Berlin over the autumn change has 25 h; last month ends at local midnight', () => {
		const yesterday = resolveRange({
			mode: 'previous',
			period: 'day',
			nowMs: at('2026-10-26T08:00:00Z'),
			timeZone: BERLIN,
		});
		expect(span(yesterday)).toEqual(['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
		expect([hours(yesterday), yesterday.label]).toEqual([25, 'yesterday']);
		const october = resolveRange({
			mode: 'previous',
			period: 'month',
			nowMs: at('2026-11-15T12:00:00Z'),
			timeZone: BERLIN,
		});
		expect(span(october)).toEqual(['2026-09-30T22:00:00.000Z', '2026-10-31T23:00:00.000Z']);
	});

	it('New York: this week from Monday 00:00 EDT, last week from Monday 00:00 EST', () => {
		// Tuesday 2026-03-10 08:00 EDT; DST began on Sunday 2026-03-08.
		const nowMs = at('2026-03-10T12:00:00Z');
		const current = resolveRange({ mode: 'current', period: 'week', nowMs, timeZone: NEW_YORK });
		expect(span(current)).toEqual(['2026-03-09T04:00:00.000Z', '2026-03-10T12:00:00.000Z']);
		const last = resolveRange({ mode: 'previous', period: 'week', nowMs, timeZone: NEW_YORK });
		expect(span(last)).toEqual(['2026-03-02T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
	});

	it('custom Start/End without a zone are wall-clock times in the workflow zone; Z or an offset keeps its own', () => {
		const custom = {
			mode: 'custom' as const,
			period: 'week' as const,
			nowMs: at('2026-12-01T00:00:00Z'),
		};
		const ny = resolveRange({
			...custom,
			start: '2026-03-08',
			end: '2026-03-09',
			timeZone: NEW_YORK,
		});
		expect(span(ny)).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
		const autumn = resolveRange({
			...custom,
			start: '2026-10-25T00:00:00',
			end: '2026-10-26 00:00',
			timeZone: BERLIN,
		});
		expect(span(autumn)).toEqual(['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
		const own = resolveRange({
			...custom,
			start: '2026-10-25T00:00:00Z',
			end: '2026-10-26T00:00:00+01:00',
			timeZone: BERLIN,
		});
		expect(span(own)).toEqual(['2026-10-25T00:00:00.000Z', '2026-10-25T23:00:00.000Z']);
		// 02:30 does not exist in Berlin on 2026-03-29: read as 03:30 CEST, the time the clocks show.
		expect(iso(parseDateTime('2026-03-29T02:30:00', 'Start', BERLIN))).toBe(
			'2026-03-29T01:30:00.000Z',
		);
		expect(() =>
			resolveRange({ ...custom, start: '2026-02-01', end: '2026-02-30', timeZone: BERLIN }),
		).toThrow('End "2026-02-30" is not a date in the calendar: February 2026 has 28 days');
	});

	it("sends `period` alone only where the zone's period starts with UTC's", () => {
		const winter = at('2026-01-07T10:30:00Z');
		const summer = at('2026-07-08T10:30:00Z');
		const current = (period: 'hour' | 'week', nowMs: number, timeZone: string) =>
			resolveRange({ mode: 'current', period, nowMs, timeZone }).period;
		expect(current('week', winter, 'Europe/London')).toBe('week');
		expect(current('week', summer, 'Europe/London')).toBeUndefined();
		expect(current('week', winter, BERLIN)).toBeUndefined();
		expect(current('hour', summer, BERLIN)).toBe('hour');
		expect(current('hour', summer, 'Asia/Kolkata')).toBeUndefined(); // UTC+05:30
	});

	it('an unknown zone fails with its name', () => {
		expect(() =>
			resolveRange({ mode: 'current', period: 'day', nowMs: 0, timeZone: 'Mars/Olympus' }),
		).toThrow('The workflow\'s time zone "Mars/Olympus" is not a known time zone');
	});
});
