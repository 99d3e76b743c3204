/**
 * From ScaiGrid's summary rows to flat, typed report rows: integers for counts, numbers for
 * costs (computed exactly, converted once), the original decimal strings beside them, margin,
 * share of cost, and optionally the previous period's values and the change.
 *
 * Pure: no n8n, no HTTP. The order of operations is fixed: join with the previous period →
 * sort → Top N with an "Others" row → totals row last.
 */
import type { Decimal } from '../../shared/api/decimal';
import { compare, percent, subtract, toDecimalString, toNumber } from '../../shared/api/decimal';
import type { SummaryRow } from '../../shared/api/schemas';
import type { Aggregate } from './aggregate';
import { aggregateOf, combine, emptyAggregate } from './aggregate';

export type GroupBy = 'model' | 'user' | 'backend' | 'tenant';
export type SortBy = 'cost' | 'tokens' | 'requests' | 'group';

export const TOTAL_GROUP = 'TOTAL';
export const OTHERS_GROUP = 'Others';

export interface RowOptions {
	groupBy: GroupBy;
	sortBy: SortBy;
	/** Keep this many groups and fold the rest into "Others"; 0 keeps all. */
	topN: number;
	includeTotals: boolean;
	/** Present when comparing: the previous range's rows. */
	previous?: SummaryRow[];
	/** Added to every row so appended sheet rows say which range they cover. */
	rangeStart: string;
	rangeEnd: string;
	previousStart?: string;
	previousEnd?: string;
}

export interface UsageRow {
	[key: string]: string | number | boolean | null;
}

export interface RowsResult {
	/** One per group, then "Others", then "TOTAL" when asked for. */
	rows: UsageRow[];
	/** The totals row, whether or not it is among `rows`. */
	totals: UsageRow;
	/** Groups before Top N folding (for the chart and headline). */
	groupCount: number;
	total: Aggregate;
	previousTotal?: Aggregate;
}

/** Map key of a group: null (e.g. no backend) must not collide with a group called "null". */
function keyOf(group: string | null): string {
	return group === null ? '\u0000null' : `=${group}`;
}

interface Joined {
	current: Aggregate;
	previous?: Aggregate;
}

function sorter(sortBy: SortBy): (a: Joined, b: Joined) => number {
	const byGroup = (a: Joined, b: Joined) =>
		String(a.current.group ?? '').localeCompare(String(b.current.group ?? ''));
	switch (sortBy) {
		case 'group':
			return byGroup;
		case 'requests':
			return (a, b) => b.current.requests - a.current.requests || byGroup(a, b);
		case 'tokens':
			return (a, b) => b.current.totalTokens - a.current.totalTokens || byGroup(a, b);
		default:
			return (a, b) => compare(b.current.cost, a.current.cost) || byGroup(a, b);
	}
}

function changeFields(
	name: string,
	current: number | Decimal,
	previous: number | Decimal,
): UsageRow {
	const isMoney = typeof current === 'bigint';
	const currentD = isMoney ? (current as Decimal) : BigInt(current as number);
	const previousD = isMoney ? (previous as Decimal) : BigInt(previous as number);
	const change = currentD - previousD;
	const capital = name[0].toUpperCase() + name.slice(1);
	return {
		[`previous${capital}`]: isMoney ? toNumber(previousD) : Number(previousD),
		[`${name}Change`]: isMoney ? toNumber(change) : Number(change),
		// The percentage of integers is computed on the same exact path as money.
		[`${name}ChangePercent`]: percent(change, previousD),
	};
}

function toRow(
	aggregate: Aggregate,
	totalCost: Decimal,
	options: RowOptions,
	previous: Aggregate | undefined,
): UsageRow {
	const margin = subtract(aggregate.cost, aggregate.backendCost);
	const row: UsageRow = {
		groupBy: options.groupBy,
		group: aggregate.group,
		requests: aggregate.requests,
		inputTokens: aggregate.inputTokens,
		outputTokens: aggregate.outputTokens,
		totalTokens: aggregate.totalTokens,
		cost: toNumber(aggregate.cost),
		backendCost: toNumber(aggregate.backendCost),
		margin: toNumber(margin),
		costShare: percent(aggregate.cost, totalCost),
		costDecimal: aggregate.costText ?? toDecimalString(aggregate.cost, 6),
		backendCostDecimal: aggregate.backendCostText ?? toDecimalString(aggregate.backendCost, 6),
		marginDecimal: toDecimalString(margin, 6),
		rangeStart: options.rangeStart,
		rangeEnd: options.rangeEnd,
	};
	if (options.previous) {
		const before = previous ?? emptyAggregate(aggregate.group);
		Object.assign(
			row,
			changeFields('cost', aggregate.cost, before.cost),
			{ previousCostDecimal: toDecimalString(before.cost, 6) },
			changeFields('requests', aggregate.requests, before.requests),
			changeFields('tokens', aggregate.totalTokens, before.totalTokens),
			{
				previousRangeStart: options.previousStart ?? null,
				previousRangeEnd: options.previousEnd ?? null,
			},
		);
	}
	return row;
}

export function buildRows(current: SummaryRow[], options: RowOptions): RowsResult {
	const joined = new Map<string, Joined>();
	for (const row of current) {
		const aggregate = aggregateOf(row);
		const key = keyOf(aggregate.group);
		const known = joined.get(key);
		// A server that split one group into two rows still sums up right.
		joined.set(key, {
			current: known ? combine(aggregate.group, [known.current, aggregate]) : aggregate,
		});
	}
	if (options.previous) {
		for (const row of options.previous) {
			const aggregate = aggregateOf(row);
			const key = keyOf(aggregate.group);
			const entry = joined.get(key);
			if (entry)
				entry.previous = entry.previous
					? combine(aggregate.group, [entry.previous, aggregate])
					: aggregate;
			// A group used before but not now stays visible: its drop to zero is the news.
			else joined.set(key, { current: emptyAggregate(aggregate.group), previous: aggregate });
		}
	}

	const entries = [...joined.values()].sort(sorter(options.sortBy));
	const total = combine(
		TOTAL_GROUP,
		entries.map((e) => e.current),
	);
	const previousTotal = options.previous
		? combine(
				TOTAL_GROUP,
				entries.map((e) => e.previous ?? emptyAggregate(null)),
			)
		: undefined;

	let shown = entries;
	if (options.topN > 0 && entries.length > options.topN) {
		const rest = entries.slice(options.topN);
		const others: Joined = {
			current: combine(
				OTHERS_GROUP,
				rest.map((e) => e.current),
			),
			previous: options.previous
				? combine(
						OTHERS_GROUP,
						rest.map((e) => e.previous ?? emptyAggregate(null)),
					)
				: undefined,
		};
		shown = [...entries.slice(0, options.topN), others];
	}

	const rows = shown.map((e) => toRow(e.current, total.cost, options, e.previous));
	const totals = toRow(total, total.cost, options, previousTotal);
	if (options.includeTotals) rows.push(totals);
	return { rows, totals, groupCount: entries.length, total, previousTotal };
}
