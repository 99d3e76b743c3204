/**
 * `GET /v1/accounting/budgets` and each budget's utilisation: current usage as a percentage of
 * each of its limits, and whether any has passed the soft limit. The current-usage field names
 * are our reading (`current_cost`, `current_tokens`, `current_requests`; docs/scaigrid-api.md
 * §5.4): when absent the utilisation is null, never a guessed 0.
 */
import { z } from 'zod/v4';

import type { CallOptions, ScaiGridClient } from '../../shared/transport/client';
import type { Budget } from '../../shared/api/schemas';
import { budgetSchema, decimalText, listItems } from '../../shared/api/schemas';
import type { Decimal } from '../../shared/api/decimal';
import {
	compare,
	multiply,
	parseDecimal,
	percent,
	requireDecimal,
	toNumber,
} from '../../shared/api/decimal';
import { withPermissionHint } from './filters';

const budgetListSchema = z.preprocess((data) => listItems(data) ?? data, z.array(budgetSchema));

/** The default when `soft_limit_pct` is absent (docs/scaigrid-api.md §5.4). */
export const DEFAULT_SOFT_LIMIT = 0.8;

export async function fetchBudgets(
	client: ScaiGridClient,
	call: Omit<CallOptions, 'qs'>,
): Promise<{ budgets: Budget[]; requestId?: string }> {
	const result = await withPermissionHint(
		{},
		async () => await client.get('/v1/accounting/budgets', budgetListSchema, call),
	);
	return { budgets: result.data, requestId: result.requestId };
}

interface Limit {
	name: 'cost' | 'tokens' | 'requests';
	limit: Decimal | null;
	current: Decimal | null;
}

function integerDecimal(value: number | null | undefined, what: string): Decimal | null {
	return value === null || value === undefined ? null : requireDecimal(value, what);
}

export type BudgetView = Record<string, string | number | boolean | null>;

export function budgetView(budget: Budget): BudgetView {
	const softLimitPct = budget.soft_limit_pct ?? DEFAULT_SOFT_LIMIT;
	const softFactor = requireDecimal(softLimitPct, 'soft_limit_pct');
	// Optional: absent (or unreadable) shows as null, never as a zero limit.
	const costLimit = parseDecimal(budget.cost_limit);
	const currentCost = parseDecimal(budget.current_cost);
	const limits: Limit[] = [
		{ name: 'cost', limit: costLimit ?? null, current: currentCost ?? null },
		{
			name: 'tokens',
			limit: integerDecimal(budget.token_limit, 'token_limit'),
			current: integerDecimal(budget.current_tokens, 'current_tokens'),
		},
		{
			name: 'requests',
			limit: integerDecimal(budget.request_limit, 'request_limit'),
			current: integerDecimal(budget.current_requests, 'current_requests'),
		},
	];
	const used: Record<string, number | null> = {};
	let maxUsed: number | null = null;
	let pastSoft = false;
	let pastHard = false;
	for (const { name, limit, current } of limits) {
		const pct = limit !== null && current !== null ? percent(current, limit) : null;
		used[name] = pct;
		if (pct !== null && (maxUsed === null || pct > maxUsed)) maxUsed = pct;
		if (limit !== null && current !== null) {
			// Exact: current >= limit × soft factor, with no rounding of the percentage involved.
			if (compare(current, multiply(limit, softFactor)) >= 0) pastSoft = true;
			if (compare(current, limit) >= 0) pastHard = true;
		}
	}
	// Fields beyond the schema's, passed through untyped: used only when they are what they seem.
	const text = (value: unknown) => (typeof value === 'string' ? value : null);
	return {
		id: budget.id,
		name: budget.name ?? null,
		scope: budget.scope ?? null,
		scopeId: text(budget.scope_id),
		period: budget.period ?? null,
		periodStart: text(budget.period_start),
		periodEnd: text(budget.period_end),
		hardAction: budget.hard_action ?? null,
		softLimitPct: softLimitPct,
		costLimit: costLimit === undefined ? null : toNumber(costLimit),
		costLimitDecimal: decimalText(budget.cost_limit),
		tokenLimit: budget.token_limit ?? null,
		requestLimit: budget.request_limit ?? null,
		currentCost: currentCost === undefined ? null : toNumber(currentCost),
		currentCostDecimal: decimalText(budget.current_cost),
		currentTokens: budget.current_tokens ?? null,
		currentRequests: budget.current_requests ?? null,
		costUsedPercent: used.cost,
		tokensUsedPercent: used.tokens,
		requestsUsedPercent: used.requests,
		maxUsedPercent: maxUsed,
		pastSoftLimit: pastSoft,
		pastHardLimit: pastHard,
		usageKnown: limits.some((l) => l.current !== null),
		isBlocked: typeof budget.is_blocked === 'boolean' ? budget.is_blocked : null,
	};
}
