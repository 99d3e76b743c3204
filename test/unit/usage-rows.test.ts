import { buildRows } from '../../nodes/ScaiGridUsageSummary/report/rows';
import type { SummaryRow } from '../../nodes/shared/api/schemas';

const row = (
	group: string | null,
	requests: number,
	tin: number,
	tout: number,
	cost: string,
	backend?: string,
): SummaryRow => ({
	group_key: group,
	request_count: requests,
	input_tokens: tin,
	output_tokens: tout,
	total_tokens: tin + tout,
	total_cost: cost,
	backend_cost: backend,
});

const base = {
	groupBy: 'model' as const,
	sortBy: 'cost' as const,
	topN: 0,
	includeTotals: false,
	rangeStart: 'S',
	rangeEnd: 'E',
};

describe('usage summary rows', () => {
	const current = [
		row('a/cheap', 50, 5000, 1000, '0.1', '0.07'),
		row('b/pricey', 10, 2000, 500, '0.2', '0.14'),
		row('c/mid', 30, 9000, 100, '0.1000001', '0.05'),
	];

	it('are flat and typed, with exact margin and share', () => {
		const { rows } = buildRows(current, base);
		expect(rows.map((r) => r.group)).toEqual(['b/pricey', 'c/mid', 'a/cheap']);
		expect(rows[0]).toEqual({
			groupBy: 'model',
			group: 'b/pricey',
			requests: 10,
			inputTokens: 2000,
			outputTokens: 500,
			totalTokens: 2500,
			cost: 0.2,
			backendCost: 0.14,
			margin: 0.06, // 0.2 - 0.14 is 0.06000000000000001 in floats
			costShare: 50,
			costDecimal: '0.2',
			backendCostDecimal: '0.14',
			marginDecimal: '0.060000',
			rangeStart: 'S',
			rangeEnd: 'E',
		});
		// 0.2 / 0.4000001 = 49.99998%: rounded once, at the end.
		expect(rows.map((r) => r.costShare)).toEqual([50, 25, 25]);
	});

	it('sort by tokens, requests or group name', () => {
		expect(buildRows(current, { ...base, sortBy: 'tokens' }).rows.map((r) => r.group)).toEqual([
			'c/mid',
			'a/cheap',
			'b/pricey',
		]);
		expect(buildRows(current, { ...base, sortBy: 'requests' }).rows.map((r) => r.group)).toEqual([
			'a/cheap',
			'c/mid',
			'b/pricey',
		]);
		expect(buildRows(current, { ...base, sortBy: 'group' }).rows.map((r) => r.group)).toEqual([
			'a/cheap',
			'b/pricey',
			'c/mid',
		]);
	});

	it('fold all but the top N into Others, and end with TOTAL', () => {
		const { rows } = buildRows(current, { ...base, topN: 1, includeTotals: true });
		expect(rows.map((r) => [r.group, r.requests, r.costDecimal, r.costShare])).toEqual([
			['b/pricey', 10, '0.2', 50],
			['Others', 80, '0.2000001', 50],
			['TOTAL', 90, '0.4000001', 100],
		]);
		expect(rows[1].totalTokens).toBe(15100);
		expect(rows[2].margin).toBe(0.1400001); // 0.4000001 - (0.07 + 0.14 + 0.05)
	});

	it('compare with the previous period, including groups that dropped to zero', () => {
		const previous = [row('b/pricey', 5, 1000, 200, '0.1'), row('d/gone', 4, 100, 100, '0.05')];
		const { rows, totals } = buildRows(current, {
			...base,
			previous,
			includeTotals: true,
			previousStart: 'PS',
			previousEnd: 'PE',
		});
		const byGroup = Object.fromEntries(rows.map((r) => [r.group, r]));
		expect(byGroup['b/pricey']).toMatchObject({
			previousCost: 0.1,
			costChange: 0.1,
			costChangePercent: 100,
			previousRequests: 5,
			requestsChange: 5,
			requestsChangePercent: 100,
			previousTokens: 1200,
			tokensChange: 1300,
			tokensChangePercent: 108.33,
			previousRangeStart: 'PS',
			previousRangeEnd: 'PE',
		});
		expect(byGroup['a/cheap']).toMatchObject({
			previousCost: 0,
			costChange: 0.1,
			costChangePercent: null,
		});
		expect(byGroup['d/gone']).toMatchObject({
			requests: 0,
			cost: 0,
			previousCost: 0.05,
			costChange: -0.05,
			costChangePercent: -100,
			costShare: 0,
		});
		expect(totals).toMatchObject({
			group: 'TOTAL',
			cost: 0.4000001,
			previousCost: 0.15,
			costChangePercent: 166.67,
		});
	});

	it('empty input gives no group rows but a zero totals row', () => {
		const result = buildRows([], { ...base, includeTotals: true });
		expect(result.rows).toEqual([result.totals]);
		expect(result.totals).toMatchObject({ group: 'TOTAL', requests: 0, cost: 0, costShare: null });
		expect(buildRows([], base).rows).toEqual([]);
	});

	it('null group keys and missing backend costs are kept apart and tolerated', () => {
		const { rows } = buildRows([row(null, 1, 1, 1, '1'), row('null', 1, 1, 1, '2')], base);
		expect(rows.map((r) => [r.group, r.backendCost, r.margin])).toEqual([
			['null', 0, 2],
			[null, 0, 1],
		]);
	});
});
