/**
 * Time ranges in UTC: the range a report covers and the one it is compared with.
 *
 * ScaiGrid's `period` alone means "the current hour/day/week/month up to now" [inferred]; a
 * scheduled Monday report wants last week instead, and a comparison needs two explicit ranges
 * of the same kind. So ranges are computed here and sent as `start`/`end` (end exclusive).
 * Weeks start on Monday 00:00 UTC (ISO weeks), months on the 1st.
 */

export type Period = 'hour' | 'day' | 'week' | 'month';
export type RangeMode = 'current' | 'previous' | 'custom';

export const PERIODS: Period[] = ['hour', 'day', 'week', 'month'];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Records reach the query API within about 30 s (contract section 5). */
export const ACCOUNTING_LAG_MS = 30_000;

export interface TimeRange {
	startMs: number;
	endMs: number;
	/** The range runs up to the moment of the request: the last ~30 s may not be recorded yet. */
	endsNow: boolean;
	/** Words for headlines: "this week", "last week", "this range". */
	label: string;
	/**
	 * Send `period` alone instead of `start`/`end`: the current period with no comparison is the
	 * documented meaning of `period`, so no client clock is involved.
	 */
	period?: Period;
}

export interface RangeSpec {
	mode: RangeMode;
	period: Period;
	/** Custom range bounds: ISO strings (a missing zone means UTC) or Date-like values. */
	start?: unknown;
	end?: unknown;
	nowMs: number;
}

export function startOfPeriod(period: Period, ms: number): number {
	const d = new Date(ms);
	const year = d.getUTCFullYear();
	const month = d.getUTCMonth();
	const day = d.getUTCDate();
	switch (period) {
		case 'hour':
			return Date.UTC(year, month, day, d.getUTCHours());
		case 'day':
			return Date.UTC(year, month, day);
		case 'week':
			return Date.UTC(year, month, day) - ((d.getUTCDay() + 6) % 7) * DAY_MS;
		case 'month':
			return Date.UTC(year, month, 1);
	}
}

/** The start of the period `count` periods after (negative: before) the one starting at `startMs`. */
export function shiftPeriod(period: Period, startMs: number, count: number): number {
	switch (period) {
		case 'hour':
			return startMs + count * HOUR_MS;
		case 'day':
			return startMs + count * DAY_MS;
		case 'week':
			return startMs + count * 7 * DAY_MS;
		case 'month': {
			const d = new Date(startMs);
			return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + count, 1);
		}
	}
}

const THIS: Record<Period, string> = { hour: 'this hour', day: 'today', week: 'this week', month: 'this month' };
const LAST: Record<Period, string> = { hour: 'last hour', day: 'yesterday', week: 'last week', month: 'last month' };
const BEFORE: Record<Period, string> = {
	hour: 'the hour before',
	day: 'the day before',
	week: 'the week before',
	month: 'the month before',
};

/** The display names of the custom range's parameters: errors name them as the editor shows them. */
export const START_NAME = 'Start (UTC)';
export const END_NAME = 'End (UTC)';

const MONTH_NAMES = [
	'January', 'February', 'March', 'April', 'May', 'June',
	'July', 'August', 'September', 'October', 'November', 'December',
];

/**
 * Why the date at the start of ISO text is not in the calendar, if it is not. `Date.parse` rolls
 * such dates over (2026-02-30 becomes 2026-03-02), so a report would quietly cover other days.
 */
function calendarProblem(text: string): string | undefined {
	const [, y, m, d] = /^(\d{4})-(\d{2})-(\d{2})/.exec(text) ?? [];
	const year = Number(y);
	const month = Number(m);
	const day = Number(d);
	if (month < 1 || month > 12) return `there is no month ${m}`;
	const lastDay = new Date(0);
	lastDay.setUTCFullYear(year, month, 0); // day 0 of the next month: the last day of this one
	const days = lastDay.getUTCDate();
	if (day < 1 || day > days) return `${MONTH_NAMES[month - 1]} ${y} has ${days} days`;
	return undefined;
}

