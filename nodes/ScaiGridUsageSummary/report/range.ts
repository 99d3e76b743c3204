/**
 * Time ranges: the range a report covers and the one it is compared with, computed in the
 * workflow's time zone (its setting, else the instance's): "today", "this week" (ISO weeks,
 * from Monday 00:00) and "last month" are the user's calendar, across DST changes too.
 *
 * ScaiGrid's `period` alone means the current hour/day/week/month in UTC (docs/scaigrid-api.md
 * §5.3); a scheduled Monday report wants last week instead, a comparison needs two ranges of
 * the same kind, and another zone's periods start at other instants. So ranges are computed here
 * and sent as `start`/`end` (UTC instants, end exclusive), or as `period` where that means the
 * same range.
 */
import { DateTime } from 'luxon';

import { parseDateTime } from './dateTime';

export type Period = 'hour' | 'day' | 'week' | 'month';
export type RangeMode = 'current' | 'previous' | 'custom';

export const PERIODS: Period[] = ['hour', 'day', 'week', 'month'];

/** Records reach the query API within about 30 s (docs/scaigrid-api.md §5.1). */
export const ACCOUNTING_LAG_MS = 30_000;

/** The display names of the custom range's parameters: errors name them as the editor shows them. */
export const START_NAME = 'Start';
export const END_NAME = 'End';

export interface TimeRange {
	startMs: number;
	endMs: number;
	/** The range runs up to the moment of the request: the last ~30 s may not be recorded yet. */
	endsNow: boolean;
	/** Words for headlines: "this week", "last week", "this range". */
	label: string;
	/** Send `period` alone instead of `start`/`end`: it means this very range (see rangeQuery). */
	period?: Period;
}

export interface RangeSpec {
	mode: RangeMode;
	period: Period;
	/** Custom range bounds: ISO text (without a zone: in `timeZone`) or Date-like values. */
	start?: unknown;
	end?: unknown;
	nowMs: number;
	/** IANA name of the workflow's time zone, e.g. "Europe/Berlin" or "UTC". */
	timeZone: string;
}

const THIS: Record<Period, string> = {
	hour: 'this hour',
	day: 'today',
	week: 'this week',
	month: 'this month',
};
const LAST: Record<Period, string> = {
	hour: 'last hour',
	day: 'yesterday',
	week: 'last week',
	month: 'last month',
};
const BEFORE: Record<Period, string> = {
	hour: 'the hour before',
	day: 'the day before',
	week: 'the week before',
	month: 'the month before',
};

function at(ms: number, zone: string): DateTime {
	const time = DateTime.fromMillis(ms, { zone });
	if (!time.isValid) throw new Error(`The workflow's time zone "${zone}" is not a known time zone`);
	return time;
}

export function startOfPeriod(period: Period, ms: number, zone: string): number {
	return at(ms, zone).startOf(period).toMillis();
}

/** The start of the period `count` periods after (negative: before) the one starting at `startMs`. */
export function shiftPeriod(period: Period, startMs: number, count: number, zone: string): number {
	return at(startMs, zone)
		.plus({ [period]: count })
		.toMillis();
}

/** Wall-clock milliseconds: the local time read as if it were UTC. */
function wallClock(time: DateTime): number {
	return time.toMillis() + time.offset * 60_000;
}

export function resolveRange(spec: RangeSpec): TimeRange {
	const { period, nowMs, timeZone } = spec;
	if (spec.mode === 'current') {
		const startMs = startOfPeriod(period, nowMs, timeZone);
		// Where the zone's period starts where UTC's does, `period` alone asks for the same range.
		const sameAsUtc = startMs === startOfPeriod(period, nowMs, 'UTC');
		return {
			startMs,
			endMs: nowMs,
			endsNow: true,
			label: THIS[period],
			...(sameAsUtc && { period }),
		};
	}
	if (spec.mode === 'previous') {
		const currentStart = startOfPeriod(period, nowMs, timeZone);
		return {
			startMs: shiftPeriod(period, currentStart, -1, timeZone),
			endMs: currentStart,
			endsNow: false,
			label: LAST[period],
		};
	}
	const startMs = parseDateTime(spec.start, START_NAME, timeZone);
	const hasEnd = spec.end !== undefined && spec.end !== null && String(spec.end).trim() !== '';
	const endMs = hasEnd ? parseDateTime(spec.end, END_NAME, timeZone) : nowMs;
	if (endMs <= startMs)
		throw new Error(`${END_NAME} (${iso(endMs)}) must be after ${START_NAME} (${iso(startMs)})`);
	return { startMs, endMs, endsNow: endMs > nowMs - ACCOUNTING_LAG_MS, label: 'in this range' };
}

/**
 * The range a report is compared with:
 * - current period to now: the same wall-clock time into the previous period (Monday 00:00–10:30
 *   vs last Monday 00:00–10:30, whatever DST did in between), so a half-finished week is not
 *   measured against a full one; never past the current period's start;
 * - previous full period: the full period before it;
 * - custom: the range of the same length that ends where it starts.
 */
export function previousRange(spec: RangeSpec, range: TimeRange): TimeRange {
	const { period, timeZone } = spec;
	if (spec.mode === 'current') {
		const startMs = shiftPeriod(period, range.startMs, -1, timeZone);
		const start = at(startMs, timeZone);
		// An hour has no wall clock to follow: DST repeats or skips whole hours.
		const elapsed =
			period === 'hour'
				? range.endMs - range.startMs
				: wallClock(at(range.endMs, timeZone)) - wallClock(at(range.startMs, timeZone));
		const end =
			period === 'hour'
				? startMs + elapsed
				: DateTime.fromMillis(wallClock(start) + elapsed, { zone: 'UTC' })
						.setZone(timeZone, { keepLocalTime: true })
						.toMillis();
		return {
			startMs,
			endMs: Math.min(end, range.startMs),
			endsNow: false,
			label: `the same time ${LAST[period]}`,
		};
	}
	if (spec.mode === 'previous') {
		return {
			startMs: shiftPeriod(period, range.startMs, -1, timeZone),
			endMs: range.startMs,
			endsNow: false,
			label: BEFORE[period],
		};
	}
	const length = range.endMs - range.startMs;
	return {
		startMs: range.startMs - length,
		endMs: range.startMs,
		endsNow: false,
		label: 'the range before',
	};
}

/** Instants travel and appear in output rows as UTC ISO text. */
export function iso(ms: number): string {
	return new Date(ms).toISOString();
}

/** Query parameters for the range: `period` alone, or explicit `start`/`end`. */
export function rangeQuery(range: TimeRange, explicit: boolean): Record<string, string> {
	if (range.period && !explicit) return { period: range.period };
	return { start: iso(range.startMs), end: iso(range.endMs) };
}

/** "20260105T000000Z": compact and safe in file names. */
export function fileStamp(ms: number): string {
	return iso(ms)
		.replace(/\.\d{3}Z$/, 'Z')
		.replace(/[-:]/g, '');
}
