/**
 * One input item → its output items, per operation: parameters are read here and mapped to
 * the pure modules (range, rows, report) and the API calls (summary, records, budgets, export).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CallOptions, ScaiGridClient } from '../shared/client';
import type { ItemResult } from '../shared/itemRunner';
import { DEFAULT_TIMEOUT_MS, retryPolicyFor } from '../shared/properties';
import type { RetryOptionValues } from '../shared/properties';
import { budgetView, fetchBudgets } from './budgets';
import type { ExportFormat } from './export';
import { exportRecords } from './export';
import type { UsageFilters } from './filters';
import type { Period, RangeMode, RangeSpec, TimeRange } from './range';
import { iso, previousRange, resolveRange } from './range';
import { recordPages, simplifyRecord } from './records';
import { buildReport } from './report';
import type { GroupBy, SortBy } from './rows';
import { buildRows } from './rows';
import { fetchSummary } from './summary';

export type Operation = 'getSummary' | 'getRecords' | 'getBudgets' | 'export';

interface NodeOptions extends RetryOptionValues {
	compare?: boolean;
	includeTotals?: boolean;
	sortBy?: SortBy;
	topN?: number;
	costDecimals?: number;
	timeout?: number;
}

/** Execution hints collected over all items, shown once. */
export type Notes = Set<string>;

export const LAG_NOTE =
	'The range ends now: ScaiGrid records usage within about 30 seconds, so calls of the last ~30 s may be missing.';
export const EMPTY_ROWS_NOTE =
	'No usage in the selected range, so no rows were output. Turn on Settings > Always Output Data to continue the workflow anyway, or use the Report output, which always returns one item.';

interface Context {
	ctx: IExecuteFunctions;
	client: ScaiGridClient;
	itemIndex: number;
	notes: Notes;
	options: NodeOptions;
	call: Omit<CallOptions, 'qs'>;
}

function param<T>(c: Context, name: string, fallback: T): T {
	return c.ctx.getNodeParameter(name, c.itemIndex, fallback) as T;
}

function rangeSpec(c: Context): RangeSpec {
	const mode = param<RangeMode>(c, 'range', 'current');
	return {
		mode,
		period: param<Period>(c, 'period', 'week'),
		start: mode === 'custom' ? param<unknown>(c, 'start', '') : undefined,
		end: mode === 'custom' ? param<unknown>(c, 'end', '') : undefined,
		nowMs: Date.now(),
	};
}

function resolve(c: Context, spec: RangeSpec): TimeRange {
	try {
		return resolveRange(spec);
	} catch (error) {
		throw new NodeOperationError(c.ctx.getNode(), (error as Error).message, { itemIndex: c.itemIndex });
	}
}

function noteRange(c: Context, range: TimeRange): void {
	if (range.endsNow) c.notes.add(LAG_NOTE);
}

