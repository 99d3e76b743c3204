/**
 * Reading a date-time parameter (the custom range's Start and End). A value without a zone is a
 * wall-clock time in the workflow's time zone, as n8n's own date pickers and nodes read it; a
 * value with `Z` or an offset keeps its own. Errors name the parameter and quote the value, and
 * come before any request.
 */
import { DateTime } from 'luxon';

const MONTH_NAMES = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December',
];

/**
 * Why the date at the start of ISO text is not in the calendar, if it is not. A parser that
 * rolls such dates over (2026-02-30 to 2026-03-02) would quietly report on other days.
 */
function calendarProblem(text: string): string | undefined {
	const [, y, m, d] = /^(\d{4})-(\d{2})-(\d{2})/.exec(text) ?? [];
	const month = Number(m);
	const day = Number(d);
	if (month < 1 || month > 12) return `there is no month ${m}`;
	const days = DateTime.utc(Number(y), month).daysInMonth ?? 31;
	if (day < 1 || day > days) return `${MONTH_NAMES[month - 1]} ${y} has ${days} days`;
	return undefined;
}

/** A luxon DateTime as an expression (e.g. `{{ $now.minus({ days: 7 }) }}`) returns it. */
interface DateTimeLike {
	toISO: () => string | null;
	isValid?: boolean;
	invalidExplanation?: string | null;
}

function isDateTimeLike(value: unknown): value is DateTimeLike {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as Partial<DateTimeLike>).toISO === 'function'
	);
}

function asText(value: unknown): string {
	if (typeof value === 'string') return value.trim();
	if (isDateTimeLike(value)) return String(value.toISO() ?? '');
	if (value === undefined || value === null) return '';
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * A date-time parameter as epoch milliseconds. `what` is the parameter's display name; `zone`
 * the IANA name of the workflow's time zone.
 */
export function parseDateTime(value: unknown, what: string, zone: string): number {
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) throw new Error(`${what} is an invalid date`);
		return value.getTime();
	}
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (isDateTimeLike(value) && value.isValid === false) {
		throw new Error(
			`${what} is an invalid date${value.invalidExplanation ? `: ${value.invalidExplanation}` : ''}`,
		);
	}
	const text = asText(value);
	if (text === '') throw new Error(`${what} is empty`);
	const notIso = `${what} "${text}" is not an ISO 8601 date-time, e.g. 2026-01-05 or 2026-01-05T09:00:00`;
	if (!/^\d{4}-\d{2}-\d{2}/.test(text)) throw new Error(notIso);
	const problem = calendarProblem(text);
	if (problem) throw new Error(`${what} "${text}" is not a date in the calendar: ${problem}`);
	let parsed = DateTime.fromISO(text, { zone });
	// "2026-01-05 09:00" (a space, not a T) is what people type and what SQL prints.
	if (!parsed.isValid) parsed = DateTime.fromSQL(text, { zone });
	if (!parsed.isValid) throw new Error(notIso);
	return parsed.toMillis();
}
