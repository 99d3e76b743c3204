/**
 * A group's usage as exact sums: one summary row (docs/scaigrid-api.md §5.3) read once, and
 * groups added up (Others, TOTAL, a group split over two rows). Pure.
 */
import type { Decimal } from '../../shared/api/decimal';
import { DECIMAL_ZERO, requireDecimal } from '../../shared/api/decimal';
import type { SummaryRow } from '../../shared/api/schemas';
import { decimalText } from '../../shared/api/schemas';

/** A group's usage with exact money. */
export interface Aggregate {
	group: string | null;
	requests: number;
	inputTokens: number;
	outputTokens: number;
	totalTokens: number;
	cost: Decimal;
	backendCost: Decimal;
	/** Original strings, when the row came from the API unchanged. */
	costText?: string;
	backendCostText?: string;
}

export function aggregateOf(row: SummaryRow): Aggregate {
	const inputTokens = row.input_tokens;
	const outputTokens = row.output_tokens;
	return {
		group: row.group_key,
		requests: row.request_count,
		inputTokens,
		outputTokens,
		totalTokens: row.total_tokens ?? inputTokens + outputTokens,
		cost: requireDecimal(row.total_cost, 'total_cost'),
		backendCost: requireDecimal(row.backend_cost, 'backend_cost'),
		costText: decimalText(row.total_cost),
		backendCostText: row.backend_cost === undefined ? undefined : decimalText(row.backend_cost),
	};
}

export function emptyAggregate(group: string | null): Aggregate {
	return {
		group,
		requests: 0,
		inputTokens: 0,
		outputTokens: 0,
		totalTokens: 0,
		cost: DECIMAL_ZERO,
		backendCost: DECIMAL_ZERO,
	};
}

export function combine(group: string | null, parts: Aggregate[]): Aggregate {
	const total = emptyAggregate(group);
	for (const part of parts) {
		total.requests += part.requests;
		total.inputTokens += part.inputTokens;
		total.outputTokens += part.outputTokens;
		total.totalTokens += part.totalTokens;
		total.cost += part.cost;
		total.backendCost += part.backendCost;
	}
	return total;
}