/**
 * A date-time parameter: n8n gives ISO text (without zone from the picker, read as UTC), or a
 * date object when an expression returns one. `what` is the parameter's display name; errors
 * quote the value, and nothing is sent for the item.
 */
export function parseDateTime(value: unknown, what: string): number {
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) throw new Error(`${what} is an invalid date`);
		return value.getTime();
	}
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	const dateTime = value as { toISO?: () => string | null; isValid?: boolean; invalidExplanation?: string | null } | null;
	if (typeof dateTime?.toISO === 'function' && dateTime.isValid === false) {
		throw new Error(`${what} is an invalid date${dateTime.invalidExplanation ? `: ${dateTime.invalidExplanation}` : ''}`);
	}
	const text =
		typeof value === 'string'
			? value.trim()
			: typeof dateTime?.toISO === 'function'
				? String(dateTime.toISO() ?? '')
				: value === undefined || value === null
					? ''
					: typeof value === 'object'
						? JSON.stringify(value)
						: String(value);
	if (text === '') throw new Error(`${what} is empty`);
	const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text);
	const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
	const normalised = dateOnly ? `${text}T00:00:00Z` : hasZone ? text : `${text}Z`;
	const ms = Date.parse(normalised);
	if (!/^\d{4}-\d{2}-\d{2}/.test(text)) {
		throw new Error(`${what} "${text}" is not an ISO 8601 date-time, e.g. 2026-01-05T00:00:00Z`);
	}
	const problem = calendarProblem(text);
	if (problem) throw new Error(`${what} "${text}" is not a date in the calendar: ${problem}`);
	if (Number.isNaN(ms)) {
		throw new Error(`${what} "${text}" is not an ISO 8601 date-time, e.g. 2026-01-05T00:00:00Z`);
	}
	return ms;
}

export function resolveRange(spec: RangeSpec): TimeRange {
	const { period, nowMs } = spec;
	if (spec.mode === 'current') {
		return { startMs: startOfPeriod(period, nowMs), endMs: nowMs, endsNow: true, label: THIS[period], period };
	}
	if (spec.mode === 'previous') {
		const currentStart = startOfPeriod(period, nowMs);
		return { startMs: shiftPeriod(period, currentStart, -1), endMs: currentStart, endsNow: false, label: LAST[period] };
	}
	const startMs = parseDateTime(spec.start, START_NAME);
	const hasEnd = spec.end !== undefined && spec.end !== null && String(spec.end).trim() !== '';
	const endMs = hasEnd ? parseDateTime(spec.end, END_NAME) : nowMs;
	if (endMs <= startMs) throw new Error(`${END_NAME} (${iso(endMs)}) must be after ${START_NAME} (${iso(startMs)})`);
	return { startMs, endMs, endsNow: endMs > nowMs - ACCOUNTING_LAG_MS, label: 'in this range' };
}

/**
 * The range a report is compared with:
 * - current period to now: the same elapsed time of the previous period (Monday 00:00–10:30 vs
 *   last Monday 00:00–10:30), so a half-finished week is not measured against a full one;
 * - previous full period: the full period before it;
 * - custom: the range of the same length that ends where it starts.
 */
export function previousRange(spec: RangeSpec, range: TimeRange): TimeRange {
	const { period } = spec;
	if (spec.mode === 'current') {
		const startMs = shiftPeriod(period, range.startMs, -1);
		const endMs = Math.min(startMs + (range.endMs - range.startMs), range.startMs);
		return { startMs, endMs, endsNow: false, label: `the same time ${LAST[period]}` };
	}
	if (spec.mode === 'previous') {
		return { startMs: shiftPeriod(period, range.startMs, -1), endMs: range.startMs, endsNow: false, label: BEFORE[period] };
	}
	const length = range.endMs - range.startMs;
	return { startMs: range.startMs - length, endMs: range.startMs, endsNow: false, label: 'the range before' };
}

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
	return iso(ms).replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}
