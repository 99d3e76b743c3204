import { escapeXml, formatMoney } from '../../nodes/ScaiGridUsageSummary/report/format';
import { buildReport } from '../../nodes/ScaiGridUsageSummary/report/report';
import { buildRows } from '../../nodes/ScaiGridUsageSummary/report/rows';
import { requireDecimal } from '../../nodes/shared/api/decimal';
import type { SummaryRow } from '../../nodes/shared/api/schemas';
import { assertWellFormedXml } from './usage-xml';

const row = (group: string, requests: number, tokens: number, cost: string): SummaryRow => ({
	group_key: group,
	request_count: requests,
	input_tokens: tokens,
	output_tokens: 0,
	total_cost: cost,
	backend_cost: '0',
});

const meta = {
	groupBy: 'model' as const,
	label: 'last week',
	previousLabel: 'the week before',
	rangeStart: '2026-01-05T00:00:00.000Z',
	rangeEnd: '2026-01-12T00:00:00.000Z',
	timeZone: 'UTC',
	costDecimals: 2,
};

describe('usage report', () => {
	const current = [
		row('scailabs/poolnoodle-omni', 1200, 3_400_000, '239.134'),
		row('<b>evil & "co"|x</b>', 34, 5000, '173.166'),
	];
	const previous = [
		row('scailabs/poolnoodle-omni', 1000, 3_000_000, '300'),
		row('<b>evil & "co"|x</b>', 10, 100, '68.125'),
	];

	it('writes the headline with the change and the top group', () => {
		const report = buildReport(
			buildRows(current, {
				groupBy: 'model',
				sortBy: 'cost',
				topN: 0,
				includeTotals: false,
				previous,
				rangeStart: '',
				rangeEnd: '',
			}),
			meta,
		);
		expect(report.headline).toBe(
			'Cost last week 412.30 (1,234 requests), +12% vs the week before; top model scailabs/poolnoodle-omni (58%)',
		);
		expect(report.noUsage).toBe(false);
	});

	it('headline without comparison, and from a zero base', () => {
		const opts = {
			groupBy: 'model' as const,
			sortBy: 'cost' as const,
			topN: 0,
			includeTotals: false,
			rangeStart: '',
			rangeEnd: '',
		};
		expect(
			buildReport(buildRows(current, opts), {
				...meta,
				label: 'this week',
				previousLabel: undefined,
			}).headline,
		).toBe('Cost this week 412.30 (1,234 requests); top model scailabs/poolnoodle-omni (58%)');
		const fromZero = buildReport(buildRows(current, { ...opts, previous: [] }), meta);
		expect(fromZero.headline).toBe(
			'Cost last week 412.30 (1,234 requests), vs 0.00 the week before; top model scailabs/poolnoodle-omni (58%)',
		);
		// Requests but no cost (free models): no "top" group to name.
		const free = buildReport(buildRows([row('local/qwen', 3, 10, '0')], opts), {
			...meta,
			previousLabel: undefined,
		});
		expect(free.headline).toBe('Cost last week 0.00 (3 requests)');
	});

	it('renders Markdown, Slack, HTML and SVG with escaped names', () => {
		const report = buildReport(
			buildRows(current, {
				groupBy: 'model',
				sortBy: 'cost',
				topN: 0,
				includeTotals: true,
				previous,
				rangeStart: '',
				rangeEnd: '',
			}),
			meta,
		);
		const lines = report.markdown.split('\n');
		expect(lines[0]).toBe(
			'**ScaiGrid usage last week, by model** (2026-01-05 00:00 to 2026-01-12 00:00 UTC)',
		);
		const table = lines.filter((l) => l.startsWith('|'));
		expect(table).toHaveLength(5); // header, rule, 2 groups, total
		expect(table[0]).toMatch(
			/^\| Model\s+\|\s+Requests \|\s+Tokens \|\s+Cost \|\s+Share \|\s+Prev. Cost \|\s+Change \|$/,
		);
		expect(table[2]).toMatch(
			/^\| scailabs\/poolnoodle-omni\s+\|\s+1,200 \|\s+3,400,000 \|\s+239.13 \|\s+58.0% \|\s+300.00 \|\s+-20.3% \|$/,
		);
		expect(table[3]).toContain('<b>evil & "co"\\|x</b>');
		expect(table[4]).toMatch(
			/^\| \*\*TOTAL\*\*\s+\| \s*\*\*1,234\*\* \| \*\*3,405,000\*\* \| \*\*412.30\*\* \| \*\*100.0%\*\* \|\s+\*\*368.13\*\* \| \*\*\+12.0%\*\* \|$/,
		);
		// Every table line has the same width (readable as plain text, too).
		expect(new Set(table.map((l) => l.length)).size).toBe(1);

		expect(report.slack).toContain('```\nModel');
		expect(report.slack).toMatch(
			/TOTAL\s+1,234\s+3,405,000\s+412.30\s+100.0%\s+368.13\s+\+12.0%\n```$/,
		);

		expect(report.html).toContain('&lt;b&gt;evil &amp; &quot;co&quot;|x&lt;/b&gt;');
		expect(report.html).not.toContain('<b>evil');
		expect(report.html).toContain('>412.30</td>');
		assertWellFormedXml(`<root>${report.html.replace(/<br>/g, '<br/>')}</root>`);

		assertWellFormedXml(report.svg);
		expect(report.svg).toContain('&lt;b&gt;evil &amp; &quot;co&quot;|x&lt;/b&gt;');
		expect(report.svg).toContain('239.13 (58.0%)');
		expect(report.svg).toContain('173.17 (42.0%)');
		const widths = [...report.svg.matchAll(/<rect x="230" y="\d+" width="([\d.]+)"/g)].map((m) =>
			Number(m[1]),
		);
		expect(widths).toEqual([330, 238.9]); // 330 × 173.166 / 239.134 = 238.96, in tenths of a pixel
	});

	it('says "no usage" for an empty period, and still renders a chart', () => {
		const report = buildReport(
			buildRows([], {
				groupBy: 'model',
				sortBy: 'cost',
				topN: 0,
				includeTotals: false,
				rangeStart: '',
				rangeEnd: '',
			}),
			{
				...meta,
				previousLabel: undefined,
			},
		);
		expect(report.noUsage).toBe(true);
		expect(report.headline).toBe('No usage last week (2026-01-05 00:00 to 2026-01-12 00:00 UTC)');
		expect(report.markdown).toContain('No usage in this period.');
		assertWellFormedXml(report.svg);
		expect(report.svg).toContain('No usage in this period');
	});

	it('formats and escapes', () => {
		expect(formatMoney(requireDecimal('1234567.891', 'test'), 2)).toBe('1,234,567.89');
		expect(formatMoney(requireDecimal('-1234.5', 'test'), 0)).toBe('-1,235');
		expect(escapeXml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&#39;');
	});
});

describe('usage report in a workflow time zone', () => {
	it('shows the range as wall-clock times of that zone, named', () => {
		const rows = buildRows([], {
			groupBy: 'model',
			sortBy: 'cost',
			topN: 0,
			includeTotals: false,
			rangeStart: '',
			rangeEnd: '',
		});
		const report = buildReport(rows, {
			...meta,
			previousLabel: undefined,
			rangeStart: '2026-03-22T23:00:00.000Z',
			rangeEnd: '2026-03-29T22:00:00.000Z',
			timeZone: 'Europe/Berlin',
		});
		expect(report.headline).toBe(
			'No usage last week (2026-03-23 00:00 to 2026-03-30 00:00 Europe/Berlin)',
		);
	});
});
