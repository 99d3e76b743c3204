'use strict';
const { useEmulator } = require('../helpers/emulator');
const { client } = require('./helpers');

const em = useEmulator();
const api = client(em);

describe('transport', () => {
	test('health and metrics need no key', async () => {
		const h = await fetch(`${em.url}/health`);
		expect(h.status).toBe(200);
		expect(await h.json()).toEqual({ status: 'ok' });
		const m = await fetch(`${em.url}/metrics`);
		expect(m.status).toBe(200);
		expect(await m.text()).toMatch(/^# HELP scaigrid_requests_total/);
	});

	test('default key looks like a ScaiGrid key', () => {
		expect(em.apiKey).toMatch(/^sgk_[0-9a-f]{40}$/);
		expect(em.url).toBe(`http://127.0.0.1:${em.port}`);
	});

	test('success envelope, request id header and rate-limit trio', async () => {
		const r = await api.get('/v1/models');
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toBe('application/json');
		const id = r.headers.get('x-scaigrid-request-id');
		expect(id).toMatch(/^req_/);
		expect(r.json.status).toBe('ok');
		expect(r.json.meta).toEqual({ request_id: id });
		expect(r.headers.get('x-scaigrid-ratelimit-limit')).toBe('60');
		expect(r.headers.get('x-scaigrid-ratelimit-remaining')).toBe('59');
		const reset = Number(r.headers.get('x-scaigrid-ratelimit-reset'));
		expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 59);
		expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 61);
	});

	test('401 without header, with unknown key and with revoked key', async () => {
		const none = await fetch(`${em.url}/v1/models`);
		expect(none.status).toBe(401);
		const body = await none.json();
		expect(body.status).toBe('error');
		expect(body.error.code).toBe('AUTH_TOKEN_MISSING');
		expect(body.meta.request_id).toMatch(/^req_/);
		const bad = await client(em, 'sgk_' + 'x'.repeat(40)).get('/v1/models');
		expect(bad.status).toBe(401);
		expect(bad.json.error.code).toBe('AUTH_TOKEN_INVALID');
		const revoked = em.addKey({
			permissions: ['models:list'],
			tenantId: 'acme',
			userId: 'usr_x',
			revoked: true,
		});
		const r = await client(em, revoked).get('/v1/models');
		expect(r.status).toBe(401);
		expect(r.json.error.code).toBe('AUTH_TOKEN_INVALID');
	});

	test('403 names the missing permission', async () => {
		const key = em.addKey({ permissions: ['models:use'], tenantId: 'acme', userId: 'usr_x' });
		const r = await client(em, key).get('/v1/models');
		expect(r.status).toBe(403);
		expect(r.json.error.code).toBe('AUTHZ_PERMISSION_DENIED');
		expect(r.json.error.message).toContain('models:list');
	});

	test('unknown /v1 path is 404 NOT_FOUND; invalid JSON is 422 VALIDATION_ERROR', async () => {
		const r = await api.get('/v1/nope');
		expect(r.status).toBe(404);
		expect(r.json.error.code).toBe('NOT_FOUND');
		const j = await api.post('/v1/inference/chat', '{"model":');
		expect(j.status).toBe(422);
		expect(j.json.error.code).toBe('VALIDATION_ERROR');
		expect(j.json.error.details[0].field).toBe('body');
	});

	test('request log hides the key and records status, query and body', async () => {
		await api.get('/v1/models?modality=chat');
		await api.chat({ messages: [{ role: 'user', content: 'hi' }] });
		expect(em.requests).toHaveLength(2);
		const [a, b] = em.requests;
		expect(a).toMatchObject({
			method: 'GET',
			path: '/v1/models',
			query: { modality: 'chat' },
			body: null,
			status: 200,
		});
		expect(b.body.messages[0].content).toBe('hi');
		expect(JSON.stringify(em.requests)).not.toContain(em.apiKey);
		expect(a.headers.authorization).toBe('Bearer <key_1>');
		expect(b.time).toBeGreaterThanOrEqual(a.time);
		em.clearRequests();
		expect(em.requests).toHaveLength(0);
	});

	test('keep-alive connections are reused across many requests', async () => {
		em.setRateLimit(false);
		const http = require('node:http');
		const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
		const sockets = new Set();
		const one = () =>
			new Promise((resolve, reject) => {
				const req = http.get(
					`${em.url}/v1/models?limit=1`,
					{ agent, headers: { authorization: `Bearer ${em.apiKey}` } },
					(res) => {
						res.resume();
						res.on('end', () => resolve(res.statusCode));
					},
				);
				req.on('socket', (socket) => sockets.add(socket));
				req.on('error', reject);
			});
		const statuses = await Promise.all(Array.from({ length: 200 }, one));
		agent.destroy();
		expect(statuses.every((s) => s === 200)).toBe(true);
		expect(sockets.size).toBeLessThanOrEqual(2);
	});

	test('latency option delays /v1 answers', async () => {
		em.setLatency(150);
		const t = Date.now();
		await api.get('/v1/models');
		expect(Date.now() - t).toBeGreaterThanOrEqual(140);
		em.setLatency((req) => (req.path.includes('accounting') ? 0 : 10));
	});
});

