'use strict';
const { startEmulator } = require('../../emulator');
const { useEmulator } = require('../helpers/emulator');
const { client, parseSse, user } = require('./helpers');

const em = useEmulator();
const api = client(em);

test('error codes use the retry table status, retry_after and Retry-After', async () => {
	const cases = [
		['BACKEND_RATE_LIMITED', 429],
		['BACKEND_TIMEOUT', 504],
		['BACKEND_ERROR', 502],
		['MODEL_UNAVAILABLE', 503],
		['BUDGET_EXCEEDED', 429],
		['QUOTA_EXCEEDED', 429],
		['UPSTREAM_SHAPE_MISMATCH', 502],
		['SESSION_EXPIRED', 401],
		['AUTH_INSUFFICIENT_SCOPE', 403],
		['MODEL_ACCESS_DENIED', 403],
		['SOMETHING_NEW', 500],
	];
	for (const [code, status] of cases) {
		em.failNext({ code });
		const r = await api.get('/v1/models');
		expect([code, r.status]).toEqual([code, status]);
		expect(r.json.error.code).toBe(code);
		expect(r.json.meta.request_id).toBe(r.headers.get('x-scaigrid-request-id'));
	}
	em.failNext({ code: 'RATE_LIMITED', retryAfter: 7 });
	const rl = await api.get('/v1/models');
	expect(rl.status).toBe(429);
	expect(rl.headers.get('retry-after')).toBe('7');
	expect(rl.json.error.retry_after).toBe(7);
	expect(rl.headers.get('x-scaigrid-ratelimit-remaining')).toBe('0');
	em.failNext({ code: 'BACKEND_ERROR', httpStatus: 418 });
	expect((await api.get('/v1/models')).status).toBe(418);
	expect((await api.get('/v1/models')).status).toBe(200);
});

test('count, path matching and VALIDATION_ERROR details', async () => {
	em.failNext({ code: 'BACKEND_ERROR', count: 2, path: '/v1/inference' });
	expect((await api.get('/v1/models')).status).toBe(200);
	expect((await api.chat(user('a'))).status).toBe(502);
	expect((await api.chat(user('a'))).status).toBe(502);
	expect((await api.chat(user('a'))).status).toBe(200);
	em.failNext({
		code: 'VALIDATION_ERROR',
		path: /models$/,
		details: [{ field: 'limit', message: 'too big' }],
	});
	const v = await api.get('/v1/models');
	expect(v.status).toBe(422);
	expect(v.json.error.details).toEqual([{ field: 'limit', message: 'too big' }]);
});

test('skip: the first matching requests pass, then the fault answers (a fault mid-run)', async () => {
	em.failNext({ code: 'RATE_LIMITED', retryAfter: 7, skip: 1, path: '/v1/inference/chat' });
	expect((await api.get('/v1/models')).status).toBe(200);
	expect((await api.chat(user('first call'))).status).toBe(200);
	const second = await api.chat(user('second call'));
	expect(second.status).toBe(429);
	expect(second.headers.get('retry-after')).toBe('7');
	expect((await api.chat(user('third call'))).status).toBe(200);
	expect(() => em.failNext({ code: 'BACKEND_ERROR', skip: -1 })).toThrow(/skip/);
});

test('transport faults: reset, html502, invalidJson, missingData, jsonOk, nonScaigridJson, slow', async () => {
	em.failNext({ fault: 'reset' });
	await expect(
		fetch(`${em.url}/v1/models`, { headers: { authorization: `Bearer ${em.apiKey}` } }),
	).rejects.toThrow();
	em.failNext({ fault: 'html502' });
	const h = await api.get('/v1/models');
	expect(h.status).toBe(502);
	expect(h.headers.get('content-type')).toBe('text/html');
	expect(h.text).toContain('502 Bad Gateway');
	em.failNext({ fault: 'invalidJson' });
	const j = await api.get('/v1/models');
	expect(j.status).toBe(200);
	expect(j.json).toBeUndefined();
	em.failNext({ fault: 'missingData' });
	const m = await api.get('/v1/models');
	expect(m.json.status).toBe('ok');
	expect(m.json.data).toBeUndefined();
	expect(m.json.meta.request_id).toMatch(/^req_/);
	em.failNext({ fault: 'jsonOk', data: { url: 'https://media.example/a.mp3' } });
	const o = await api.get('/v1/models');
	expect(o.json).toMatchObject({ status: 'ok', data: { url: 'https://media.example/a.mp3' } });
	em.failNext({ fault: 'nonScaigridJson' });
	const n = await api.get('/v1/models');
	expect(n.json.hello).toBe('world');
	em.failNext({ fault: 'slow', delayMs: 200 });
	const t = Date.now();
	const s = await api.get('/v1/models');
	expect(Date.now() - t).toBeGreaterThanOrEqual(190);
	expect(s.json.status).toBe('ok');
});

