'use strict';
const { useEmulator } = require('../helpers/emulator');
const { client, parseSse, user } = require('./helpers');

const em = useEmulator({ rateLimit: false });
const api = client(em);
const weather = {
	type: 'function',
	function: {
		name: 'get_weather',
		description: 'Weather',
		parameters: { type: 'object', properties: { location: { type: 'string' } } },
	},
};
const time = { type: 'function', function: { name: 'get_time', parameters: { type: 'object' } } };

test('echoes the last user text with deterministic usage', async () => {
	const body = {
		messages: [
			{ role: 'system', content: 'Be brief.' },
			{ role: 'user', content: 'What is the capital of Switzerland?' },
		],
	};
	const r = await api.chat(body);
	expect(r.status).toBe(200);
	const d = r.json.data;
	expect(d.id).toMatch(/^chatcmpl-/);
	expect(d.model).toBe('scailabs/poolnoodle-omni');
	expect(Number.isInteger(d.created)).toBe(true);
	expect(d.choices).toEqual([
		{
			index: 0,
			message: { role: 'assistant', content: 'Echo: What is the capital of Switzerland?' },
			finish_reason: 'stop',
		},
	]);
	// 2 messages × 4 overhead + 2 + 6 words; reply has 7 words.
	expect(d.usage).toEqual({ prompt_tokens: 16, completion_tokens: 7, total_tokens: 23 });
	expect(d._meta.request_id).toBe(r.json.meta.request_id);
	const again = await api.chat(body);
	expect(again.json.data.choices).toEqual(d.choices);
	expect(again.json.data.usage).toEqual(d.usage);
});

test('mentions image and audio parts', async () => {
	const r = await api.chat(
		user([
			{ type: 'text', text: 'Describe these' },
			{ type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } },
			{ type: 'image_base64', image_base64: { data: 'iVBORw0KGgo=', media_type: 'image/png' } },
			{ type: 'audio_base64', audio_base64: { data: 'UklGRg==', media_type: 'audio/wav' } },
		]),
	);
	expect(r.json.data.choices[0].message.content).toBe('Echo: Describe these [2 images, 1 audio]');
	const bad = await api.chat(user([{ type: 'video_url', video_url: { url: 'x' } }]));
	expect(bad.status).toBe(422);
	expect(bad.json.error.details[0].field).toBe('messages[0].content[0].type');
	const novision = await api.chat({
		model: 'meta/llama-3.1-70b',
		...user([{ type: 'image_url', image_url: { url: 'https://x/y.png' } }]),
	});
	expect(novision.status).toBe(422);
});