describe('models', () => {
	test('pages through the catalog with cursors; pagination is a sibling of data', async () => {
		em.setModelsPageSize(10);
		const seen = [];
		let cursor;
		let pages = 0;
		do {
			const r = await api.get(`/v1/models${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
			expect(r.json.data.items.length).toBeLessThanOrEqual(10);
			seen.push(...r.json.data.items.map((m) => m.slug));
			cursor = r.json.pagination.has_more ? r.json.pagination.next_cursor : null;
			pages++;
		} while (cursor);
		expect(pages).toBe(3);
		expect(new Set(seen).size).toBe(seen.length);
		expect(seen.length).toBeGreaterThanOrEqual(24);
		expect(seen).toEqual(
			expect.arrayContaining([
				'scailabs/poolnoodle-omni',
				'openai/gpt-4o',
				'anthropic/claude-sonnet',
				'meta/llama-3.1-70b',
				'tenant/acme/support-bot',
			]),
		);
	});

	test('filters by modality, status and limit', async () => {
		const emb = await api.get('/v1/models?modality=embedding&limit=100');
		expect(emb.json.data.items.length).toBeGreaterThan(0);
		expect(emb.json.data.items.every((m) => m.modality === 'embedding')).toBe(true);
		const dep = await api.get('/v1/models?status=deprecated&limit=100');
		expect(dep.json.data.items.map((m) => m.status)).toEqual(
			dep.json.data.items.map(() => 'deprecated'),
		);
		expect(dep.json.data.items.length).toBeGreaterThan(0);
		const two = await api.get('/v1/models?modality=chat&limit=2');
		expect(two.json.data.items).toHaveLength(2);
		expect(two.json.pagination.has_more).toBe(true);
		const bad = await api.get('/v1/models?modality=video');
		expect(bad.status).toBe(422);
		expect(bad.json.error.details[0].field).toBe('modality');
	});

	test('catalog covers the optional shapes', async () => {
		const items = (await api.get('/v1/models?limit=100')).json.data.items;
		const llama = items.find((m) => m.slug === 'meta/llama-3.1-70b');
		expect(llama.max_output_tokens).toBeUndefined();
		expect(items.some((m) => m.health_status === 'degraded' && m.active_backend_count === 0)).toBe(
			true,
		);
		expect(items.some((m) => m.modality === 'chat' && m.input_price_per_mtok === undefined)).toBe(
			true,
		);
		expect(
			items.some((m) => m.input_price_per_mtok === '0.15' && m.output_price_per_mtok === '0.60'),
		).toBe(true);
		expect(new Set(items.map((m) => m.modality))).toEqual(
			new Set(['chat', 'embedding', 'image', 'audio']),
		);
	});

	test('GET one model with %2F; unknown slug is MODEL_NOT_FOUND naming it', async () => {
		const r = await api.get('/v1/models/scailabs%2Fpoolnoodle-omni');
		expect(r.status).toBe(200);
		expect(r.json.data).toMatchObject({
			slug: 'scailabs/poolnoodle-omni',
			max_output_tokens: 8192,
			input_price_per_mtok: '2.50',
			output_price_per_mtok: '10.00',
		});
		const p = await api.get('/v1/models/tenant%2Facme%2Fsupport-bot');
		expect(p.json.data.slug).toBe('tenant/acme/support-bot');
		const u = await api.get('/v1/models/nobody%2Fnothing');
		expect(u.status).toBe(404);
		expect(u.json.error.code).toBe('MODEL_NOT_FOUND');
		expect(u.json.error.message).toContain('nobody/nothing');
	});
});

describe('control surface', () => {
	test('fail-next, config, keys, budgets, requests and reset over HTTP without auth', async () => {
		const post = (p, b) =>
			fetch(em.url + p, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(b),
			}).then((r) => r.json());
		expect(
			await post('/_emulator/fail-next', { code: 'BACKEND_TIMEOUT', path: '/v1/models' }),
		).toMatchObject({ ok: true });
		const failed = await api.get('/v1/models');
		expect(failed.status).toBe(504);
		expect(failed.json.error.code).toBe('BACKEND_TIMEOUT');
		await post('/_emulator/config', {
			modelsPageSize: 3,
			rateLimit: { limit: 5, windowMs: 60000 },
		});
		const page = await api.get('/v1/models');
		expect(page.json.data.items).toHaveLength(3);
		expect(page.headers.get('x-scaigrid-ratelimit-limit')).toBe('5');
		const { key } = await post('/_emulator/keys', {
			permissions: ['models:list'],
			tenantId: 'globex',
			userId: 'usr_carol',
		});
		expect((await client(em, key).get('/v1/models')).status).toBe(200);
		const budget = await post('/_emulator/budgets', {
			name: 'Tiny',
			scope: 'tenant',
			scope_id: 'acme',
			period: 'monthly',
			request_limit: 10,
		});
		expect(budget.id).toMatch(/^bud_/);
		const log = await fetch(`${em.url}/_emulator/requests`).then((r) => r.json());
		expect(log.map((e) => e.path)).toEqual(['/v1/models', '/v1/models', '/v1/models']);
		expect(log.map((e) => e.status)).toEqual([504, 200, 200]);
		await post('/_emulator/reset', {});
		expect(em.requests).toHaveLength(0);
		expect((await api.get('/v1/models')).json.data.items).toHaveLength(20);
	});
});
