/**
 * ScaiGrid Usage Summary in n8n's engine against the emulator, end to end: chat calls then
 * their summary, record paging, every summary option, the previous-period comparison, budgets,
 * exports parsed back, the report (text and SVG), permission errors and empty periods.
 */
import { DateTime } from 'luxon';
import type { INodeExecutionData } from 'n8n-workflow';

import { loadWorkflowFile, runWorkflow } from '../helpers/engine';
import type { RunResult } from '../helpers/engine';
import { assertWellFormedXml } from '../unit/usage-xml';
import { credentialsFor } from '../helpers/workflows';
import { startEmulator } from '../../emulator';
import { useEmulator } from '../helpers/emulator';
import type { LoggedRequest } from '../helpers/emulator';

const NODE = 'Usage Summary';
const TYPE = 'n8n-nodes-scaigrid.scaiGridUsageSummary';
const LAG_HINT = /about 30 seconds/;

const em = useEmulator({ rateLimit: false });

// ---- helpers ------------------------------------------------------------------------------

const manual = {
	id: 'trigger',
	name: 'Manual',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function usageNode(parameters: Record<string, unknown>, settings: Record<string, unknown> = {}) {
	return {
		id: 'usage',
		name: NODE,
		type: TYPE,
		typeVersion: 1,
		position: [400, 0],
		parameters,
		credentials: { scaiGridApi: { id: 'scaigrid-emulator', name: 'ScaiGrid (emulator)' } },
		...settings,
	};
}

/**
 * Manual Trigger → Usage Summary. The workflow's time zone is UTC unless given: the node's
 * periods and its zone-less Start/End follow it (n8n's own default would be America/New_York).
 */
function usageWorkflow(
	parameters: Record<string, unknown>,
	settings: Record<string, unknown> = {},
	timezone = 'UTC',
) {
	return {
		name: 'Usage Summary test',
		nodes: [manual, usageNode(parameters, settings)],
		connections: { Manual: { main: [[{ node: NODE, type: 'main', index: 0 }]] } },
		settings: { timezone },
	};
}

async function run(
	workflow: object,
	apiKey: string = em.apiKey,
	triggerItems?: object[],
): Promise<RunResult> {
	return await runWorkflow(workflow, {
		credentials: credentialsFor(em, { apiKey }),
		...(triggerItems && { triggerItems: triggerItems as never }),
	});
}

function accounting(path: string): LoggedRequest[] {
	return em.requests.filter((r) => r.path === path);
}

function json(result: RunResult, node = NODE) {
	return result.output(node).map((item) => item.json);
}

function binaryText(item: INodeExecutionData, property: string): string {
	const binary = item.binary?.[property];
	expect(binary).toBeDefined();
	return Buffer.from(binary!.data, 'base64').toString('utf8');
}

const at = (text: string) => new Date(text).toISOString();

/** A fixed week in the past: Monday 2025-06-02 to Monday 2025-06-09, and the week before. */
const WEEK = { start: '2025-06-02T00:00:00Z', end: '2025-06-09T00:00:00Z' };
const custom = { range: 'custom', start: WEEK.start, end: WEEK.end };

/** Records with chosen costs, so every expected number is known exactly. */
function seedWeek(): void {
	const rec = (
		model: string,
		day: number,
		tokensIn: number,
		tokensOut: number,
		cost: string,
		backendCost: string,
	) => ({
		model,
		tokens_in: tokensIn,
		tokens_out: tokensOut,
		cost,
		backend_cost: backendCost,
		created_at: at(`2025-06-0${day}T12:00:00Z`),
	});
	em.addUsageRecords([
		// this week (2025-06-02 .. 06-08)
		rec('scailabs/poolnoodle-omni', 2, 1000, 200, '0.1', '0.07'),
		rec('scailabs/poolnoodle-omni', 3, 1000, 200, '0.2', '0.14'),
		rec('openai/gpt-4o', 4, 5000, 100, '0.15', '0.1'),
		rec('anthropic/claude-sonnet', 5, 100, 50, '0.05', '0.04'),
		rec('anthropic/claude-sonnet', 6, 100, 50, '0.05', '0.04'),
		rec('anthropic/claude-sonnet', 7, 100, 50, '0.05', '0.04'),
		rec('meta/llama-3.1-70b', 8, 10, 10, '0.001', '0.0005'),
		// the week before (2025-05-26 .. 06-01), for comparisons
		{
			model: 'scailabs/poolnoodle-omni',
			tokens_in: 800,
			tokens_out: 100,
			cost: '0.2',
			backend_cost: '0.1',
			created_at: at('2025-05-27T12:00:00Z'),
		},
		{
			model: 'mistral/mistral-small',
			tokens_in: 50,
			tokens_out: 50,
			cost: '0.01',
			backend_cost: '0.005',
			created_at: at('2025-06-01T23:59:59Z'),
		},
		// outside both weeks
		{
			model: 'openai/gpt-4o',
			tokens_in: 9,
			tokens_out: 9,
			cost: '9',
			created_at: at('2025-06-09T00:00:00Z'),
		},
		{
			model: 'openai/gpt-4o',
			tokens_in: 9,
			tokens_out: 9,
			cost: '9',
			created_at: at('2025-05-25T23:59:59Z'),
		},
	]);
}

// ---- Get Summary --------------------------------------------------------------------------

describe('Get Summary', () => {
	test('a workflow makes 3 chat calls, then the summary shows exactly those requests and tokens', async () => {
		const chat = {
			id: 'chat',
			name: 'Chat',
			type: 'n8n-nodes-scaigrid.scaiGridChat',
			typeVersion: 1,
			position: [200, 0],
			parameters: {
				model: { __rl: true, mode: 'id', value: 'scailabs/poolnoodle-omni' },
				prompt: 'simple',
				userMessage: '={{ $json.prompt }}',
			},
			credentials: { scaiGridApi: { id: 'scaigrid-emulator', name: 'ScaiGrid (emulator)' } },
		};
		const workflow = {
			name: 'chat then usage',
			nodes: [
				manual,
				chat,
				usageNode(
					{ operation: 'getSummary', range: 'current', period: 'day', groupBy: 'model' },
					{ executeOnce: true },
				),
			],
			connections: {
				Manual: { main: [[{ node: 'Chat', type: 'main', index: 0 }]] },
				Chat: { main: [[{ node: NODE, type: 'main', index: 0 }]] },
			},
			// In UTC today is ScaiGrid's own `period=day` (in another zone it goes out as start/end).
			settings: { timezone: 'UTC' },
		};
		const result = await run(workflow, em.apiKey, [
			{ prompt: 'Hello there' },
			{ prompt: 'Write a haiku about pools' },
			{ prompt: 'Count to five' },
		]);
		expect(result.status).toBe('success');

		const chats = json(result, 'Chat');
		expect(chats).toHaveLength(3);
		const promptTokens = chats.reduce((n, c) => n + (c.usage as any).promptTokens, 0);
		const completionTokens = chats.reduce((n, c) => n + (c.usage as any).completionTokens, 0);
		expect(promptTokens).toBeGreaterThan(0);

		const rows = json(result);
		expect(rows).toHaveLength(1);
		const [row] = rows;
		expect(row).toMatchObject({
			groupBy: 'model',
			group: 'scailabs/poolnoodle-omni',
			requests: 3,
			inputTokens: promptTokens,
			outputTokens: completionTokens,
			totalTokens: promptTokens + completionTokens,
			costShare: 100,
		});
		// The cost is the emulator's own exact sum of the three records.
		const records = em.usage as Array<{ cost: string; backend_cost: string }>;
		expect(records).toHaveLength(3);
		expect(typeof row.cost).toBe('number');
		expect(row.costDecimal).toMatch(/^\d+\.\d+$/);
		const micro = (s: string) => Math.round(Number(s) * 1e9);
		expect(micro(String(row.costDecimal))).toBe(records.reduce((n, r) => n + micro(r.cost), 0));
		expect(micro(String(row.backendCostDecimal))).toBe(
			records.reduce((n, r) => n + micro(r.backend_cost), 0),
		);
		expect(row.margin).toBeCloseTo((row.cost as number) - (row.backendCost as number), 12);

		// One summary request, the current period in ScaiGrid's own reading; the lag hint shown.
		const summaries = accounting('/v1/accounting/usage/summary');
		expect(summaries).toHaveLength(1);
		expect(summaries[0].query).toEqual({ period: 'day', group_by: 'model' });
		expect(result.hints(NODE).map((h) => h.message)).toEqual([expect.stringMatching(LAG_HINT)]);
	});

	test('custom range: typed rows sorted by cost, exact decimals, filters sent', async () => {
		seedWeek();
		const result = await run(
			usageWorkflow({
				operation: 'getSummary',
				...custom,
				groupBy: 'model',
				filters: { backendId: '' },
			}),
		);
		expect(result.status).toBe('success');
		const rows = json(result);
		expect(rows.map((r) => [r.group, r.requests, r.costDecimal, r.cost, r.costShare])).toEqual([
			['scailabs/poolnoodle-omni', 2, '0.300000', 0.3, 49.92], // 0.1 + 0.2 = 0.3, not 0.30000000000000004
			['anthropic/claude-sonnet', 3, '0.150000', 0.15, 24.96],
			['openai/gpt-4o', 1, '0.150000', 0.15, 24.96],
			['meta/llama-3.1-70b', 1, '0.001000', 0.001, 0.17],
		]);
		expect(rows[0]).toMatchObject({
			inputTokens: 2000,
			outputTokens: 400,
			totalTokens: 2400,
			backendCost: 0.21,
			margin: 0.09,
		});
		for (const row of rows) {
			expect(Number.isInteger(row.requests) && Number.isInteger(row.totalTokens)).toBe(true);
			expect(row.rangeStart).toBe('2025-06-02T00:00:00.000Z');
			expect(row.rangeEnd).toBe('2025-06-09T00:00:00.000Z');
		}
		const [request] = accounting('/v1/accounting/usage/summary');
		expect(request.query).toEqual({
			start: '2025-06-02T00:00:00.000Z',
			end: '2025-06-09T00:00:00.000Z',
			group_by: 'model',
		});
		// A range in the past: no lag hint.
		expect(result.hints(NODE)).toEqual([]);
	});

	test('filters and group by reach ScaiGrid', async () => {
		seedWeek();
		const result = await run(
			usageWorkflow({
				operation: 'getSummary',
				...custom,
				groupBy: 'backend',
				filters: {
					model: 'anthropic/claude-sonnet',
					userId: 'usr_demo',
					tenantId: 'acme',
					backendId: 'be_anthropic_1',
				},
			}),
		);
		expect(result.status).toBe('success');
		expect(json(result).map((r) => [r.groupBy, r.group, r.requests])).toEqual([
			['backend', 'be_anthropic_1', 3],
		]);
		expect(accounting('/v1/accounting/usage/summary')[0].query).toMatchObject({
			group_by: 'backend',
			model: 'anthropic/claude-sonnet',
			user_id: 'usr_demo',
			tenant_id: 'acme',
			backend_id: 'be_anthropic_1',
		});
	});

	test('options: sort by tokens / requests, Top N with Others, totals row', async () => {
		seedWeek();
		const byTokens = await run(
			usageWorkflow({ operation: 'getSummary', ...custom, options: { sortBy: 'tokens' } }),
		);
		expect(json(byTokens).map((r) => r.group)).toEqual([
			'openai/gpt-4o',
			'scailabs/poolnoodle-omni',
			'anthropic/claude-sonnet',
			'meta/llama-3.1-70b',
		]);
		const byRequests = await run(
			usageWorkflow({ operation: 'getSummary', ...custom, options: { sortBy: 'requests' } }),
		);
		expect(json(byRequests).map((r) => r.group)).toEqual([
			'anthropic/claude-sonnet',
			'scailabs/poolnoodle-omni',
			'meta/llama-3.1-70b',
			'openai/gpt-4o',
		]); // ties: by name

		const top = await run(
			usageWorkflow({
				operation: 'getSummary',
				...custom,
				options: { topN: 2, includeTotals: true },
			}),
		);
		expect(
			json(top).map((r) => [r.group, r.requests, r.totalTokens, r.costDecimal, r.costShare]),
		).toEqual([
			['scailabs/poolnoodle-omni', 2, 2400, '0.300000', 49.92],
			['anthropic/claude-sonnet', 3, 450, '0.150000', 24.96],
			['Others', 2, 5120, '0.151000', 25.12],
			['TOTAL', 7, 7970, '0.601000', 100],
		]);
		expect(json(top)[3]).toMatchObject({ backendCost: 0.4305, margin: 0.1705 });
	});

	test('compare with the previous period: a second request for the range before, changes per row', async () => {
		seedWeek();
		const result = await run(
			usageWorkflow({
				operation: 'getSummary',
				...custom,
				options: { compare: true, includeTotals: true },
			}),
		);
		expect(result.status).toBe('success');
		const rows = Object.fromEntries(json(result).map((r) => [r.group, r]));
		expect(rows['scailabs/poolnoodle-omni']).toMatchObject({
			cost: 0.3,
			previousCost: 0.2,
			costChange: 0.1,
			costChangePercent: 50,
			previousRequests: 1,
			requestsChange: 1,
			requestsChangePercent: 100,
			previousTokens: 900,
			tokensChange: 1500,
			tokensChangePercent: 166.67,
			previousRangeStart: '2025-05-26T00:00:00.000Z',
			previousRangeEnd: '2025-06-02T00:00:00.000Z',
		});
		expect(rows['openai/gpt-4o']).toMatchObject({ previousCost: 0, costChangePercent: null });
		// Used the week before, not this week: still a row, at zero.
		expect(rows['mistral/mistral-small']).toMatchObject({
			requests: 0,
			cost: 0,
			previousCost: 0.01,
			costChange: -0.01,
			costChangePercent: -100,
		});
		expect(rows.TOTAL).toMatchObject({
			cost: 0.601,
			previousCost: 0.21,
			costChange: 0.391,
			costChangePercent: 186.19,
		});

		const queries = accounting('/v1/accounting/usage/summary').map((r) => [
			r.query.start,
			r.query.end,
		]);
		expect(queries).toHaveLength(2);
		expect(queries).toEqual(
			expect.arrayContaining([
				['2025-06-02T00:00:00.000Z', '2025-06-09T00:00:00.000Z'],
				['2025-05-26T00:00:00.000Z', '2025-06-02T00:00:00.000Z'],
			]),
		);
	});

	test('compare, previous full week: last week vs the week before, computed in the workflow zone (UTC) from now', async () => {
		const now = Date.now();
		const day = 86_400_000;
		const thisMonday =
			Date.UTC(
				new Date(now).getUTCFullYear(),
				new Date(now).getUTCMonth(),
				new Date(now).getUTCDate(),
			) -
			((new Date(now).getUTCDay() + 6) % 7) * day;
		const lastMonday = thisMonday - 7 * day;
		const mondayBefore = lastMonday - 7 * day;
		const rec = (t: number, cost: string) => ({
			model: 'openai/gpt-4o',
			tokens_in: 10,
			tokens_out: 5,
			cost,
			created_at: new Date(t).toISOString(),
		});
		em.addUsageRecords([
			rec(lastMonday, '1.5'),
			rec(thisMonday - 1, '0.5'),
			rec(mondayBefore + day, '1.6'),
			rec(thisMonday, '100'), // this week: not in either range
		]);
		const result = await run(
			usageWorkflow({
				operation: 'getSummary',
				range: 'previous',
				period: 'week',
				options: { compare: true },
			}),
		);
		expect(result.status).toBe('success');
		expect(json(result)).toEqual([
			expect.objectContaining({
				group: 'openai/gpt-4o',
				requests: 2,
				cost: 2,
				previousCost: 1.6,
				costChange: 0.4,
				costChangePercent: 25,
				rangeStart: new Date(lastMonday).toISOString(),
				rangeEnd: new Date(thisMonday).toISOString(),
				previousRangeStart: new Date(mondayBefore).toISOString(),
				previousRangeEnd: new Date(lastMonday).toISOString(),
			}),
		]);
		expect(result.hints(NODE)).toEqual([]);
	});

	test('compare, current period to now: explicit ranges, the same elapsed time of the previous period', async () => {
		const before = Date.now();
		em.addUsageRecords([
			{
				model: 'openai/gpt-4o',
				tokens_in: 10,
				tokens_out: 5,
				cost: '0.5',
				created_at: new Date(before - 1000).toISOString(),
			},
		]);
		const result = await run(
			usageWorkflow({
				operation: 'getSummary',
				range: 'current',
				period: 'day',
				options: { compare: true },
			}),
		);
		expect(result.status).toBe('success');
		const queries = accounting('/v1/accounting/usage/summary').map((r) => r.query);
		expect(queries).toHaveLength(2);
		for (const query of queries) expect(query.period).toBeUndefined();
		const [current, previous] = [...queries].sort((a, b) => b.start.localeCompare(a.start));
		const dayStart = new Date(before).toISOString().slice(0, 10) + 'T00:00:00.000Z';
		expect(current.start).toBe(dayStart);
		expect(Date.parse(previous.start)).toBe(Date.parse(dayStart) - 86_400_000);
		// Like for like: the same elapsed time of yesterday.
		expect(Date.parse(previous.end) - Date.parse(previous.start)).toBe(
			Date.parse(current.end) - Date.parse(current.start),
		);
		expect(json(result)).toEqual([
			expect.objectContaining({
				group: 'openai/gpt-4o',
				cost: 0.5,
				previousCost: 0,
				costChangePercent: null,
			}),
		]);
		expect(result.hints(NODE).map((h) => h.message)).toEqual([expect.stringMatching(LAG_HINT)]);
	});

	test('an empty period: Rows gives no items and a hint; with totals, one zero TOTAL row', async () => {
		seedWeek();
		const empty = { range: 'custom', start: '2024-01-01T00:00:00Z', end: '2024-01-02T00:00:00Z' };
		const rows = await run(usageWorkflow({ operation: 'getSummary', ...empty }));
		expect(rows.status).toBe('success');
		expect(rows.output(NODE)).toEqual([]);
		expect(rows.hints(NODE).map((h) => h.message)).toEqual([
			expect.stringContaining('No usage in the selected range'),
		]);

		const totals = await run(
			usageWorkflow({ operation: 'getSummary', ...empty, options: { includeTotals: true } }),
		);
		expect(json(totals)).toEqual([
			expect.objectContaining({ group: 'TOTAL', requests: 0, cost: 0, costShare: null }),
		]);
	});

	test('a custom range that is not a date fails the item with a clear message', async () => {
		const result = await run(
			usageWorkflow({ operation: 'getSummary', range: 'custom', start: 'last tuesday' }),
		);
		expect(result.status).toBe('error');
		expect(result.nodeError(NODE)?.message).toContain('not an ISO 8601 date-time');
		expect(em.requests).toHaveLength(0);
	});

	// Impossible calendar dates were rolled over (End 2026-02-30 went out as 2026-03-02).
	const impossible: Array<[parameter: 'start' | 'end', value: string]> = [
		['end', '2026-02-30'],
		['end', '2026-13-01'],
		['end', '2025-02-29'], // 2025 is not a leap year
		['end', '2026-04-31T10:00:00'],
		['end', '2026-06-31T00:00:00Z'],
		['end', 'next friday'],
		['start', '2026-02-30'],
		['start', '2026-13-01'],
		['start', '2025-02-29T08:00:00+02:00'],
		['start', 'yesterday'],
	];
	test.each(impossible)(
		'an impossible %s date (%s) fails the item naming the parameter and the value; nothing is sent',
		async (parameter, value) => {
			const dates = { start: '2026-02-01', end: '2026-03-01', [parameter]: value };
			const result = await run(
				usageWorkflow({ operation: 'getSummary', range: 'custom', ...dates }),
			);
			expect(result.status).toBe('error');
			const error: any = result.nodeError(NODE);
			const displayName = parameter === 'start' ? 'Start' : 'End';
			expect(error.message).toContain(displayName);
			expect(error.message).toContain(`"${value}"`);
			expect(error.context?.itemIndex).toBe(0);
			expect(em.requests).toHaveLength(0);
		},
	);

	test('a real 29 February in a leap year is accepted', async () => {
		const result = await run(
			usageWorkflow({
				operation: 'getSummary',
				range: 'custom',
				start: '2024-02-29',
				end: '2024-03-01T00:00:00Z',
			}),
		);
		expect(result.status).toBe('success');
		expect(
			accounting('/v1/accounting/usage/summary').map((r) => [r.query.start, r.query.end]),
		).toEqual([['2024-02-29T00:00:00.000Z', '2024-03-01T00:00:00.000Z']]);
	});

	test.each(['getRecords', 'export'])(
		'%s refuses an impossible date before any request too',
		async (operation) => {
			const result = await run(
				usageWorkflow({ operation, range: 'custom', start: '2026-02-01', end: '2026-02-30' }),
			);
			expect(result.status).toBe('error');
			expect(result.nodeError(NODE)?.message).toMatch(/End "2026-02-30"/);
			expect(em.requests).toHaveLength(0);
		},
	);
});

// ---- The workflow's time zone ---------------------------------------------------------------

describe("ranges follow the workflow's time zone setting", () => {
	const summaryQueries = () =>
		accounting('/v1/accounting/usage/summary').map((r) => [
			r.query.start,
			r.query.end,
			r.query.period,
		]);

	test.each([
		[
			'Europe/Berlin',
			'2026-03-29',
			'2026-03-30',
			'2026-03-28T23:00:00.000Z',
			'2026-03-29T22:00:00.000Z',
		], // 23 h
		[
			'Europe/Berlin',
			'2026-10-25',
			'2026-10-26',
			'2026-10-24T22:00:00.000Z',
			'2026-10-25T23:00:00.000Z',
		], // 25 h
		[
			'America/New_York',
			'2026-03-08T00:00:00',
			'2026-03-09T00:00:00',
			'2026-03-08T05:00:00.000Z',
			'2026-03-09T04:00:00.000Z',
		],
		[
			'America/New_York',
			'2026-11-01',
			'2026-11-01T12:00:00Z',
			'2026-11-01T04:00:00.000Z',
			'2026-11-01T12:00:00.000Z',
		],
	])('%s: custom %s to %s is sent as %s to %s', async (zone, start, end, sentStart, sentEnd) => {
		const result = await run(
			usageWorkflow({ operation: 'getSummary', range: 'custom', start, end }, {}, zone),
		);
		expect(result.status).toBe('success');
		expect(summaryQueries()).toEqual([[sentStart, sentEnd, undefined]]);
	});

	test('America/New_York: last week vs the week before, Monday 00:00 local time, whatever DST did', async () => {
		const zone = 'America/New_York';
		const thisMonday = DateTime.now().setZone(zone).startOf('week');
		const lastMonday = thisMonday.minus({ weeks: 1 });
		const mondayBefore = lastMonday.minus({ weeks: 1 });
		const result = await run(
			usageWorkflow(
				{ operation: 'getSummary', range: 'previous', period: 'week', options: { compare: true } },
				{},
				zone,
			),
		);
		expect(result.status).toBe('success');
		const utc = (time: DateTime) => time.toUTC().toISO();
		expect(summaryQueries().sort()).toEqual(
			[
				[utc(lastMonday), utc(thisMonday), undefined],
				[utc(mondayBefore), utc(lastMonday), undefined],
			].sort(),
		);
	});

	test('Europe/Berlin: today to now goes out as explicit start/end from Berlin midnight, not as period=day', async () => {
		const zone = 'Europe/Berlin';
		const result = await run(
			usageWorkflow({ operation: 'getSummary', range: 'current', period: 'day' }, {}, zone),
		);
		expect(result.status).toBe('success');
		const [[start, end, period]] = summaryQueries();
		expect(period).toBeUndefined();
		expect(start).toBe(DateTime.fromISO(end!).setZone(zone).startOf('day').toUTC().toISO());
	});

	test('Europe/Berlin: the report shows its range in Berlin time and names the zone', async () => {
		const result = await run(
			usageWorkflow(
				{
					operation: 'getSummary',
					range: 'custom',
					start: '2026-03-29',
					end: '2026-03-30',
					output: 'report',
				},
				{},
				'Europe/Berlin',
			),
		);
		expect(result.status).toBe('success');
		const [report] = json(result);
		expect(report.headline).toBe(
			'No usage in this range (2026-03-29 00:00 to 2026-03-30 00:00 Europe/Berlin)',
		);
		expect([report.rangeStart, report.rangeEnd]).toEqual([
			'2026-03-28T23:00:00.000Z',
			'2026-03-29T22:00:00.000Z',
		]);
	});
});

// ---- Report --------------------------------------------------------------------------------

describe('Report output', () => {
	test('one item with headline, Markdown, Slack, HTML and an SVG chart whose numbers match', async () => {
		seedWeek();
		const result = await run(
			usageWorkflow({
				operation: 'getSummary',
				...custom,
				output: 'report',
				options: { compare: true, costDecimals: 3 },
			}),
		);
		expect(result.status).toBe('success');
		const items = result.output(NODE);
		expect(items).toHaveLength(1);
		const report = items[0].json as Record<string, any>;
		expect(report.headline).toBe(
			'Cost in this range 0.601 (7 requests), +186% vs the range before; top model scailabs/poolnoodle-omni (50%)',
		);
		expect(report.noUsage).toBe(false);
		expect(report.rows.map((r: any) => r.group)).toEqual([
			'scailabs/poolnoodle-omni',
			'anthropic/claude-sonnet',
			'openai/gpt-4o',
			'meta/llama-3.1-70b',
			'mistral/mistral-small',
		]);
		expect(report.totals).toMatchObject({ group: 'TOTAL', requests: 7, cost: 0.601 });

		const md = report.markdown as string;
		expect(md).toContain(
			'**ScaiGrid usage in this range, by model** (2025-06-02 00:00 to 2025-06-09 00:00 UTC)',
		);
		expect(md).toMatch(
			/\| scailabs\/poolnoodle-omni\s+\|\s+2 \|\s+2,400 \|\s+0\.300 \|\s+49\.9% \|\s+0\.200 \|\s+\+50\.0% \|/,
		);
		expect(md).toMatch(
			/\| mistral\/mistral-small\s+\|\s+0 \|\s+0 \|\s+0\.000 \|\s+0\.0% \|\s+0\.010 \|\s+-100\.0% \|/,
		);
		expect(md).toMatch(/\*\*TOTAL\*\*.*\*\*7\*\*.*\*\*7,970\*\*.*\*\*0\.601\*\*/);
		expect(report.slack).toMatch(/^\*ScaiGrid usage in this range, by model\*/);
		expect(report.slack).toContain('```');
		expect(report.html).toContain('<table');
		expect(report.html).toMatch(/>0\.601<\/td>/);

		const chart = items[0].binary?.chart;
		expect(chart).toMatchObject({ mimeType: 'image/svg+xml', fileName: 'usage-chart.svg' });
		const svg = binaryText(items[0], 'chart');
		const elements = assertWellFormedXml(svg);
		expect(elements[0]).toBe('svg');
		expect(elements.filter((e) => e === 'rect')).toHaveLength(1 + 5); // background + one bar per group
		for (const value of [
			'0.300 (49.9%)',
			'0.150 (25.0%)',
			'0.001 (0.2%)',
			'scailabs/poolnoodle-omni',
		])
			expect(svg).toContain(value);
	});

	test('an empty period still gives one report that says so (the Slack message still goes out)', async () => {
		const result = await run(
			usageWorkflow({
				operation: 'getSummary',
				range: 'custom',
				start: '2024-01-01T00:00:00Z',
				end: '2024-01-08T00:00:00Z',
				output: 'report',
			}),
		);
		expect(result.status).toBe('success');
		const [item] = result.output(NODE);
		expect(item.json).toMatchObject({
			noUsage: true,
			headline: 'No usage in this range (2024-01-01 00:00 to 2024-01-08 00:00 UTC)',
			rows: [],
		});
		expect(item.json.markdown).toContain('No usage in this period.');
		assertWellFormedXml(binaryText(item, 'chart'));
	});

	test('names with markup are escaped in HTML and SVG', async () => {
		em.addUsageRecords([
			{
				model: '<script>alert("x")</script> & co',
				tokens_in: 1,
				tokens_out: 1,
				cost: '1',
				created_at: at('2025-06-03T00:00:00Z'),
			},
		]);
		const result = await run(
			usageWorkflow({ operation: 'getSummary', ...custom, output: 'report' }),
		);
		const [item] = result.output(NODE);
		expect(item.json.html).not.toContain('<script>');
		expect(item.json.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
		const svg = binaryText(item, 'chart');
		expect(svg).not.toContain('<script>');
		assertWellFormedXml(svg);
	});
});

// ---- Get Records ---------------------------------------------------------------------------

describe('Get Records', () => {
	const base = Date.parse('2025-06-02T00:00:00Z');
	const seed = (n: number) =>
		em.addUsageRecords(
			Array.from({ length: n }, (_, i) => ({
				id: `use_p${String(i).padStart(5, '0')}`,
				model: i % 2 ? 'openai/gpt-4o' : 'scailabs/poolnoodle-omni',
				tokens_in: 10 + i,
				tokens_out: 5,
				cost: `0.00000${(i % 9) + 1}`,
				created_at: new Date(base + i * 60_000).toISOString(),
			})),
		);

	test('Return All follows the cursor through pages of 1,000', async () => {
		seed(2500);
		const result = await run(
			usageWorkflow({ operation: 'getRecords', ...custom, returnAll: true }),
		);
		expect(result.status).toBe('success');
		const records = json(result);
		expect(records).toHaveLength(2500);
		expect(new Set(records.map((r) => r.id)).size).toBe(2500);
		expect(records[0]).toEqual({
			id: 'use_p02499',
			createdAt: new Date(base + 2499 * 60_000).toISOString(),
			model: 'openai/gpt-4o',
			backendId: 'be_openai_1',
			userId: 'usr_demo',
			tenantId: 'acme',
			tokensIn: 2509,
			tokensOut: 5,
			totalTokens: 2514,
			cost: 0.000007, // 2499 % 9 + 1
			costDecimal: '0.000007',
			latencyMs: 0,
			requestId: 'req_rec_2500',
		});
		const requests = accounting('/v1/accounting/usage');
		expect(requests.map((r) => r.query.limit)).toEqual(['1000', '1000', '1000']);
		expect(requests[0].query.cursor).toBeUndefined();
		expect(requests[1].query.cursor).toBeDefined();
		expect(requests[2].query.cursor).not.toBe(requests[1].query.cursor);
		expect(requests[0].query).toMatchObject({
			start: '2025-06-02T00:00:00.000Z',
			end: '2025-06-09T00:00:00.000Z',
		});
	});

	test('Limit 1,500 crosses a page boundary and stops there; raw output is as received', async () => {
		seed(2500);
		const result = await run(
			usageWorkflow({
				operation: 'getRecords',
				...custom,
				returnAll: false,
				limit: 1500,
				simplify: false,
			}),
		);
		const records = json(result);
		expect(records).toHaveLength(1500);
		expect(records[0]).toMatchObject({
			id: 'use_p02499',
			tokens_in: 2509,
			cost: '0.000007',
			backend_cost: expect.any(String),
		});
		expect(records[1499].id).toBe('use_p01000');
		expect(accounting('/v1/accounting/usage').map((r) => r.query.limit)).toEqual(['1000', '500']);
	});

	test('an invalid record fails the run as INVALID_RESPONSE naming its page, record and field', async () => {
		seed(4500);
		// Newest first: the record seeded just after i = 3000 is number 499 of the second page.
		em.addUsageRecords([
			{
				id: 'use_bad',
				model: 'openai/gpt-4o',
				latency_ms: 'slow',
				created_at: new Date(base + 3000 * 60_000 + 1).toISOString(),
			},
		]);
		const result = await run(
			usageWorkflow({ operation: 'getRecords', ...custom, returnAll: true }),
		);
		expect(result.status).toBe('error');
		const error = result.nodeError(NODE) as any;
		expect(error.message).toContain('INVALID_RESPONSE');
		expect(error.message).toMatch(/documented shape: 499\.latency_ms /);
		expect(error.description).not.toContain('attempts');
		// The third page was asked for while the second was read (prefetch); its answer goes
		// unused, and must not ask for the fourth. Wait for it, and a while longer, so that no
		// late request lands in the next test's request log.
		for (
			let waited = 0;
			accounting('/v1/accounting/usage').length < 3 && waited < 2000;
			waited += 20
		) {
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		await new Promise((resolve) => setTimeout(resolve, 300));
		const requests = accounting('/v1/accounting/usage');
		expect(requests).toHaveLength(3);
		expect(error.description).toContain(`Request ID: ${requests[1].request_id}.`);
	});

	test('Limit within one page sends one request', async () => {
		seed(30);
		const result = await run(
			usageWorkflow({
				operation: 'getRecords',
				...custom,
				limit: 7,
				filters: { model: 'openai/gpt-4o' },
			}),
		);
		expect(json(result).map((r) => r.model)).toEqual(Array(7).fill('openai/gpt-4o'));
		expect(accounting('/v1/accounting/usage').map((r) => [r.query.limit, r.query.model])).toEqual([
			['7', 'openai/gpt-4o'],
		]);
	});
});

// ---- Get Budgets ---------------------------------------------------------------------------

describe('Get Budgets', () => {
	test('each budget with its limits, current usage, utilisation and soft-limit state', async () => {
		em.addBudget({
			id: 'bud_team',
			name: 'Team',
			scope: 'tenant',
			period: 'monthly',
			cost_limit: '1.00',
			token_limit: 10_000,
			request_limit: 10,
			soft_limit_pct: 0.5,
		});
		em.addBudget({
			id: 'bud_cap',
			name: 'Requests only',
			scope: 'tenant',
			period: 'total',
			request_limit: 1000,
		});
		const now = new Date().toISOString();
		em.addUsageRecords(
			['0.2', '0.2', '0.1', '0.1'].map((cost) => ({
				model: 'openai/gpt-4o',
				tokens_in: 500,
				tokens_out: 250,
				cost,
				created_at: now,
			})),
		);
		const result = await run(usageWorkflow({ operation: 'getBudgets' }));
		expect(result.status).toBe('success');
		const [team, cap] = json(result);
		expect(team).toMatchObject({
			id: 'bud_team',
			name: 'Team',
			scope: 'tenant',
			period: 'monthly',
			hardAction: 'block',
			softLimitPct: 0.5,
			costLimit: 1,
			costLimitDecimal: '1.00',
			currentCost: 0.6,
			currentTokens: 3000,
			currentRequests: 4,
			costUsedPercent: 60,
			tokensUsedPercent: 30,
			requestsUsedPercent: 40,
			maxUsedPercent: 60,
			pastSoftLimit: true,
			pastHardLimit: false,
			usageKnown: true,
		});
		expect(cap).toMatchObject({
			costLimit: null,
			costUsedPercent: null,
			requestsUsedPercent: 0.4,
			softLimitPct: 0.8,
			pastSoftLimit: false,
		});
		expect(accounting('/v1/accounting/budgets')).toHaveLength(1);
	});
});

// ---- Export --------------------------------------------------------------------------------

function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (c === '"') quoted = false;
			else cell += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			row.push(cell);
			cell = '';
		} else if (c === '\n') {
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
		} else cell += c;
	}
	if (cell !== '' || row.length) rows.push([...row, cell]);
	return rows;
}

