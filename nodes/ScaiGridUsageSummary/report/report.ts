/**
 * The ready-to-send report: a one-line headline, a Markdown table (chat tools), a Slack message
 * (Slack's mrkdwn has no tables, so the table goes in a code block), an HTML table (e-mail) and
 * an SVG bar chart of cost per group. Pure text building: no n8n, no HTTP.
 *
 * All numbers come from the exact decimals of the rows, rounded once for display.
 */
import type { Decimal } from '../shared/decimal';
import { percent, requireDecimal, toFixed } from '../shared/decimal';
import type { Aggregate, GroupBy, RowsResult, UsageRow } from './rows';
import { OTHERS_GROUP, TOTAL_GROUP } from './rows';

export interface ReportMeta {
	groupBy: GroupBy;
	/** "this week", "last week", "in this range". */
	label: string;
	/** "the week before", "the same time last week"; set when comparing. */
	previousLabel?: string;
	rangeStart: string;
	rangeEnd: string;
	costDecimals: number;
}

export interface Report {
	headline: string;
	markdown: string;
	slack: string;
	html: string;
	svg: string;
	noUsage: boolean;
}

const GROUP_TITLES: Record<GroupBy, string> = { model: 'Model', user: 'User', backend: 'Backend', tenant: 'Tenant' };

// ---------------------------------------------------------------------------------------------
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

