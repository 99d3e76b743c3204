/**
 * The node's parameters. Their names are read back in ScaiGridUsageSummary.node.ts.
 */
import type { INodeProperties } from 'n8n-workflow';

import { retryOptionFields } from '../shared/properties';
import { END_NAME, START_NAME } from './range';

const SUMMARY = ['getSummary'];
const RANGED = ['getSummary', 'getRecords', 'export'];

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'getSummary',
	options: [
		{
			name: 'Export',
			value: 'export',
			action: 'Export usage records as a file',
			description: 'CSV, NDJSON or JSON file of the raw records of a range, as binary data',
		},
		{
			name: 'Get Budgets',
			value: 'getBudgets',
			action: 'Get budgets and their utilisation',
			description: 'Each budget with its limits, current usage and utilisation in percent',
		},
		{
			name: 'Get Records',
			value: 'getRecords',
			action: 'Get usage records',
			description: 'Raw usage records: one item per inference call',
		},
		{
			name: 'Get Summary',
			value: 'getSummary',
			action: 'Get a usage summary',
			description: 'Requests, tokens and cost per model, user, backend or tenant',
		},
	],
};

const rangeProperties: INodeProperties[] = [
	{
		displayName: 'Range',
		name: 'range',
		type: 'options',
		default: 'current',
		displayOptions: { show: { operation: RANGED } },
		options: [
			{
				name: 'Current Period (To Now)',
				value: 'current',
				description:
					'From the start of the current hour, day, week (Monday) or month up to now. Compared with the same elapsed time of the previous period.',
			},
			{
				name: 'Custom',
				value: 'custom',
				description: 'A start and end you choose. Compared with the range of the same length just before it.',
			},
			{
				name: 'Previous Full Period',
				value: 'previous',
				description:
					'The last complete hour, day, week (Monday to Monday) or month: the choice for a scheduled Monday report on last week. Compared with the full period before it.',
			},
		],
		description: 'Which time span to report on. All times are UTC; weeks start on Monday 00:00 UTC.',
	},
	{
		displayName: 'Period',
		name: 'period',
		type: 'options',
		default: 'week',
		displayOptions: { show: { operation: RANGED, range: ['current', 'previous'] } },
		options: [
			{ name: 'Day', value: 'day' },
			{ name: 'Hour', value: 'hour' },
			{ name: 'Month', value: 'month' },
			{ name: 'Week', value: 'week' },
		],
		description: 'Calendar period in UTC',
	},
	{
		displayName: START_NAME,
		name: 'start',
		type: 'dateTime',
		default: '',
		required: true,
		displayOptions: { show: { operation: RANGED, range: ['custom'] } },
		description:
			'Start of the range, included. Read as UTC when the value has no time zone. A date that is not in the calendar (e.g. 2026-02-30) fails the item before anything is sent.',
	},
	{
		displayName: END_NAME,
		name: 'end',
		type: 'dateTime',
		default: '',
		displayOptions: { show: { operation: RANGED, range: ['custom'] } },
		description:
			'End of the range, excluded. Empty means now. Read as UTC when the value has no time zone. A date that is not in the calendar (e.g. 2026-02-30) fails the item before anything is sent.',
	},
];

const summaryProperties: INodeProperties[] = [
	{
		displayName: 'Group By',
		name: 'groupBy',
		type: 'options',
		default: 'model',
		displayOptions: { show: { operation: SUMMARY } },
		options: [
			{ name: 'Backend', value: 'backend' },
			{ name: 'Model', value: 'model' },
			{ name: 'Tenant', value: 'tenant', description: 'Needs the permission accounting:view_partner to see other tenants' },
			{ name: 'User', value: 'user', description: 'Needs the permission accounting:view_tenant to see other users' },
		],
		description: 'One output row per value of this field',
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'rows',
		displayOptions: { show: { operation: SUMMARY } },
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

const filtersProperty: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
	displayOptions: { show: { operation: RANGED } },
	options: [
		{
			displayName: 'Backend ID',
			name: 'backendId',
			type: 'string',
			default: '',
			placeholder: 'e.g. be_openai_1',
			description: 'Only usage served by this backend',
		},
		{
			displayName: 'Model',
			name: 'model',
			type: 'string',
			default: '',
			placeholder: 'e.g. scailabs/poolnoodle-omni',
			description: 'Only usage of this model (its slug)',
		},
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			description: 'Only usage of this tenant. Needs the API key permission accounting:view_partner.',
		},
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			default: '',
			placeholder: 'e.g. usr_alice',
			description: 'Only usage of this user. Needs the API key permission accounting:view_tenant.',
		},
	],
};

const recordsProperties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		displayOptions: { show: { operation: ['getRecords'] } },
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		displayOptions: { show: { operation: ['getRecords'], returnAll: [false] } },
		description: 'Max number of results to return',
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		displayOptions: { show: { operation: ['getRecords'] } },
		description: 'Whether to return a simplified version of the response instead of the raw data',
	},
];

const exportProperties: INodeProperties[] = [
	{
		displayName: 'Format',
		name: 'format',
		type: 'options',
		default: 'csv',
		displayOptions: { show: { operation: ['export'] } },
		options: [
			{ name: 'CSV', value: 'csv' },
			{ name: 'JSON', value: 'json' },
			{ name: 'NDJSON', value: 'ndjson', description: 'One JSON record per line' },
		],
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: { show: { operation: ['export'] } },
		hint: 'The name of the output binary field to put the file in',
	},
];

const summaryOptionFields: INodeProperties[] = [
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
		description: 'Keep this many groups (after sorting) and sum the rest into one "Others" row. 0 keeps all groups.',
	},
];

function byDisplayName(a: INodeProperties, b: INodeProperties): number {
	return a.displayName.localeCompare(b.displayName);
}

const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [...summaryOptionFields, ...retryOptionFields].sort(byDisplayName),
};

export const properties: INodeProperties[] = [
	operationProperty,
	...rangeProperties,
	...summaryProperties,
	filtersProperty,
	...recordsProperties,
	...exportProperties,
	optionsProperty,
];