describe('Export', () => {
	test('CSV: a binary file with the records of the range, parsed back', async () => {
		seedWeek();
		em.addUsageRecords([
			{
				model: 'odd, "quoted"\nmodel',
				tokens_in: 1,
				tokens_out: 2,
				cost: '0.5',
				created_at: at('2025-06-03T00:00:00Z'),
			},
		]);
		const result = await run(usageWorkflow({ operation: 'export', ...custom, format: 'csv' }));
		expect(result.status).toBe('success');
		const [item] = result.output(NODE);
		expect(item.json).toMatchObject({
			format: 'csv',
			records: 8,
			fileName: 'scaigrid-usage-20250602T000000Z-20250609T000000Z.csv',
			requestId: expect.stringMatching(/^req_/),
		});
		expect(item.binary?.data).toMatchObject({
			mimeType: 'text/csv',
			fileName: 'scaigrid-usage-20250602T000000Z-20250609T000000Z.csv',
		});
		const [header, ...rows] = parseCsv(binaryText(item, 'data'));
		const records = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
		expect(records).toHaveLength(8);
		expect(records.map((r) => r.cost).sort()).toEqual([
			'0.001000',
			'0.050000',
			'0.050000',
			'0.050000',
			'0.100000',
			'0.150000',
			'0.200000',
			'0.500000',
		]);
		expect(records.map((r) => r.model)).toContain('odd, "quoted"\nmodel');
		const [request] = accounting('/v1/accounting/export');
		expect(request.query).toEqual({
			start: '2025-06-02T00:00:00.000Z',
			end: '2025-06-09T00:00:00.000Z',
			format: 'csv',
		});
	});

	test('NDJSON into a chosen binary field, with filters', async () => {
		seedWeek();
		const result = await run(
			usageWorkflow({
				operation: 'export',
				...custom,
				format: 'ndjson',
				binaryPropertyName: 'usageFile',
				filters: { model: 'anthropic/claude-sonnet' },
			}),
		);
		const [item] = result.output(NODE);
		expect(item.json).toMatchObject({ format: 'ndjson', records: 3 });
		expect(item.binary?.usageFile?.mimeType).toBe('application/x-ndjson');
		const lines = binaryText(item, 'usageFile')
			.trim()
			.split('\n')
			.map((l) => JSON.parse(l));
		expect(lines.map((l) => [l.model, l.cost, l.tokens_in])).toEqual(
			Array(3).fill(['anthropic/claude-sonnet', '0.050000', 100]),
		);
		expect(accounting('/v1/accounting/export')[0].query).toMatchObject({
			format: 'ndjson',
			model: 'anthropic/claude-sonnet',
		});
	});

	test('JSON counts the records too', async () => {
		seedWeek();
		const [item] = (
			await run(usageWorkflow({ operation: 'export', ...custom, format: 'json' }))
		).output(NODE);
		expect(item.json).toMatchObject({ format: 'json', records: 7 });
		expect(JSON.parse(binaryText(item, 'data'))).toHaveLength(7);
	});
});

