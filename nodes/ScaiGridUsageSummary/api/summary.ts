/**
 * `GET /v1/accounting/usage/summary` for one range (docs/scaigrid-api.md §5.3). The answer is a
 * plain array in the docs; `data.items` is accepted too.
 */
import { z } from 'zod/v4';

import type { ScaiGridClient, CallOptions } from '../../shared/transport/client';
import type { SummaryRow } from '../../shared/api/schemas';
import { listItems, summaryRowSchema } from '../../shared/api/schemas';
import type { UsageFilters } from './filters';
import { filtersQuery, withPermissionHint } from './filters';
import type { TimeRange } from '../report/range';
import { rangeQuery } from '../report/range';
import type { GroupBy } from '../report/rows';

const summaryListSchema = z.preprocess(
	(data) => listItems(data) ?? data,
	z.array(summaryRowSchema),
);

export interface SummaryQuery {
	range: TimeRange;
	/** Send `start`/`end` even for the current period (needed when comparing). */
	explicitRange: boolean;
	groupBy: GroupBy;
	filters: UsageFilters;
}

export async function fetchSummary(
	client: ScaiGridClient,
	query: SummaryQuery,
	call: Omit<CallOptions, 'qs'>,
): Promise<{ rows: SummaryRow[]; requestId?: string }> {
	const qs = {
		...rangeQuery(query.range, query.explicitRange),
		group_by: query.groupBy,
		...filtersQuery(query.filters),
	};
	const result = await withPermissionHint(
		query.filters,
		async () =>
			await client.get('/v1/accounting/usage/summary', summaryListSchema, { ...call, qs }),
	);
	return { rows: result.data, requestId: result.requestId };
}