test('stream faults', async () => {
	const stream = () => api.chat({ ...user('alpha beta gamma delta epsilon'), stream: true });
	em.failNext({ fault: 'streamErrorMidway', code: 'BACKEND_TIMEOUT' });
	// a non-stream request does not consume a stream fault
	expect((await api.chat(user('x'))).status).toBe(200);
	let frames = parseSse((await stream()).text);
	const errAt = frames.findIndex((f) => f.event === 'error');
	expect(errAt).toBeGreaterThan(0);
	expect(JSON.parse(frames[errAt].data)).toMatchObject({ code: 'BACKEND_TIMEOUT' });
	expect(frames[frames.length - 1].data).toBe('[DONE]');
	expect(frames.slice(0, errAt).some((f) => f.data.includes('"content"'))).toBe(true);

	em.failNext({ fault: 'streamErrorFirst' });
	frames = parseSse((await stream()).text);
	expect(frames[0].event).toBe('error');
	expect(JSON.parse(frames[0].data).code).toBe('BACKEND_ERROR');
	expect(frames[1].data).toBe('[DONE]');

	em.failNext({ fault: 'streamNoDone' });
	const noDone = (await stream()).text;
	expect(noDone).toContain('"content"');
	expect(noDone).not.toContain('[DONE]');

	em.failNext({ fault: 'streamCut' });
	const res = await fetch(`${em.url}/v1/inference/chat`, {
		method: 'POST',
		headers: { authorization: `Bearer ${em.apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({
			model: 'scailabs/poolnoodle-omni',
			stream: true,
			...user('alpha beta gamma delta epsilon'),
		}),
	});
	expect(res.status).toBe(200);
	await expect(res.text()).rejects.toThrow();
	// Only the one plain chat and no failed stream was recorded as usage.
	expect(em.usage).toHaveLength(1);
});

test('rate limiter: headers count down, 429 with Retry-After, then recovers', async () => {
	em.setRateLimit({ limit: 3, windowMs: 1500 });
	const remaining = [];
	for (let i = 0; i < 3; i++)
		remaining.push((await api.get('/v1/models')).headers.get('x-scaigrid-ratelimit-remaining'));
	expect(remaining).toEqual(['2', '1', '0']);
	const r = await api.get('/v1/models');
	expect(r.status).toBe(429);
	expect(r.json.error.code).toBe('RATE_LIMITED');
	expect(r.headers.get('retry-after')).toMatch(/^[12]$/);
	expect(r.json.error.retry_after).toBe(Number(r.headers.get('retry-after')));
	expect(r.headers.get('x-scaigrid-ratelimit-remaining')).toBe('0');
	expect(r.headers.get('x-scaigrid-ratelimit-limit')).toBe('3');
	const reset = Number(r.headers.get('x-scaigrid-ratelimit-reset'));
	expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
	expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 2);
	// other keys have their own window; /health is never limited
	expect((await client(em, em.addKey({})).get('/v1/models')).status).toBe(200);
	expect((await fetch(`${em.url}/health`)).status).toBe(200);
	await new Promise((res) => setTimeout(res, 1600));
	expect((await api.get('/v1/models')).status).toBe(200);
});

test('default limit is 60 per minute per key', async () => {
	const statuses = [];
	for (let i = 0; i < 61; i++) statuses.push((await api.get('/v1/models?limit=1')).status);
	expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
	expect(statuses[60]).toBe(429);
});

test('redirect: status, absolute and relative Location, {path}, and whether Authorization arrived', async () => {
	const second = await startEmulator({ apiKey: em.apiKey });
	try {
		for (const status of [301, 302, 303, 307, 308]) {
			em.failNext({ fault: 'redirect', httpStatus: status, location: `${second.url}{path}` });
			const r = await fetch(`${em.url}/v1/models?limit=1`, {
				headers: { authorization: `Bearer ${em.apiKey}` },
				redirect: 'manual',
			});
			expect([status, r.status]).toEqual([status, status]);
			expect(r.headers.get('location')).toBe(`${second.url}/v1/models?limit=1`);
		}
		em.failNext({ fault: 'redirect', location: '/v1/models?moved=1' });
		const relative = await fetch(`${em.url}/v1/models`, { redirect: 'manual' });
		expect(relative.status).toBe(307);
		expect(relative.headers.get('location')).toBe('/v1/models?moved=1');
		expect(em.requests.at(-1)).toMatchObject({
			status: 307,
			redirectedTo: '/v1/models?moved=1',
			authorizationSent: false,
		});
		expect(em.requests[0]).toMatchObject({
			authorizationSent: true,
			headers: { authorization: 'Bearer <key_1>' },
		});

		// Followed by hand with the header re-sent: the second instance logs that the key arrived.
		await fetch(`${second.url}/v1/models`, { headers: { authorization: `Bearer ${em.apiKey}` } });
		await fetch(`${second.url}/v1/models`);
		expect(second.requests.map((r) => r.authorizationSent)).toEqual([true, false]);
		expect(JSON.stringify(second.requests)).not.toContain(em.apiKey);

		expect(() => em.failNext({ fault: 'redirect' })).toThrow(/location/);
		expect(() => em.failNext({ fault: 'redirect', location: '/x', httpStatus: 200 })).toThrow(
			/httpStatus/,
		);
	} finally {
		await second.close();
	}
});

test("RATE_LIMITED as in the docs' example: Retry-After 1, Reset a whole window ahead (resetAfter)", async () => {
	const before = Math.floor(Date.now() / 1000);
	em.failNext({ code: 'RATE_LIMITED', retryAfter: 1, resetAfter: 60 });
	const r = await api.get('/v1/models');
	expect(r.status).toBe(429);
	expect(r.headers.get('retry-after')).toBe('1');
	expect(r.json.error.retry_after).toBe(1);
	expect(r.headers.get('x-scaigrid-ratelimit-remaining')).toBe('0');
	const reset = Number(r.headers.get('x-scaigrid-ratelimit-reset'));
	expect(reset).toBeGreaterThanOrEqual(before + 60);
	expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 61);
	// Without resetAfter the reset is where the Retry-After ends.
	em.failNext({ code: 'RATE_LIMITED', retryAfter: 2 });
	const plain = await api.get('/v1/models');
	expect(Number(plain.headers.get('x-scaigrid-ratelimit-reset'))).toBeLessThanOrEqual(
		Math.ceil(Date.now() / 1000) + 3,
	);
	// resetAfter sends the trio even with the limiter off.
	em.setRateLimit(false);
	em.failNext({ code: 'RATE_LIMITED', retryAfter: 1, resetAfter: 60 });
	const off = await api.get('/v1/models');
	expect(off.headers.get('x-scaigrid-ratelimit-remaining')).toBe('0');
	expect(Number(off.headers.get('x-scaigrid-ratelimit-reset'))).toBeGreaterThanOrEqual(before + 60);
	em.failNext({ code: 'RATE_LIMITED', retryAfter: 1 });
	expect((await api.get('/v1/models')).headers.get('x-scaigrid-ratelimit-remaining')).toBeNull();
});

test('forMs: every matching request fails for that long from the first it answers, then the fault is gone', async () => {
	em.failNext({ code: 'RATE_LIMITED', retryAfter: 1, forMs: 400, path: '/v1/inference' });
	// Not started by a request it does not match.
	expect((await api.get('/v1/models')).status).toBe(200);
	await new Promise((res) => setTimeout(res, 200));
	const started = Date.now();
	const statuses = [];
	while (Date.now() - started < 300) statuses.push((await api.chat(user('a'))).status);
	expect(statuses.length).toBeGreaterThan(3);
	expect(statuses.every((s) => s === 429)).toBe(true);
	await new Promise((res) => setTimeout(res, 150));
	expect((await api.chat(user('a'))).status).toBe(200);
	expect(em.pendingFaults).toBe(0);
	expect(() => em.failNext({ code: 'RATE_LIMITED', forMs: 0 })).toThrow(/forMs/);
	expect(() => em.failNext({ code: 'RATE_LIMITED', resetAfter: -1 })).toThrow(/resetAfter/);
});
