'use strict';
// The OpenAI-compatible surface /oai/v1: OpenAI's shapes over the same gateway as /v1 (one key,
// one rate limiter, one model, one usage store).
const { useEmulator } = require('../helpers/emulator');
const { client, parseSse } = require('./helpers');

const em = useEmulator({ rateLimit: false });
const api = client(em);
const MODEL = 'scailabs/poolnoodle-omni';
const calculator = {
	type: 'function',
	function: {
		name: 'Calculator',
		description: 'Arithmetic',
		parameters: { type: 'object', properties: { input: { type: 'string' } } },
	},
};
const question = {
	role: 'user',
	content: 'What is 6 times 7? [[tool:Calculator {"input":"6*7"}]]',
};
const completions = (body) => api.post('/oai/v1/chat/completions', { model: MODEL, ...body });

test('GET /oai/v1/models lists the catalog in OpenAI list shape', async () => {
	const r = await api.get('/oai/v1/models');
	expect(r.status).toBe(200);
	expect(r.json.object).toBe('list');
	expect(r.json.status).toBeUndefined();
	const omni = r.json.data.find((m) => m.id === MODEL);
	expect(omni).toEqual({
		id: MODEL,
		object: 'model',
		created: expect.any(Number),
		owned_by: 'scailabs',
		context_window: 128000,
		max_output_tokens: 8192,
	});
	expect(r.json.data.map((m) => m.id)).toContain('openai/gpt-4o-mini');
	// One model, its slug raw (as OpenAI's SDKs send it) or encoded.
	const raw = await api.get(`/oai/v1/models/${MODEL}`);
	const encoded = await api.get(`/oai/v1/models/${encodeURIComponent(MODEL)}`);
	expect(raw.json).toEqual(omni);
	expect(encoded.json).toEqual(omni);
});

test('a completion comes without the envelope and is accounted like /v1', async () => {
	const r = await completions({
		messages: [
			{ role: 'system', content: 'Be brief.' },
			{ role: 'user', content: 'What is the capital of Switzerland?' },
		],
	});
	expect(r.status).toBe(200);
	expect(r.json).toEqual({
		id: expect.stringMatching(/^chatcmpl-/),
		object: 'chat.completion',
		created: expect.any(Number),
		model: MODEL,
		choices: [
			{
				index: 0,
				message: { role: 'assistant', content: 'Echo: What is the capital of Switzerland?' },
				finish_reason: 'stop',
				logprobs: null,
			},
		],
		usage: { prompt_tokens: 16, completion_tokens: 7, total_tokens: 23 },
	});
	expect(r.headers.get('x-scaigrid-request-id')).toMatch(/^req_/);
	expect(em.usage).toHaveLength(1);
	expect(em.usage[0]).toMatchObject({ model: MODEL, tokens_in: 16, tokens_out: 7 });
	expect(em.requests[0]).toMatchObject({ path: '/oai/v1/chat/completions', status: 200 });
});

test('a tool call and its result: the model calls the tool, then answers with the result', async () => {
	const first = await completions({ messages: [question], tools: [calculator] });
	const choice = first.json.choices[0];
	expect(choice.finish_reason).toBe('tool_calls');
	expect(choice.message).toEqual({
		role: 'assistant',
		content: null,
		tool_calls: [
			{
				id: 'call_1',
				type: 'function',
				function: { name: 'Calculator', arguments: '{"input":"6*7"}' },
			},
		],
	});
	const second = await completions({
		messages: [question, choice.message, { role: 'tool', tool_call_id: 'call_1', content: '42' }],
		tools: [calculator],
	});
	expect(second.json.choices[0]).toMatchObject({
		message: { role: 'assistant', content: 'Final answer using: Calculator=42' },
		finish_reason: 'stop',
	});
});