async function getSummary(c: Context): Promise<ItemResult[]> {
	const spec = rangeSpec(c);
	const range = resolve(c, spec);
	noteRange(c, range);
	const groupBy = param<GroupBy>(c, 'groupBy', 'model');
	const filters = param<UsageFilters>(c, 'filters', {});
	const compare = c.options.compare === true;
	const query = { groupBy, filters, explicitRange: compare };
	const earlier = compare ? previousRange(spec, range) : undefined;
	// Both ranges at once: the pacer keeps within the key's rate limit.
	const [current, previous] = await Promise.all([
		fetchSummary(c.client, { ...query, range }, c.call),
		earlier ? fetchSummary(c.client, { ...query, range: earlier }, c.call) : Promise.resolve(undefined),
	]);
	const result = buildRows(current.rows, {
		groupBy,
		sortBy: c.options.sortBy ?? 'cost',
		topN: Math.max(0, Math.trunc(c.options.topN ?? 0)),
		includeTotals: c.options.includeTotals === true,
		previous: previous?.rows,
		rangeStart: iso(range.startMs),
		rangeEnd: iso(range.endMs),
		previousStart: earlier ? iso(earlier.startMs) : undefined,
		previousEnd: earlier ? iso(earlier.endMs) : undefined,
	});

	if (param<string>(c, 'output', 'rows') === 'report') {
		const report = buildReport(result, {
			groupBy,
			label: range.label,
			previousLabel: earlier?.label,
			rangeStart: iso(range.startMs),
			rangeEnd: iso(range.endMs),
			costDecimals: Math.max(0, Math.min(8, Math.trunc(c.options.costDecimals ?? 2))),
		});
		const chart = await c.ctx.helpers.prepareBinaryData(Buffer.from(report.svg, 'utf8'), 'usage-chart.svg', 'image/svg+xml');
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
			rows: result.rows.filter((row) => row !== result.totals) as IDataObject[],
			totals: result.totals as IDataObject,
			requestId: current.requestId ?? null,
		};
		return [{ output: 0, json, binary: { chart } }];
	}

	if (result.rows.length === 0) c.notes.add(EMPTY_ROWS_NOTE);
	if (result.rows.length === 0 && c.options.includeTotals === true) return [{ output: 0, json: result.totals as IDataObject }];
	return result.rows.map((row) => ({ output: 0, json: row as IDataObject }));
}

async function getRecords(c: Context): Promise<ItemResult[]> {
	const range = resolve(c, rangeSpec(c));
	noteRange(c, range);
	const returnAll = param<boolean>(c, 'returnAll', false);
	const limit = returnAll ? undefined : Math.max(1, Math.trunc(param<number>(c, 'limit', 50)));
	const simplify = param<boolean>(c, 'simplify', true);
	const query = { range, filters: param<UsageFilters>(c, 'filters', {}), limit };
	const results: ItemResult[] = [];
	// Each page becomes items as it arrives, so its records are not all held twice at the end.
	for await (const records of recordPages(c.client, query, c.call)) {
		for (const record of records) {
			results.push({ output: 0, json: (simplify ? simplifyRecord(record) : record) as IDataObject });
		}
	}
	return results;
}

async function getBudgets(c: Context): Promise<ItemResult[]> {
	const { budgets } = await fetchBudgets(c.client, c.call);
	return budgets.map((budget) => ({ output: 0, json: budgetView(budget) as IDataObject }));
}

async function exportFile(c: Context): Promise<ItemResult[]> {
	const range = resolve(c, rangeSpec(c));
	noteRange(c, range);
	const format = param<ExportFormat>(c, 'format', 'csv');
	const property = param<string>(c, 'binaryPropertyName', 'data').trim() || 'data';
	const file = await exportRecords(c.client, range, format, param<UsageFilters>(c, 'filters', {}), c.call);
	const binary = await c.ctx.helpers.prepareBinaryData(Buffer.from(file.text, 'utf8'), file.fileName, file.mimeType);
	return [
		{
			output: 0,
			json: {
				format,
				records: file.records,
				fileName: file.fileName,
				rangeStart: iso(range.startMs),
				rangeEnd: iso(range.endMs),
				requestId: file.requestId ?? null,
			},
			binary: { [property]: binary },
		},
	];
}

const OPERATIONS: Record<Operation, (c: Context) => Promise<ItemResult[]>> = {
	getSummary,
	getRecords,
	getBudgets,
	export: exportFile,
};

export async function runOperation(
	ctx: IExecuteFunctions,
	client: ScaiGridClient,
	itemIndex: number,
	notes: Notes,
): Promise<ItemResult[]> {
	const operation = ctx.getNodeParameter('operation', itemIndex) as Operation;
	const options = ctx.getNodeParameter('options', itemIndex, {}) as NodeOptions;
	const call = { timeoutMs: options.timeout ?? DEFAULT_TIMEOUT_MS, retry: retryPolicyFor(ctx, options) };
	const run = OPERATIONS[operation];
	if (!run) throw new NodeOperationError(ctx.getNode(), `Unknown operation "${operation}"`, { itemIndex });
	return await run({ ctx, client, itemIndex, notes, options, call });
}