// ---- Errors ----------------------------------------------------------------------------------

describe('permission errors name the missing permission', () => {
	test('a User ID filter without accounting:view_tenant', async () => {
		const key = em.addKey({ permissions: ['models:list', 'accounting:view_own'] });
		const result = await run(
			usageWorkflow({ operation: 'getSummary', ...custom, filters: { userId: 'usr_alice' } }),
			key,
		);
		expect(result.status).toBe('error');
		const error = result.nodeError(NODE) as any;
		expect(error.message).toContain('AUTHZ_PERMISSION_DENIED');
		expect(error.description).toContain('accounting:view_tenant (for the User ID filter)');
		expect(
			JSON.stringify({
				message: error.message,
				description: error.description,
				context: error.context,
			}),
		).not.toContain(key);
		expect(accounting('/v1/accounting/usage/summary')).toHaveLength(1); // not retried
	});

	test('a Tenant ID filter without accounting:view_partner, continue on fail: an error item', async () => {
		const key = em.addKey({ permissions: ['accounting:view_own', 'accounting:view_tenant'] });
		const result = await run(
			usageWorkflow(
				{ operation: 'getRecords', ...custom, filters: { tenantId: 'globex' } },
				{ onError: 'continueRegularOutput' },
			),
			key,
		);
		expect(result.status).toBe('success');
		const [item] = json(result);
		expect(item).toMatchObject({ code: 'AUTHZ_PERMISSION_DENIED', httpStatus: 403 });
		expect(item.description).toContain('accounting:view_partner (for the Tenant ID filter)');
		expect(JSON.stringify(item)).not.toContain(key);
	});
});