test('streaming: tool-call deltas, usage only when asked for, [DONE], no ScaiGrid-only events', async () => {
	const withUsage = await completions({
		messages: [question],
		tools: [calculator],
		stream: true,
		stream_options: { include_usage: true },
	});
	expect(withUsage.status).toBe(200);
	expect(withUsage.headers.get('content-type')).toBe('text/event-stream');
	const frames = parseSse(withUsage.text);
	expect(frames.every((f) => f.event === 'message' && f.comments.length === 0)).toBe(true);
	expect(frames[frames.length - 1].data).toBe('[DONE]');
	const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.data));
	expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
	const deltas = chunks.flatMap((c) => (c.choices[0] ? c.choices[0].delta.tool_calls || [] : []));
	expect(deltas[0]).toEqual({
		index: 0,
		id: 'call_1',
		type: 'function',
		function: { name: 'Calculator', arguments: '' },
	});
	expect(deltas.map((d) => d.function.arguments).join('')).toBe('{"input":"6*7"}');
	const finish = chunks.find((c) => c.choices[0] && c.choices[0].finish_reason);
	expect(finish.choices[0].finish_reason).toBe('tool_calls');
	const last = chunks[chunks.length - 1];
	expect(last.choices).toEqual([]);
	expect(last.usage).toEqual({ prompt_tokens: 21, completion_tokens: 5, total_tokens: 26 });

	const text = await completions({
		messages: [{ role: 'user', content: 'Hello there' }],
		stream: true,
	});
	const textChunks = parseSse(text.text)
		.slice(0, -1)
		.map((f) => JSON.parse(f.data));
	expect(textChunks.some((c) => c.usage)).toBe(false);
	expect(textChunks.map((c) => (c.choices[0] && c.choices[0].delta.content) || '').join('')).toBe(
		'Echo: Hello there',
	);
});

test('one rate limit for /v1 and /oai/v1: a 429 in OpenAI shape with Retry-After', async () => {
	em.setRateLimit({ limit: 2, windowMs: 10000 });
	const native = await api.chat({ messages: [{ role: 'user', content: 'one' }] });
	const compat = await completions({ messages: [{ role: 'user', content: 'two' }] });
	expect([native.status, compat.status]).toEqual([200, 200]);
	expect(compat.headers.get('x-scaigrid-ratelimit-remaining')).toBe('0');
	const refused = await completions({ messages: [{ role: 'user', content: 'three' }] });
	expect(refused.status).toBe(429);
	expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(9);
	expect(refused.headers.get('x-scaigrid-ratelimit-limit')).toBe('2');
	expect(refused.json).toEqual({
		error: {
			message: expect.stringContaining('Rate limit exceeded'),
			type: 'rate_limit_error',
			code: 'RATE_LIMITED',
			param: null,
		},
	});
	const nativeRefused = await api.chat({ messages: [{ role: 'user', content: 'four' }] });
	expect(nativeRefused.status).toBe(429);
	expect(nativeRefused.json.error.code).toBe('RATE_LIMITED');
});

test('errors and faults answer in OpenAI shape', async () => {
	const bad = await client(em, 'sgk_wrong').get('/oai/v1/models');
	expect(bad.status).toBe(401);
	expect(bad.json.error).toMatchObject({
		type: 'authentication_error',
		code: 'AUTH_TOKEN_INVALID',
	});
	const unknown = await completions({
		model: 'nope/x',
		messages: [{ role: 'user', content: 'x' }],
	});
	expect(unknown.status).toBe(404);
	expect(unknown.json.error).toMatchObject({ type: 'not_found_error', code: 'MODEL_NOT_FOUND' });
	em.failNext({ code: 'RATE_LIMITED', retryAfter: 7, path: '/oai/v1/chat/completions' });
	const faulted = await completions({ messages: [{ role: 'user', content: 'x' }] });
	expect(faulted.status).toBe(429);
	expect(faulted.headers.get('retry-after')).toBe('7');
	expect(faulted.json.error).toMatchObject({ type: 'rate_limit_error', code: 'RATE_LIMITED' });
	em.addBudget({
		name: 'cap',
		scope: 'tenant',
		scope_id: 'acme',
		period: 'monthly',
		request_limit: 0,
		hard_action: 'block',
	});
	const budget = await completions({ messages: [{ role: 'user', content: 'x' }] });
	expect(budget.status).toBe(429);
	expect(budget.headers.get('retry-after')).toBeNull();
	expect(budget.json.error).toMatchObject({ type: 'insufficient_quota', code: 'BUDGET_EXCEEDED' });
});
