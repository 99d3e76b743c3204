/**
 * The parameters Get Summary, Get Records and Export share, the range and the filters, and
 * reading them for an item. The range follows the workflow's time zone (range.ts).
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { UsageFilters } from '../api/filters';
import type { Period, RangeMode, RangeSpec, TimeRange } from '../report/range';
import { END_NAME, START_NAME, resolveRange } from '../report/range';
import type { Run } from './router';

const ZONE = "the workflow's time zone (Workflow Settings > Timezone)";
const CALENDAR =
	'A date that is not in the calendar (e.g. 2026-02-30) fails the item before anything is sent.';

const rangeProperties: INodeProperties[] = [
	{
		displayName: 'Range',
		name: 'range',
		type: 'options',
		default: 'current',
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
				description:
					'A start and end you choose. Compared with the range of the same length just before it.',
			},
			{
				name: 'Previous Full Period',
				value: 'previous',
				description:
					'The last complete hour, day, week (Monday to Monday) or month: the choice for a scheduled Monday report on last week. Compared with the full period before it.',
			},
		],
		description: `Which time span to report on. Days, weeks (from Monday 00:00) and months are those of ${ZONE}.`,
	},
	{
		displayName: 'Period',
		name: 'period',
		type: 'options',
		default: 'week',
		displayOptions: { show: { range: ['current', 'previous'] } },
		options: [
			{ name: 'Day', value: 'day' },
			{ name: 'Hour', value: 'hour' },
			{ name: 'Month', value: 'month' },
			{ name: 'Week', value: 'week' },
		],
		description: `Calendar period in ${ZONE}`,
	},
	{
		displayName: START_NAME,
		name: 'start',
		type: 'dateTime',
		default: '',
		required: true,
		displayOptions: { show: { range: ['custom'] } },
		description: `Start of the range, included. A value without a zone (e.g. 2026-01-05T00:00:00) is in ${ZONE}; one with Z or an offset keeps its own. ${CALENDAR}`,
	},
	{
		displayName: END_NAME,
		name: 'end',
		type: 'dateTime',
		default: '',
		displayOptions: { show: { range: ['custom'] } },
		description: `End of the range, excluded. Empty means now. A value without a zone is in ${ZONE}; one with Z or an offset keeps its own. ${CALENDAR}`,
	},
];

const filtersProperty: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
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
			description:
				'Only usage of this tenant. Needs the API key permission accounting:view_partner.',
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

const ranged = { show: { operation: ['getSummary', 'getRecords', 'export'] } };

export const rangeDescription = updateDisplayOptions(ranged, rangeProperties);
export const filtersDescription = updateDisplayOptions(ranged, [filtersProperty]);

export const LAG_NOTE =
	'The range ends now: ScaiGrid records usage within about 30 seconds, so calls of the last ~30 s may be missing.';

/** The item's range, resolved now in the workflow's time zone; a range ending now adds a note. */
export function readRange(
	this: IExecuteFunctions,
	i: number,
	run: Run,
): { spec: RangeSpec; range: TimeRange } {
	const mode = this.getNodeParameter('range', i, 'current') as RangeMode;
	const spec: RangeSpec = {
		mode,
		period: this.getNodeParameter('period', i, 'week') as Period,
		start: mode === 'custom' ? this.getNodeParameter('start', i, '') : undefined,
		end: mode === 'custom' ? this.getNodeParameter('end', i, '') : undefined,
		nowMs: Date.now(),
		timeZone: this.getTimezone(),
	};
	let range: TimeRange;
	try {
		range = resolveRange(spec);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex: i });
	}
	if (range.endsNow) run.notes.add(LAG_NOTE);
	return { spec, range };
}

export function readFilters(this: IExecuteFunctions, i: number): UsageFilters {
	return this.getNodeParameter('filters', i, {}) as UsageFilters;
}