// ---- Several input items, examples -------------------------------------------------------------

test('each input item gets its own summary, paired to it', async () => {
	seedWeek();
	const workflow = usageWorkflow({
		operation: 'getSummary',
		...custom,
		filters: { model: '={{ $json.model }}' },
	});
	const result = await run(workflow, em.apiKey, [
		{ model: 'openai/gpt-4o' },
		{ model: 'nobody/none' },
		{ model: 'anthropic/claude-sonnet' },
	]);
	const items = result.output(NODE);
	expect(items.map((i) => [i.json.group, i.pairedItem])).toEqual([
		['openai/gpt-4o', { item: 0 }],
		['anthropic/claude-sonnet', { item: 2 }],
	]);
});

test('examples/weekly-usage-report.json: last week by model vs the week before, sent as Markdown', async () => {
	const seeded = await startEmulator({
		rateLimit: false,
		seedHistory: { records: 420, days: 21, seed: 7 },
	});
	try {
		const workflow = loadWorkflowFile('examples/weekly-usage-report.json');
		const result = await runWorkflow(workflow, { credentials: credentialsFor(seeded) });
		expect(result.status).toBe('success');
		const usageName = workflow.nodes.find((n: any) => n.type === TYPE).name;
		const [report] = result.output(usageName);
		expect(report.json.headline).toMatch(
			/^Cost last week [\d,.]+ \([\d,]+ requests\), [+-]?\d+% vs the week before; top model \S+ \(\d+%\)$/,
		);
		const sendName = workflow.nodes.find((n: any) => n.type === 'n8n-nodes-base.set').name;
		const [sent] = result.output(sendName);
		expect(sent.json.text).toBe(report.json.markdown);
		expect(sent.json.text).toContain('| **TOTAL**');
		const summaries = seeded.requests.filter((r) => r.path === '/v1/accounting/usage/summary');
		expect(summaries).toHaveLength(2);
	} finally {
		await seeded.close();
	}
});
