'use strict';
const { startEmulator } = require('../../emulator');
const { useEmulator } = require('../helpers/emulator');
const { client, user } = require('./helpers');

// Wednesday 2024-04-24 12:30 UTC: the ISO week started Monday 2024-04-22.
const NOW = Date.parse('2024-04-24T12:30:00.000Z');
const em = useEmulator({ rateLimit: false, now: () => new Date(NOW) });
const api = client(em);

test('every served chat call records usage with exact cost', async () => {
	// 1000 prompt words + 4 overhead; reply "Echo: ..." = 1001 words.
	const text = Array.from({ length: 1000 }, (_, i) => `w${i}`).join(' ');
	const r = await api.chat(user(text));
	await api.chat({ ...user('streamed'), stream: true });
	expect(em.usage).toHaveLength(2);
	const rec = em.usage[0];
	expect(rec).toMatchObject({
		model: 'scailabs/poolnoodle-omni',
		backend_id: 'be_scailabs_1',
		user_id: 'usr_demo',
		tenant_id: 'acme',
		tokens_in: 1004,
		tokens_out: 1001,
		created_at: '2024-04-24T12:30:00.000Z',
		request_id: r.json.meta.request_id,
	});
	// 1004 × 2.50 / 1e6 + 1001 × 10.00 / 1e6 = 0.00251 + 0.01001
	expect(rec.cost).toBe('0.012520');
	expect(rec.backend_cost).toBe('0.008764');
	const list = await api.get('/v1/accounting/usage');
	expect(list.json.data.items.map((i) => i.request_id)).toEqual([
		em.usage[1].request_id,
		rec.request_id,
	]);
	expect(list.json.pagination).toEqual({ has_more: false, next_cursor: null });
	// failed calls are not recorded
	await api.chat({ model: 'nope/x', ...user('x') });
	expect(em.usage).toHaveLength(2);
});