test('tool directives produce tool calls with JSON-string arguments', async () => {
	const r = await api.chat({
		...user(
			'Weather and time? [[tool:get_weather {"location":"Zürich"}]] [[tool:get_time {"tz":"CET"}]]',
		),
		tools: [weather, time],
	});
	const c = r.json.data.choices[0];
	expect(c.finish_reason).toBe('tool_calls');
	expect(c.message.content).toBeNull();
	expect(c.message.tool_calls).toEqual([
		{
			id: 'call_1',
			type: 'function',
			function: { name: 'get_weather', arguments: '{"location":"Zürich"}' },
		},
		{ id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{"tz":"CET"}' } },
	]);
	const raw = await api.chat({
		...user('[[tool:get_weather raw:{"location": Zür]]'),
		tools: [weather],
	});
	expect(raw.json.data.choices[0].message.tool_calls[0].function.arguments).toBe(
		'{"location": Zür',
	);
	const unknown = await api.chat({ ...user('[[tool:launch_rockets {}]]'), tools: [weather] });
	expect(unknown.json.data.choices[0].finish_reason).toBe('stop');
	expect(unknown.json.data.choices[0].message.content).toBe('Echo: [[tool:launch_rockets {}]]');
});

test('tool_choice none, required and named', async () => {
	const none = await api.chat({
		...user('[[tool:get_weather {"location":"Bern"}]]'),
		tools: [weather],
		tool_choice: 'none',
	});
	expect(none.json.data.choices[0].message.tool_calls).toBeUndefined();
	const req = await api.chat({ ...user('hello'), tools: [weather, time], tool_choice: 'required' });
	expect(req.json.data.choices[0].message.tool_calls).toEqual([
		{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
	]);
	const named = await api.chat({
		...user('[[tool:get_time {"tz":"UTC"}]]'),
		tools: [weather, time],
		tool_choice: { type: 'function', function: { name: 'get_time' } },
	});
	expect(named.json.data.choices[0].message.tool_calls[0].function).toEqual({
		name: 'get_time',
		arguments: '{"tz":"UTC"}',
	});
	const missing = await api.chat({
		...user('x'),
		tools: [weather],
		tool_choice: { type: 'function', function: { name: 'nope' } },
	});
	expect(missing.status).toBe(422);
});

test('a forced tool_choice: arguments built from the schema, attempts in order, text on request, after tool messages too', async () => {
	const order = {
		type: 'function',
		function: {
			name: 'order',
			parameters: {
				type: 'object',
				properties: {
					customer: { type: 'string', minLength: 10 },
					status: { type: 'string', enum: ['new', 'paid'] },
					lines: {
						type: 'array',
						minItems: 2,
						items: {
							type: 'object',
							properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 3 } },
						},
					},
					rush: { type: ['boolean', 'null'] },
					total: { type: 'number' },
				},
			},
		},
	};
	const force = {
		tools: [weather, order],
		tool_choice: { type: 'function', function: { name: 'order' } },
	};
	const built = await api.chat({ ...user('an order'), ...force });
	const call = built.json.data.choices[0].message.tool_calls[0];
	expect(call.function.name).toBe('order');
	expect(JSON.parse(call.function.arguments)).toEqual({
		customer: 'examplexxx',
		status: 'new',
		lines: [
			{ sku: 'example', qty: 3 },
			{ sku: 'example', qty: 3 },
		],
		rush: true,
		total: 1,
	});
	const ask = '[[tool:order raw:not json]] [[tool:order {"customer":"Ada"}]]';
	const first = await api.chat({ ...user(ask), ...force });
	expect(first.json.data.choices[0].message.tool_calls[0].function.arguments).toBe('not json');
	// Attempt 2 (one assistant turn after the message, then a tool message saying what was wrong).
	const messages = [
		{ role: 'user', content: ask },
		{ role: 'assistant', content: null, tool_calls: first.json.data.choices[0].message.tool_calls },
		{ role: 'tool', tool_call_id: 'call_1', content: 'Error: not JSON' },
	];
	const second = await api.chat({ messages, ...force });
	expect(second.json.data.choices[0].message.tool_calls[0]).toMatchObject({
		id: 'call_2',
		function: { name: 'order', arguments: '{"customer":"Ada"}' },
	});
	const third = await api.chat({
		messages: [
			...messages,
			{
				role: 'assistant',
				content: null,
				tool_calls: second.json.data.choices[0].message.tool_calls,
			},
			{ role: 'tool', tool_call_id: 'call_2', content: 'Error' },
		],
		...force,
	});
	expect(third.json.data.choices[0].message.tool_calls[0].function.arguments).toBe(
		'{"customer":"Ada"}',
	);

	const text = await api.chat({ ...user('Just talk [[ignore_tool_choice]]'), ...force });
	expect(text.json.data.choices[0]).toMatchObject({
		message: { content: 'Echo: Just talk [[ignore_tool_choice]]' },
		finish_reason: 'stop',
	});
	const obeys = await api.chat({
		messages: [
			{ role: 'user', content: 'Just talk [[ignore_tool_choice]]' },
			{ role: 'assistant', content: 'Echo: Just talk' },
			{ role: 'user', content: 'Call the tool.' },
		],
		...force,
	});
	expect(obeys.json.data.choices[0].message.tool_calls[0].function.name).toBe('order');
});

