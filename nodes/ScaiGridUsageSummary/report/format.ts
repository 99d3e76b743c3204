/**
 * How the report writes numbers, times and names: locale-free, so it reads the same on every
 * server, and escaped for the format it goes into. Pure.
 */
import { DateTime } from 'luxon';

import type { Decimal } from '../../shared/api/decimal';
import { requireDecimal, toFixed } from '../../shared/api/decimal';
import type { UsageRow } from './rows';

// Number formatting (locale-free, so the report reads the same on every server)

export function formatInteger(value: number): string {
	const sign = value < 0 ? '-' : '';
	return sign + String(Math.abs(Math.trunc(value))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Money with thousands separators: "1,412.30". */
export function formatMoney(value: Decimal, decimals: number): string {
	const text = toFixed(value, decimals);
	const negative = text.startsWith('-');
	const [whole, fraction] = (negative ? text.slice(1) : text).split('.');
	const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	return `${negative ? '-' : ''}${grouped}${fraction !== undefined ? `.${fraction}` : ''}`;
}

export function formatPercent(value: number | null, decimals = 1, signed = false): string {
	if (value === null) return 'n/a';
	const text = value.toFixed(decimals);
	return `${signed && value > 0 ? '+' : ''}${text}%`;
}

/** "2026-01-05 00:00": an instant (ISO text) as the wall-clock time in `zone`. */
export function formatTime(isoTime: string, zone: string): string {
	return DateTime.fromISO(isoTime, { zone }).toFormat('yyyy-MM-dd HH:mm');
}

/** "2026-01-05 00:00 to 2026-01-12 00:00 Europe/Berlin": a range as the report's reader lives it. */
export function formatSpan(startIso: string, endIso: string, zone: string): string {
	return `${formatTime(startIso, zone)} to ${formatTime(endIso, zone)} ${zone}`;
}

// ---------------------------------------------------------------------------------------------
// Escaping

export function escapeXml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

/** A Markdown table cell: pipes and line breaks would break the table. */
export function escapeMarkdownCell(text: string): string {
	return text
		.replace(/\\/g, '\\\\')
		.replace(/\|/g, '\\|')
		.replace(/[\r\n]+/g, ' ');
}

export function groupName(group: string | number | boolean | null): string {
	return group === null || group === '' ? '(none)' : String(group);
}

// Rows carry the exact decimal strings beside the numbers: reports use them, never the floats.
export function exactCost(row: UsageRow): Decimal {
	return requireDecimal(String(row.costDecimal ?? '0'), 'costDecimal');
}

export function exactPrevious(row: UsageRow): Decimal {
	return requireDecimal(String(row.previousCostDecimal ?? '0'), 'previousCostDecimal');
}
