/**
 * The table every report format shares, and its Markdown (chat tools), plain (a Slack code
 * block: mrkdwn has no tables) and HTML (e-mail) renderings. Pure.
 */
import type { ReportMeta } from './report';
import type { GroupBy, RowsResult, UsageRow } from './rows';
import { TOTAL_GROUP } from './rows';
import {
	escapeMarkdownCell,
	escapeXml,
	exactCost,
	exactPrevious,
	formatInteger,
	formatMoney,
	formatPercent,
	groupName,
} from './format';

const GROUP_TITLES: Record<GroupBy, string> = {
	model: 'Model',
	user: 'User',
	backend: 'Backend',
	tenant: 'Tenant',
};

export interface Table {
	header: string[];
	/** Right-aligned columns (numbers). */
	numeric: boolean[];
	body: string[][];
	total: string[];
}

export function tableOf(result: RowsResult, meta: ReportMeta): Table {
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

export function markdownTable(table: Table): string {
	const escaped: Table = {
		...table,
		body: table.body.map((line) => line.map(escapeMarkdownCell)),
		total: table.total.map((cell, index) =>
			index === 0 ? `**${TOTAL_GROUP}**` : `**${escapeMarkdownCell(cell)}**`,
		),
	};
	const w = widths({ ...escaped, header: escaped.header });
	const line = (cells: string[]) =>
		`| ${cells.map((cell, i) => pad(cell, w[i], table.numeric[i])).join(' | ')} |`;
	const rule = `| ${w.map((width, i) => (table.numeric[i] ? `${'-'.repeat(Math.max(2, width - 1))}:` : `:${'-'.repeat(Math.max(2, width - 1))}`)).join(' | ')} |`;
	return [line(escaped.header), rule, ...escaped.body.map(line), line(escaped.total)].join('\n');
}

export function plainTable(table: Table): string {
	const total = [TOTAL_GROUP, ...table.total.slice(1)];
	const w = widths({ ...table, total });
	const line = (cells: string[]) =>
		cells.map((cell, i) => pad(cell, w[i], table.numeric[i])).join('  ');
	return [
		line(table.header),
		w.map((width) => '-'.repeat(width)).join('  '),
		...table.body.map(line),
		line(total),
	].join('\n');
}

export function htmlTable(table: Table): string {
	const cell = (tag: 'td' | 'th', text: string, numeric: boolean, bold = false) =>
		`<${tag} style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:${numeric ? 'right' : 'left'}${bold ? ';font-weight:bold' : ''}">${escapeXml(text)}</${tag}>`;
	const head = `<tr>${table.header.map((title, i) => cell('th', title, table.numeric[i])).join('')}</tr>`;
	const body = table.body.map(
		(line) => `<tr>${line.map((text, i) => cell('td', text, table.numeric[i])).join('')}</tr>`,
	);
	const total = `<tr>${[TOTAL_GROUP, ...table.total.slice(1)].map((text, i) => cell('td', text, table.numeric[i], true)).join('')}</tr>`;
	return [
		'<table style="border-collapse:collapse;font-family:sans-serif;font-size:14px">',
		`<thead>${head}</thead>`,
		`<tbody>${body.join('')}${total}</tbody>`,
		'</table>',
	].join('\n');
}