test('pages 100,000 records newest first with cursors', async () => {
	const records = [];
	for (let i = 0; i < 100000; i++)
		records.push({
			model: 'openai/gpt-4o-mini',
			tokens_in: 100,
			tokens_out: 10,
			created_at: new Date(NOW - 1000000 + i * 10).toISOString(),
		});
	em.addUsageRecords(records);
	let cursor;
	let count = 0;
	let pages = 0;
	let previous = Infinity;
	let ordered = true;
	const ids = new Set();
	const started = Date.now();
	do {
		const r = await api.get(`/v1/accounting/usage?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
		for (const item of r.json.data.items) {
			const t = Date.parse(item.created_at);
			if (t > previous) ordered = false;
			previous = t;
			ids.add(item.id);
		}
		count += r.json.data.items.length;
		pages++;
		cursor = r.json.pagination.has_more ? encodeURIComponent(r.json.pagination.next_cursor) : null;
	} while (cursor);
	expect(count).toBe(100000);
	expect(ids.size).toBe(100000);
	expect(ordered).toBe(true);
	expect(pages).toBe(100);
	expect(Date.now() - started).toBeLessThan(15000);
	expect((await api.get('/v1/accounting/usage?limit=1001')).status).toBe(422);
});

test('filters, start inclusive and end exclusive, and filter permissions', async () => {
	em.addUsageRecords([
		{
			model: 'openai/gpt-4o',
			user_id: 'usr_alice',
			tenant_id: 'acme',
			tokens_in: 1,
			tokens_out: 1,
			created_at: '2024-04-23T00:00:00Z',
		},
		{
			model: 'openai/gpt-4o',
			user_id: 'usr_demo',
			tenant_id: 'acme',
			tokens_in: 1,
			tokens_out: 1,
			created_at: '2024-04-23T12:00:00Z',
		},
		{
			model: 'anthropic/claude-sonnet',
			user_id: 'usr_carol',
			tenant_id: 'globex',
			tokens_in: 1,
			tokens_out: 1,
			created_at: '2024-04-24T00:00:00Z',
		},
	]);
	const range = await api.get(
		'/v1/accounting/usage?start=2024-04-23T00:00:00Z&end=2024-04-24T00:00:00Z',
	);
	expect(range.json.data.items.map((i) => i.user_id)).toEqual(['usr_demo', 'usr_alice']);
	expect(
		(await api.get('/v1/accounting/usage?model=anthropic/claude-sonnet')).json.data.items,
	).toHaveLength(1);
	expect(
		(await api.get('/v1/accounting/usage?tenant_id=globex')).json.data.items.map((i) => i.user_id),
	).toEqual(['usr_carol']);
	expect(
		(await api.get('/v1/accounting/usage?backend_id=be_openai_1')).json.data.items,
	).toHaveLength(2);

	const own = client(
		em,
		em.addKey({ permissions: ['accounting:view_own'], tenantId: 'acme', userId: 'usr_demo' }),
	);
	expect((await own.get('/v1/accounting/usage')).json.data.items.map((i) => i.user_id)).toEqual([
		'usr_demo',
	]);
	const denied = await own.get('/v1/accounting/usage?user_id=usr_alice');
	expect(denied.status).toBe(403);
	expect(denied.json.error.message).toContain('accounting:view_tenant');
	const tenant = client(
		em,
		em.addKey({
			permissions: ['accounting:view_own', 'accounting:view_tenant'],
			tenantId: 'acme',
			userId: 'usr_demo',
		}),
	);
	expect((await tenant.get('/v1/accounting/usage')).json.data.items).toHaveLength(2);
	const t403 = await tenant.get('/v1/accounting/usage?tenant_id=globex');
	expect(t403.json.error.message).toContain('accounting:view_partner');
	const none = client(
		em,
		em.addKey({ permissions: ['models:list'], tenantId: 'acme', userId: 'usr_demo' }),
	);
	expect((await none.get('/v1/accounting/usage')).json.error.message).toContain(
		'accounting:view_own',
	);
	expect((await api.get('/v1/accounting/usage?start=yesterday')).json.error.details[0].field).toBe(
		'start',
	);
});

test('summary groups into a plain array with exact decimal sums', async () => {
	em.addUsageRecords([
		{
			model: 'openai/gpt-4o-mini',
			user_id: 'usr_alice',
			backend_id: 'be_openai_1',
			tokens_in: 1000,
			tokens_out: 500,
			created_at: '2024-04-22T01:00:00Z',
		},
		{
			model: 'openai/gpt-4o-mini',
			user_id: 'usr_bob',
			backend_id: 'be_openai_2',
			tokens_in: 1000,
			tokens_out: 500,
			created_at: '2024-04-24T01:00:00Z',
		},
		{
			model: 'anthropic/claude-sonnet',
			user_id: 'usr_bob',
			backend_id: 'be_anthropic_1',
			tokens_in: 10,
			tokens_out: 20,
			created_at: '2024-04-21T23:59:59Z',
		},
	]);
	const all = await api.get('/v1/accounting/usage/summary');
	expect(Array.isArray(all.json.data)).toBe(true);
	expect(all.json.pagination).toBeUndefined();
	expect(all.json.data).toEqual(
		[
			{
				group_key: 'anthropic/claude-sonnet',
				request_count: 1,
				input_tokens: 10,
				output_tokens: 20,
				total_tokens: 30,
				total_cost: '0.00033',
				backend_cost: '0.000231',
			},
			{
				group_key: 'openai/gpt-4o-mini',
				request_count: 2,
				input_tokens: 2000,
				output_tokens: 1000,
				total_tokens: 3000,
				total_cost: '0.0009',
				backend_cost: '0.00063',
			},
		].map((r) => ({
			...r,
			total_cost: r.total_cost.padEnd(8, '0'),
			backend_cost: r.backend_cost.padEnd(8, '0'),
		})),
	);
	const week = await api.get('/v1/accounting/usage/summary?period=week&group_by=user');
	expect(week.json.data.map((r) => [r.group_key, r.request_count])).toEqual([
		['usr_alice', 1],
		['usr_bob', 1],
	]);
	const day = await api.get('/v1/accounting/usage/summary?period=day&group_by=backend');
	expect(day.json.data.map((r) => r.group_key)).toEqual(['be_openai_2']);
	const explicit = await api.get(
		'/v1/accounting/usage/summary?period=day&start=2024-04-21T00:00:00Z&end=2024-04-22T00:00:00Z&group_by=tenant',
	);
	expect(explicit.json.data).toHaveLength(1);
	expect(explicit.json.data[0]).toMatchObject({ group_key: 'acme', request_count: 1 });
	expect((await api.get('/v1/accounting/usage/summary?group_by=color')).status).toBe(422);
});

test('budgets report current usage and block chat with BUDGET_EXCEEDED', async () => {
	const b = em.addBudget({
		name: 'ACME monthly',
		scope: 'tenant',
		scope_id: 'acme',
		period: 'monthly',
		request_limit: 2,
		cost_limit: '5.00',
	});
	expect((await api.chat(user('one'))).status).toBe(200);
	expect((await api.chat(user('two'))).status).toBe(200);
	const blocked = await api.chat(user('three'));
	expect(blocked.status).toBe(429);
	expect(blocked.json.error.code).toBe('BUDGET_EXCEEDED');
	expect(blocked.headers.get('retry-after')).toBeNull();
	expect(blocked.json.error.retry_after).toBeUndefined();
	const one = await api.get(`/v1/accounting/budgets/${b.id}`);
	expect(one.json.data).toMatchObject({
		id: b.id,
		scope: 'tenant',
		period: 'monthly',
		cost_limit: '5.00',
		request_limit: 2,
		token_limit: null,
		hard_action: 'block',
		soft_limit_pct: 0.8,
		current_requests: 2,
		is_blocked: true,
		period_start: '2024-04-01T00:00:00.000Z',
		period_end: '2024-05-01T00:00:00.000Z',
	});
	expect(one.json.data.current_tokens).toBeGreaterThan(0);
	expect(one.json.data.current_cost).toMatch(/^0\.\d{6,}$/);
	const list = await api.get('/v1/accounting/budgets');
	expect(list.json.data.items.map((x) => x.id)).toEqual([b.id]);
	const missing = await api.get('/v1/accounting/budgets/bud_nope');
	expect(missing.status).toBe(404);
	expect(missing.json.error.code).toMatch(/NOT_FOUND/);
	const notify = em.addBudget({
		scope: 'user',
		scope_id: 'usr_other',
		token_limit: 1,
		hard_action: 'notify',
	});
	expect(notify.is_blocked).toBe(false);
});

test('export as csv, json and ndjson downloads', async () => {
	em.addUsageRecords([
		{ model: 'openai/gpt-4o', tokens_in: 10, tokens_out: 5, created_at: '2024-04-23T10:00:00Z' },
		{ model: 'openai/gpt-4o', tokens_in: 20, tokens_out: 5, created_at: '2024-04-23T11:00:00Z' },
		{ model: 'openai/gpt-4o', tokens_in: 30, tokens_out: 5, created_at: '2024-04-25T11:00:00Z' },
	]);
	const q = 'start=2024-04-23T00:00:00Z&end=2024-04-24T00:00:00Z';
	const csv = await api.get(`/v1/accounting/export?${q}&format=csv`);
	expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
	expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.csv"$/);
	const lines = csv.text.trim().split('\n');
	expect(lines[0].split(',')).toEqual(
		expect.arrayContaining(['id', 'model', 'tokens_in', 'tokens_out', 'cost', 'created_at']),
	);
	expect(lines).toHaveLength(3);
	const json = await api.get(`/v1/accounting/export?${q}&format=json`);
	expect(json.headers.get('content-type')).toBe('application/json');
	expect(json.json.map((r) => r.tokens_in)).toEqual([10, 20]);
	const nd = await api.get(`/v1/accounting/export?${q}&format=ndjson`);
	expect(nd.headers.get('content-type')).toBe('application/x-ndjson');
	expect(
		nd.text
			.trim()
			.split('\n')
			.map((l) => JSON.parse(l).tokens_in),
	).toEqual([10, 20]);
	expect((await api.get('/v1/accounting/export?format=xml')).status).toBe(422);
});

test('seeded history is deterministic and spans this and last week', async () => {
	const a = await startEmulator({ seedHistory: true, now: () => new Date(NOW) });
	const b = await startEmulator({
		seedHistory: { records: 300, days: 21 },
		now: () => new Date(NOW),
	});
	try {
		expect(a.usage.length).toBeGreaterThan(200);
		expect(b.usage).toHaveLength(300);
		expect(a.usage.slice(0, 300).map((r) => r.id)).toHaveLength(300);
		const c = await startEmulator({ seedHistory: true, now: () => new Date(NOW) });
		expect(c.usage).toEqual(a.usage);
		await c.close();
		const thisWeek = a.usage.filter(
			(r) => Date.parse(r.created_at) >= Date.parse('2024-04-22T00:00:00Z'),
		);
		const lastWeek = a.usage.filter(
			(r) =>
				Date.parse(r.created_at) >= Date.parse('2024-04-15T00:00:00Z') &&
				Date.parse(r.created_at) < Date.parse('2024-04-22T00:00:00Z'),
		);
		expect(thisWeek.length).toBeGreaterThan(10);
		expect(lastWeek.length).toBeGreaterThan(50);
		expect(new Set(a.usage.map((r) => r.tenant_id)).size).toBeGreaterThanOrEqual(3);
		expect(new Set(a.usage.map((r) => r.model)).size).toBeGreaterThanOrEqual(5);
		expect(a.usage.every((r) => Date.parse(r.created_at) < NOW)).toBe(true);
	} finally {
		await a.close();
		await b.close();
	}
});
