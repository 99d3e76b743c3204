/** The report's SVG bar chart of cost per group. Pure. */
import type { ReportMeta } from './report';
import type { RowsResult } from './rows';
import { OTHERS_GROUP } from './rows';
import { escapeXml, exactCost, formatMoney, formatPercent, groupName } from './format';

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
		const length =
			max > BigInt(0) ? Number((costs[index] * BigInt(CHART.barWidth * 10)) / max) / 10 : 0;
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