/** "2026-01-05 00:00" from an ISO time. */
export function formatTime(isoTime: string): string {
	return isoTime.replace('T', ' ').replace(/:\d{2}(\.\d+)?Z$/, '');
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
function escapeMarkdownCell(text: string): string {
	return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

function groupName(group: string | number | boolean | null): string {
	return group === null || group === '' ? '(none)' : String(group);
}

// ---------------------------------------------------------------------------------------------
// The table every format shares

interface Table {
	header: string[];
	/** Right-aligned columns (numbers). */
	numeric: boolean[];
	body: string[][];
	total: string[];
}

// Rows carry the exact decimal strings beside the numbers: reports use them, never the floats.
function exactCost(row: UsageRow): Decimal {
	return requireDecimal(String(row.costDecimal ?? '0'), 'costDecimal');
}

function exactPrevious(row: UsageRow): Decimal {
	return requireDecimal(String(row.previousCostDecimal ?? '0'), 'previousCostDecimal');
}

function tableOf(result: RowsResult, meta: ReportMeta): Table {
	const comparing = meta.previousLabel !== undefined;
	const header = [GROUP_TITLES[meta.groupBy], 'Requests', 'Tokens', 'Cost', 'Share'];
	if (comparing) header.push('Prev. Cost', 'Change');
	const cells = (row: UsageRow): string[] => {
		const line = [
			groupName(row.group),
			formatInteger(Number(row.requests)),
			formatInteger(Number(row.totalTokens)),
			formatMoney(exactCost(row), meta.costDecimals),
			formatPercent(row.costShare as number | null),
		];
		if (comparing) {
			line.push(
				formatMoney(exactPrevious(row), meta.costDecimals),
				formatPercent(row.costChangePercent as number | null, 1, true),
			);
		}
		return line;
	};
	return {
		header,
		numeric: header.map((_, index) => index > 0),
		body: result.rows.filter((row) => row !== result.totals).map(cells),
		total: cells(result.totals),
	};
}

function widths(table: Table): number[] {
	return table.header.map((title, column) =>
		Math.max(title.length, ...[...table.body, table.total].map((line) => line[column].length)),
	);
}

function pad(text: string, width: number, right: boolean): string {
	return right ? text.padStart(width) : text.padEnd(width);
}

function markdownTable(table: Table): string {
	const escaped: Table = {
		...table,
		body: table.body.map((line) => line.map(escapeMarkdownCell)),
		total: table.total.map((cell, index) => (index === 0 ? `**${TOTAL_GROUP}**` : `**${escapeMarkdownCell(cell)}**`)),
	};
	const w = widths({ ...escaped, header: escaped.header });
	const line = (cells: string[]) => `| ${cells.map((cell, i) => pad(cell, w[i], table.numeric[i])).join(' | ')} |`;
	const rule = `| ${w.map((width, i) => (table.numeric[i] ? `${'-'.repeat(Math.max(2, width - 1))}:` : `:${'-'.repeat(Math.max(2, width - 1))}`)).join(' | ')} |`;
	return [line(escaped.header), rule, ...escaped.body.map(line), line(escaped.total)].join('\n');
}

function plainTable(table: Table): string {
	const total = [TOTAL_GROUP, ...table.total.slice(1)];
	const w = widths({ ...table, total });
	const line = (cells: string[]) => cells.map((cell, i) => pad(cell, w[i], table.numeric[i])).join('  ');
	return [line(table.header), w.map((width) => '-'.repeat(width)).join('  '), ...table.body.map(line), line(total)].join('\n');
}

function htmlTable(table: Table): string {
	const cell = (tag: 'td' | 'th', text: string, numeric: boolean, bold = false) =>
		`<${tag} style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:${numeric ? 'right' : 'left'}${bold ? ';font-weight:bold' : ''}">${escapeXml(text)}</${tag}>`;
	const head = `<tr>${table.header.map((title, i) => cell('th', title, table.numeric[i])).join('')}</tr>`;
	const body = table.body.map((line) => `<tr>${line.map((text, i) => cell('td', text, table.numeric[i])).join('')}</tr>`);
	const total = `<tr>${[TOTAL_GROUP, ...table.total.slice(1)].map((text, i) => cell('td', text, table.numeric[i], true)).join('')}</tr>`;
	return [
		'<table style="border-collapse:collapse;font-family:sans-serif;font-size:14px">',
		`<thead>${head}</thead>`,
		`<tbody>${body.join('')}${total}</tbody>`,
		'</table>',
	].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Headline

function topGroup(result: RowsResult): UsageRow | undefined {
	let best: UsageRow | undefined;
	let bestCost: Decimal | undefined;
	for (const row of result.rows) {
		if (row === result.totals || row.group === OTHERS_GROUP) continue;
		const cost = exactCost(row);
		if (bestCost === undefined || cost > bestCost) {
			best = row;
			bestCost = cost;
		}
	}
	return bestCost !== undefined && bestCost > BigInt(0) ? best : undefined;
}

export function headlineOf(result: RowsResult, meta: ReportMeta): string {
	const total: Aggregate = result.total;
	const previous = result.previousTotal;
	if (total.requests === 0 && (previous === undefined || previous.requests === 0)) {
		return `No usage ${meta.label} (${formatTime(meta.rangeStart)} to ${formatTime(meta.rangeEnd)} UTC)`;
	}
	const parts = [`Cost ${meta.label} ${formatMoney(total.cost, meta.costDecimals)} (${formatInteger(total.requests)} requests)`];
	if (previous && meta.previousLabel) {
		const change = percent(total.cost - previous.cost, previous.cost, 0);
		// No percentage from a zero base: say the amount instead.
		parts[0] +=
			change === null
				? `, vs ${formatMoney(previous.cost, meta.costDecimals)} ${meta.previousLabel}`
				: `, ${change > 0 ? '+' : ''}${change}% vs ${meta.previousLabel}`;
	}
	const top = topGroup(result);
	if (top) {
		const share = percent(exactCost(top), total.cost, 0);
		parts.push(`top ${meta.groupBy} ${groupName(top.group)} (${share ?? 0}%)`);
	}
	return parts.join('; ');
}

// ---------------------------------------------------------------------------------------------
// Chart

const CHART = { width: 720, labelWidth: 230, barWidth: 330, rowHeight: 26, top: 48, bottom: 16 };

function truncate(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Horizontal bars, one per group, length proportional to cost; the value beside each bar. */
export function chartSvg(result: RowsResult, meta: ReportMeta, title: string): string {
	const bars = result.rows.filter((row) => row !== result.totals);
	const costs = bars.map(exactCost);
	const max = costs.reduce((a, b) => (b > a ? b : a), BigInt(0));
	const height = CHART.top + Math.max(1, bars.length) * CHART.rowHeight + CHART.bottom;
	const parts = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${CHART.width}" height="${height}" viewBox="0 0 ${CHART.width} ${height}" font-family="sans-serif" font-size="13">`,
		`<title>${escapeXml(title)}</title>`,
		`<rect x="0" y="0" width="${CHART.width}" height="${height}" fill="#ffffff"/>`,
		`<text x="12" y="24" font-size="15" font-weight="bold" fill="#222222">${escapeXml(title)}</text>`,
	];
	if (bars.length === 0) {
		parts.push(`<text x="12" y="${CHART.top + 16}" fill="#555555">No usage in this period</text>`);
	}
	bars.forEach((row, index) => {
		const y = CHART.top + index * CHART.rowHeight;
		// Bar length by exact ratio, in tenths of a pixel.
		const length = max > BigInt(0) ? Number((costs[index] * BigInt(CHART.barWidth * 10)) / max) / 10 : 0;
		const label = truncate(groupName(row.group), 32);
		const value = `${formatMoney(costs[index], meta.costDecimals)} (${formatPercent(row.costShare as number | null)})`;
		parts.push(
			`<text x="${CHART.labelWidth - 8}" y="${y + 17}" text-anchor="end" fill="#222222">${escapeXml(label)}</text>`,
			`<rect x="${CHART.labelWidth}" y="${y + 4}" width="${length}" height="${CHART.rowHeight - 8}" fill="${row.group === OTHERS_GROUP ? '#9aa5b1' : '#3b6fd8'}"/>`,
			`<text x="${CHART.labelWidth + length + 6}" y="${y + 17}" fill="#222222">${escapeXml(value)}</text>`,
		);
	});
	parts.push('</svg>');
	return parts.join('\n');
}

// ---------------------------------------------------------------------------------------------

export function buildReport(result: RowsResult, meta: ReportMeta): Report {
	const headline = headlineOf(result, meta);
	const noUsage = result.total.requests === 0 && (result.previousTotal?.requests ?? 0) === 0;
	const title = `ScaiGrid usage ${meta.label}, by ${meta.groupBy}`;
	const span = `${formatTime(meta.rangeStart)} to ${formatTime(meta.rangeEnd)} UTC`;
	if (noUsage) {
		return {
			headline,
			markdown: `**${title}** (${span})\n\nNo usage in this period.`,
			slack: `*${title}* (${span})\nNo usage in this period.`,
			html: `<h3 style="font-family:sans-serif">${escapeXml(title)}</h3>\n<p style="font-family:sans-serif">${escapeXml(span)}: no usage in this period.</p>`,
			svg: chartSvg(result, meta, title),
			noUsage,
		};
	}
	const table = tableOf(result, meta);
	return {
		headline,
		markdown: `**${title}** (${span})\n\n${headline}\n\n${markdownTable(table)}`,
		slack: `*${title}* (${span})\n${headline}\n\`\`\`\n${plainTable(table)}\n\`\`\``,
		html: [
			`<h3 style="font-family:sans-serif">${escapeXml(title)}</h3>`,
			`<p style="font-family:sans-serif">${escapeXml(span)}<br>${escapeXml(headline)}</p>`,
			htmlTable(table),
		].join('\n'),
		svg: chartSvg(result, meta, title),
		noUsage,
	};
}