test('tool_choice required after tool results calls the tools of [[then:NAME ...]]', async () => {
	const messages = [
		{
			role: 'user',
			content: 'go [[tool:get_weather {"location":"Bern"}]] [[then:get_time {"tz":"CET"}]]',
		},
		{
			role: 'assistant',
			content: null,
			tool_calls: [
				{
					id: 'call_1',
					type: 'function',
					function: { name: 'get_weather', arguments: '{"location":"Bern"}' },
				},
			],
		},
		{ role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
	];
	const required = await api.chat({ messages, tools: [weather, time], tool_choice: 'required' });
	expect(required.json.data.choices[0].message.tool_calls).toEqual([
		{ id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{"tz":"CET"}' } },
	]);
	const auto = await api.chat({ messages, tools: [weather, time] });
	expect(auto.json.data.choices[0].message.content).toBe('Final answer using: get_weather=sunny');
});

test('tool results come back in the final answer', async () => {
	const r = await api.chat({
		tools: [weather, time],
		messages: [
			{ role: 'user', content: 'go' },
			{
				role: 'assistant',
				content: null,
				tool_calls: [
					{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
					{ id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
				],
			},
			{ role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
			{ role: 'tool', tool_call_id: 'call_2', content: '12:00' },
		],
	});
	expect(r.json.data.choices[0].message.content).toBe(
		'Final answer using: get_weather=sunny; get_time=12:00',
	);
	const noId = await api.chat({
		messages: [
			{ role: 'user', content: 'x' },
			{ role: 'tool', content: 'y' },
		],
	});
	expect(noId.status).toBe(422);
	expect(noId.json.error.details.map((d) => d.field)).toContain('messages[1].tool_call_id');
});

test('max_tokens truncates with finish_reason length; reply, dump and content_filter directives', async () => {
	const r = await api.chat({ ...user('one two three four five six'), max_tokens: 3 });
	expect(r.json.data.choices[0]).toMatchObject({
		message: { content: 'Echo: one two' },
		finish_reason: 'length',
	});
	expect(r.json.data.usage.completion_tokens).toBe(3);
	const reply = await api.chat(user('[[reply:Bern.]]'));
	expect(reply.json.data.choices[0].message.content).toBe('Bern.');
	const filtered = await api.chat(user('bad [[content_filter]]'));
	expect(filtered.json.data.choices[0].finish_reason).toBe('content_filter');
	const dump = await api.chat({ ...user('[[dump]]'), temperature: 0.2, metadata: { run: 7 } });
	const seen = JSON.parse(dump.json.data.choices[0].message.content);
	expect(seen).toMatchObject({
		temperature: 0.2,
		metadata: { run: 7 },
		model: 'scailabs/poolnoodle-omni',
	});
});

test('validation errors name the fields', async () => {
	const r = await api.post('/v1/inference/chat', {
		model: 'scailabs/poolnoodle-omni',
		messages: [],
		temperature: 3,
		top_p: -1,
		max_tokens: 9000,
	});
	expect(r.status).toBe(422);
	expect(r.json.error.code).toBe('VALIDATION_ERROR');
	expect(r.json.error.details.map((d) => d.field).sort()).toEqual([
		'max_tokens',
		'messages',
		'temperature',
		'top_p',
	]);
	const role = await api.chat({ messages: [{ role: 'robot', content: 'x' }] });
	expect(role.json.error.details[0].field).toBe('messages[0].role');
	const noModel = await api.post('/v1/inference/chat', {
		messages: [{ role: 'user', content: 'x' }],
	});
	expect(noModel.json.error.details[0].field).toBe('model');
	const unknown = await api.chat({
		model: 'acme/unknown',
		messages: [{ role: 'user', content: 'x' }],
	});
	expect(unknown.status).toBe(404);
	expect(unknown.json.error.code).toBe('MODEL_NOT_FOUND');
	const noMax = await api.chat({ model: 'meta/llama-3.1-70b', ...user('x'), max_tokens: 100000 });
	expect(noMax.status).toBe(200);
});

test('model availability and persona access', async () => {
	const down = await api.chat({ model: 'anthropic/claude-opus', ...user('x') });
	expect(down.status).toBe(503);
	expect(down.json.error.code).toBe('MODEL_UNAVAILABLE');
	const mine = await api.chat({ model: 'tenant/acme/support-bot', ...user('x') });
	expect(mine.status).toBe(200);
	const theirs = await api.chat({ model: 'tenant/globex/legal-bot', ...user('x') });
	expect(theirs.status).toBe(403);
	expect(theirs.json.error.code).toBe('MODEL_ACCESS_DENIED');
	const noUse = em.addKey({ permissions: ['models:list'], tenantId: 'acme', userId: 'usr_x' });
	const denied = await client(em, noUse).chat(user('x'));
	expect(denied.status).toBe(403);
	expect(denied.json.error.message).toContain('models:use');
});

test('streams word chunks, a keep-alive, an unknown event, finish, usage and [DONE]', async () => {
	const r = await api.chat({ ...user('Nodes whisper softly'), stream: true });
	expect(r.status).toBe(200);
	expect(r.headers.get('content-type')).toBe('text/event-stream');
	expect(r.headers.get('x-scaigrid-request-id')).toMatch(/^req_/);
	const frames = parseSse(r.text);
	expect(frames.some((f) => f.comments.includes('keep-alive'))).toBe(true);
	expect(frames.some((f) => f.event === 'persona_status')).toBe(true);
	const data = frames.filter((f) => f.event === 'message' && f.data);
	expect(data[data.length - 1].data).toBe('[DONE]');
	const chunks = data.slice(0, -1).map((f) => JSON.parse(f.data));
	const text = chunks.map((c) => (c.choices[0] && c.choices[0].delta.content) || '').join('');
	expect(text).toBe('Echo: Nodes whisper softly');
	expect(chunks.filter((c) => c.choices[0] && c.choices[0].delta.content).length).toBe(4);
	expect(chunks[chunks.length - 2].choices[0].finish_reason).toBe('stop');
	expect(chunks[chunks.length - 1]).toMatchObject({
		choices: [],
		usage: { prompt_tokens: 7, completion_tokens: 4, total_tokens: 11 },
	});
	expect(em.usage).toHaveLength(1);
});

test('streams tool calls as fragments joined by index', async () => {
	const r = await api.chat({
		...user('[[tool:get_weather {"location":"Zürich"}]] [[tool:get_time]]'),
		tools: [weather, time],
		stream: true,
	});
	const chunks = parseSse(r.text)
		.filter((f) => f.event === 'message' && f.data && f.data !== '[DONE]')
		.map((f) => JSON.parse(f.data));
	const calls = [];
	for (const c of chunks) {
		for (const tc of (c.choices[0] && c.choices[0].delta.tool_calls) || []) {
			calls[tc.index] = calls[tc.index] || { id: '', name: '', arguments: '' };
			if (tc.id) calls[tc.index].id = tc.id;
			if (tc.function && tc.function.name) calls[tc.index].name = tc.function.name;
			if (tc.function && tc.function.arguments) calls[tc.index].arguments += tc.function.arguments;
		}
	}
	expect(calls).toEqual([
		{ id: 'call_1', name: 'get_weather', arguments: '{"location":"Zürich"}' },
		{ id: 'call_2', name: 'get_time', arguments: '{}' },
	]);
	expect(
		chunks.filter(
			(c) =>
				c.choices[0] &&
				c.choices[0].delta.tool_calls &&
				c.choices[0].delta.tool_calls[0].index === 0,
		).length,
	).toBeGreaterThan(2);
	expect(
		chunks.find((c) => c.choices[0] && c.choices[0].finish_reason).choices[0].finish_reason,
	).toBe('tool_calls');
});

test('errors before a stream are plain JSON errors', async () => {
	const r = await api.chat({ model: 'nope/nope', ...user('x'), stream: true });
	expect(r.status).toBe(404);
	expect(r.headers.get('content-type')).toBe('application/json');
	expect(r.json.error.code).toBe('MODEL_NOT_FOUND');
});
