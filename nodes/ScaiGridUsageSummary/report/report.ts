/**
 * The ready-to-send report: a one-line headline, a Markdown table (chat tools), a Slack message
 * (Slack's mrkdwn has no tables, so the table goes in a code block), an HTML table (e-mail) and
 * an SVG bar chart of cost per group. Pure text building: no n8n, no HTTP.
 *
 * All numbers come from the exact decimals of the rows, rounded once for display.
 */
import type { Decimal } from '../../shared/api/decimal';
import { percent } from '../../shared/api/decimal';
import type { Aggregate } from './aggregate';
import { chartSvg } from './chart';
import { escapeXml, exactCost, formatInteger, formatMoney, formatSpan, groupName } from './format';
import type { GroupBy, RowsResult, UsageRow } from './rows';
import { OTHERS_GROUP } from './rows';
import { markdownTable, plainTable, htmlTable, tableOf } from './table';

export interface ReportMeta {
	groupBy: GroupBy;
	/** "this week", "last week", "in this range". */
	label: string;
	/** "the week before", "the same time last week"; set when comparing. */
	previousLabel?: string;
	/** UTC ISO instants, shown as wall-clock times in `timeZone`. */
	rangeStart: string;
	rangeEnd: string;
	/** IANA name of the workflow's time zone. */
	timeZone: string;
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
		return `No usage ${meta.label} (${formatSpan(meta.rangeStart, meta.rangeEnd, meta.timeZone)})`;
	}
	const parts = [
		`Cost ${meta.label} ${formatMoney(total.cost, meta.costDecimals)} (${formatInteger(total.requests)} requests)`,
	];
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

export function buildReport(result: RowsResult, meta: ReportMeta): Report {
	const headline = headlineOf(result, meta);
	const noUsage = result.total.requests === 0 && (result.previousTotal?.requests ?? 0) === 0;
	const title = `ScaiGrid usage ${meta.label}, by ${meta.groupBy}`;
	const span = formatSpan(meta.rangeStart, meta.rangeEnd, meta.timeZone);
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
