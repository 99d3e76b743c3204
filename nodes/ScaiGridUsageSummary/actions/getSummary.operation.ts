import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ItemResult } from '../../shared/execution/itemRunner';
import { iso, previousRange } from '../report/range';
import { buildReport } from '../report/report';
import type { GroupBy, RowsResult, SortBy } from '../report/rows';
import { buildRows } from '../report/rows';
import { fetchSummary } from '../api/summary';
import { readFilters, readRange } from './common';
import type { Run } from './router';

const SUMMARY = ['getSummary'];

const properties: INodeProperties[] = [
	{
		displayName: 'Group By',
		name: 'groupBy',
		type: 'options',
		default: 'model',
		options: [
			{ name: 'Backend', value: 'backend' },
			{ name: 'Model', value: 'model' },
			{
				name: 'Tenant',
				value: 'tenant',
				description: 'Needs the permission accounting:view_partner to see other tenants',
			},
			{
				name: 'User',
				value: 'user',
				description: 'Needs the permission accounting:view_tenant to see other users',
			},
		],
		description: 'One output row per value of this field',
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'rows',
		options: [
			{
				name: 'Report',
				value: 'report',
				description:
					'One item with a headline, a Markdown table, a Slack message, an HTML table and an SVG bar chart (binary "chart"), ready to send',
			},
			{
				name: 'Rows',
				value: 'rows',
				description: 'One item per group, flat and typed: ready for Google Sheets or a database',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { operation: SUMMARY } }, properties);

/** Get Summary's fields in the node's Options collection (shown for this operation only). */
export const summaryOptionFields: INodeProperties[] = [
	{
		displayName: 'Compare With Previous Period',
		name: 'compare',
		type: 'boolean',
		default: false,
		displayOptions: { show: { '/operation': SUMMARY } },
		description:
			'Whether to fetch the previous range too and add its values and the change (absolute and percent) to each row. The previous range is set by Range.',
	},
	{
		displayName: 'Include Totals Row',
		name: 'includeTotals',
		type: 'boolean',
		default: false,
		displayOptions: { show: { '/operation': SUMMARY } },
		description: 'Whether to add a last row with group "TOTAL" summing all groups',
	},
	{
		displayName: 'Report Cost Decimals',
		name: 'costDecimals',
		type: 'number',
		default: 2,
		typeOptions: { minValue: 0, maxValue: 8 },
		displayOptions: { show: { '/operation': SUMMARY, '/output': ['report'] } },
		description: 'Decimal places of the costs shown in the report (row values stay exact)',
	},
	{
		displayName: 'Sort By',
		name: 'sortBy',
		type: 'options',
		default: 'cost',
		displayOptions: { show: { '/operation': SUMMARY } },
		options: [
			{ name: 'Cost', value: 'cost', description: 'Highest cost first' },
			{ name: 'Group Name', value: 'group', description: 'Alphabetically' },
			{ name: 'Requests', value: 'requests', description: 'Most requests first' },
			{ name: 'Tokens', value: 'tokens', description: 'Most tokens first' },
		],
	},
	{
		displayName: 'Top N',
		name: 'topN',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0 },
		displayOptions: { show: { '/operation': SUMMARY } },
		description:
			'Keep this many groups (after sorting) and sum the rest into one "Others" row. 0 keeps all groups.',
	},
];

interface SummaryOptions {
	compare?: boolean;
	includeTotals?: boolean;
	sortBy?: SortBy;
	topN?: number;
	costDecimals?: number;
}

export const EMPTY_ROWS_NOTE =
	'No usage in the selected range, so no rows were output. Turn on Settings > Always Output Data to continue the workflow anyway, or use the Report output, which always returns one item.';

export async function execute(this: IExecuteFunctions, i: number, run: Run): Promise<ItemResult[]> {
	const { spec, range } = readRange.call(this, i, run);
	const groupBy = this.getNodeParameter('groupBy', i, 'model') as GroupBy;
	const options = this.getNodeParameter('options', i, {}) as SummaryOptions;
	const query = {
		groupBy,
		filters: readFilters.call(this, i),
		explicitRange: options.compare === true,
	};
	const earlier = options.compare === true ? previousRange(spec, range) : undefined;
	// Both ranges at once: the pacer keeps within the key's rate limit.
	const [current, previous] = await Promise.all([
		fetchSummary(run.client, { ...query, range }, run.call),
		earlier
			? fetchSummary(run.client, { ...query, range: earlier }, run.call)
			: Promise.resolve(undefined),
	]);
	const result = buildRows(current.rows, {
		groupBy,
		sortBy: options.sortBy ?? 'cost',
		topN: Math.max(0, Math.trunc(options.topN ?? 0)),
		includeTotals: options.includeTotals === true,
		previous: previous?.rows,
		rangeStart: iso(range.startMs),
		rangeEnd: iso(range.endMs),
		previousStart: earlier ? iso(earlier.startMs) : undefined,
		previousEnd: earlier ? iso(earlier.endMs) : undefined,
	});

	if (this.getNodeParameter('output', i, 'rows') === 'report') {
		const report = buildReport(result, {
			groupBy,
			label: range.label,
			previousLabel: earlier?.label,
			rangeStart: iso(range.startMs),
			rangeEnd: iso(range.endMs),
			timeZone: this.getTimezone(),
			costDecimals: Math.max(0, Math.min(8, Math.trunc(options.costDecimals ?? 2))),
		});
		const chart = await this.helpers.prepareBinaryData(
			Buffer.from(report.svg, 'utf8'),
			'usage-chart.svg',
			'image/svg+xml',
		);
		const json: IDataObject = {
			headline: report.headline,
			markdown: report.markdown,
			slack: report.slack,
			html: report.html,
			noUsage: report.noUsage,
			groupBy,
			rangeStart: iso(range.startMs),
			rangeEnd: iso(range.endMs),
			previousRangeStart: earlier ? iso(earlier.startMs) : null,
			previousRangeEnd: earlier ? iso(earlier.endMs) : null,
			rows: groupRows(result),
			totals: result.totals,
			requestId: current.requestId ?? null,
		};
		return [{ output: 0, json, binary: { chart } }];
	}

	if (result.rows.length === 0) run.notes.add(EMPTY_ROWS_NOTE);
	if (result.rows.length === 0 && options.includeTotals === true)
		return [{ output: 0, json: result.totals }];
	return result.rows.map((row) => ({ output: 0, json: row }));
}

function groupRows(result: RowsResult): IDataObject[] {
	return result.rows.filter((row) => row !== result.totals);
}
