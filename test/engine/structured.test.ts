/**
 * Output Format = JSON Schema on ScaiGrid Chat, in n8n's engine against the emulator: the
 * request (one internal tool, forced; "required" beside real tools), the answer parsed and
 * checked (nested objects and lists, enums, required fields), invalid answers asked again or
 * failing the item with the raw text and each violation (Error output too), a text answer
 * instead of the call, every prompt mode, attachments, streaming, real tools beside the schema,
 * and 100 items at concurrency 5.
 */
import { binaryData, runWorkflow } from '../helpers/engine';
import type { RunResult } from '../helpers/engine';
import { chatRequests } from '../helpers/requestLog';
import {
	CHAT,
	CHAT_NODE,
	chatParameters,
	chatWorkflow,
	credentialsFor,
} from '../helpers/workflows';
import type { NodeSettings } from '../helpers/workflows';
import { makePng } from '../fixtures/media';
import { useEmulator } from '../helpers/emulator';

const em = useEmulator({ rateLimit: false });

async function run(
	workflow: object,
	triggerItems: object[] = [{ json: {} }],
	streaming = false,
): Promise<RunResult> {
	const result = await runWorkflow(workflow, {
		credentials: credentialsFor(em),
		triggerItems: triggerItems as never,
		streaming,
	});
	expect(JSON.stringify(result.runData) + JSON.stringify(result.error ?? null)).not.toContain(
		em.apiKey,
	);
	return result;
}

const field = (name: string, type: string, extra: Record<string, unknown> = {}) => ({
	name,
	type,
	required: true,
	...extra,
});

/** Fields: a customer, a status from a list, a quantity, an optional note. */
const FIELDS = {
	field: [
		field('customer', 'string', { description: 'Who ordered' }),
		field('status', 'string', { allowedValues: 'new, paid, shipped' }),
		field('quantity', 'integer'),
		field('note', 'string', { required: false }),
	],
};

/** A nested order: an address object and a list of lines, each with an enum unit. */
const ORDER_SCHEMA = {
	type: 'object',
	properties: {
		customer: { type: 'string' },
		address: {
			type: 'object',
			properties: { city: { type: 'string' }, zip: { type: 'string' } },
			required: ['city'],
		},
		lines: {
			type: 'array',
			minItems: 1,
			items: {
				type: 'object',
				properties: {
					sku: { type: 'string' },
					quantity: { type: 'integer' },
					unit: { type: 'string', enum: ['piece', 'box'] },
				},
				required: ['sku', 'quantity'],
				additionalProperties: false,
			},
		},
	},
	required: ['customer', 'lines'],
};

function structured(
	question: string,
	extra: Record<string, unknown> = {},
	options: Record<string, unknown> = {},
) {
	return chatParameters({
		userMessage: question,
		outputFormat: 'jsonSchema',
		schemaMode: 'fields',
		schemaFields: FIELDS,
		...extra,
		options,
	});
}

function nested(question: string, options: Record<string, unknown> = {}) {
	return structured(
		question,
		{ schemaMode: 'jsonSchema', jsonSchema: JSON.stringify(ORDER_SCHEMA), schemaName: 'order' },
		options,
	);
}

function chat(parameters: Record<string, unknown>, settings: NodeSettings = {}) {
	return chatWorkflow(parameters as never, { ...CHAT_NODE, ...settings });
}

const GOOD = '{"customer":"Ada","status":"paid","quantity":3}';

describe('a valid answer', () => {
	it('sends one forced internal tool and puts the object in "json" beside usage, cost and request ID', async () => {
		const result = await run(chat(structured(`Order? [[tool:structured_answer ${GOOD}]]`)));
		expect(result.error).toBeUndefined();
		const [request] = chatRequests(em);
		expect(request.body.tools).toEqual([
			{
				type: 'function',
				function: {
					name: 'structured_answer',
					description: 'Give your final answer by calling this tool: its arguments are the answer.',
					parameters: {
						type: 'object',
						properties: {
							customer: { type: 'string', description: 'Who ordered' },
							status: { type: 'string', enum: ['new', 'paid', 'shipped'] },
							quantity: { type: 'integer' },
							note: { type: 'string' },
						},
						required: ['customer', 'status', 'quantity'],
					},
				},
			},
		]);
		expect(request.body.tool_choice).toEqual({
			type: 'function',
			function: { name: 'structured_answer' },
		});
		const outputs = result.runData[CHAT].at(-1)!.data!.main;
		expect(outputs).toHaveLength(1); // the schema's tool is never an output
		const [item] = result.output(CHAT);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			json: { customer: 'Ada', status: 'paid', quantity: 3 },
			finishReason: 'tool_calls',
			model: 'scailabs/poolnoodle-omni',
			attempts: 1,
			requestId: expect.stringMatching(/^req_/),
			usage: { promptTokens: expect.any(Number), completionTokens: expect.any(Number) },
			cost: expect.any(Number),
		});
		expect(item.json).not.toHaveProperty('text');
		expect(item.json).not.toHaveProperty('fixAttempts');
	});

	it('uses the Schema Name and Description, and the object maps with {{ $json.json.customer }}', async () => {
		const wf = chat(
			structured('Order? [[tool:order {"customer":"Bo","status":"new","quantity":1}]]', {
				schemaName: 'order',
				schemaDescription: 'The order',
			}),
		);
		wf.nodes.push({
			id: 'set',
			name: 'Map',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [500, 0],
			parameters: {
				mode: 'manual',
				assignments: {
					assignments: [
						{ id: 'a', name: 'who', value: '={{ $json.json.customer }}', type: 'string' },
					],
				},
				options: {},
			},
		} as never);
		(wf.connections as any)[CHAT] = { main: [[{ node: 'Map', type: 'main', index: 0 }]] };
		const result = await run(wf);
		expect(chatRequests(em)[0].body.tools[0].function).toMatchObject({
			name: 'order',
			description: 'The order',
		});
		expect(result.output('Map')[0].json).toEqual({ who: 'Bo' });
	});

	it('Simplify off: the raw response plus "json", request ID and cost', async () => {
		const result = await run(
			chat(structured(`[[tool:structured_answer ${GOOD}]]`, { simplify: false })),
		);
		const [item] = result.output(CHAT);
		expect(item.json).toMatchObject({
			json: { customer: 'Ada' },
			choices: expect.any(Array),
			requestId: expect.any(String),
			cost: expect.any(Number),
		});
	});

	it('checks nested objects, arrays of objects and enums (JSON Schema mode); builds a fitting answer without a directive', async () => {
		const ok = await run(chat(nested('An order')));
		expect(ok.error).toBeUndefined();
		// The emulator builds the answer from the schema: every property, enums their first value.
		expect(ok.output(CHAT)[0].json.json).toEqual({
			customer: 'example',
			address: { city: 'example', zip: 'example' },
			lines: [{ sku: 'example', quantity: 1, unit: 'piece' }],
		});
		const bad = await run(
			chat(
				nested(
					'An order [[tool:order {"customer":"Ada","address":{"zip":"3000"},"lines":[{"sku":"A","quantity":"2","unit":"crate","color":"red"}]}]]',
				),
			),
		);
		const error: any = bad.nodeError(CHAT);
		expect(error.message).toMatch(
			/^The model's answer does not fit the JSON Schema: the answer does not match the schema: /,
		);
		expect(error.description).toContain('answer.address.city: is required');
		expect(error.description).toContain(
			'answer.lines[0].quantity: must be integer (got string "2")',
		);
		expect(error.description).toContain(
			'answer.lines[0].unit: must be one of "piece", "box" (got "crate")',
		);
		expect(error.description).toContain(
			'answer.lines[0].color: is not an allowed argument (allowed: sku, quantity, unit)',
		);
	});

	it('an empty list where minItems is 1, a missing required list: violations', async () => {
		const result = await run(chat(nested('[[tool:order {"lines":[]}]]')));
		const error: any = result.nodeError(CHAT);
		expect(error.description).toContain('answer.customer: is required');
		expect(error.description).toContain('answer.lines: must have at least 1 items');
	});
});

describe('an invalid answer', () => {
	const cases: Array<
		[kind: string, directive: string, raw: string, problem: RegExp, violations: object[]]
	> = [
		[
			'not JSON',
			'[[tool:structured_answer raw:{customer: Ada]]',
			'{customer: Ada',
			/the answer is not valid JSON/,
			[],
		],
		[
			'not an object',
			'[[tool:structured_answer ["Ada"]]]',
			'["Ada"]',
			/the answer must be a JSON object, got an array/,
			[{ path: 'answer', expected: 'must be object', got: 'an array' }],
		],
		[
			'wrong type and not an allowed value',
			'[[tool:structured_answer {"customer":"Ada","status":"lost","quantity":2.5}]]',
			'{"customer":"Ada","status":"lost","quantity":2.5}',
			/answer\.status: must be one of "new", "paid", "shipped", got "lost"; answer\.quantity: must be integer, got number 2\.5/,
			[
				{
					path: 'answer.status',
					expected: 'must be one of "new", "paid", "shipped"',
					got: '"lost"',
				},
				{ path: 'answer.quantity', expected: 'must be integer', got: 'number 2.5' },
			],
		],
		[
			'missing required fields',
			'[[tool:structured_answer {"note":"hi"}]]',
			'{"note":"hi"}',
			/answer\.customer: is required/,
			[
				{ path: 'answer.customer', expected: 'is required', got: null },
				{ path: 'answer.status', expected: 'is required', got: null },
				{ path: 'answer.quantity', expected: 'is required', got: null },
			],
		],
		[
			'text instead of the call',
			'Hi [[ignore_tool_choice]]',
			'Echo: Hi [[ignore_tool_choice]]',
			/the model answered in text instead of calling "structured_answer"/,
			[],
		],
	];

	it.each(cases)(
		'%s, no fix: fails the item with the raw answer and each violation',
		async (_kind, directive, raw, problem) => {
			const result = await run(chat(structured(directive)));
			expect(result.status).toBe('error');
			const error: any = result.nodeError(CHAT);
			expect(error.message).toMatch(/^The model's answer does not fit the JSON Schema: /);
			expect(error.message).toMatch(problem);
			expect(error.description).toContain(`Raw answer: ${raw}`);
			expect(chatRequests(em)).toHaveLength(1);
		},
	);

	it.each(cases)(
		'%s, continue (error output): the item on the Error output with rawAnswer and violations',
		async (_kind, directive, raw, problem, violations) => {
			const result = await run(chat(structured(directive), { onError: 'continueErrorOutput' }), [
				{ json: { ticket: 'T-1' } },
			]);
			expect(result.status).toBe('success');
			expect(result.output(CHAT, 0)).toEqual([]);
			const [failed] = result.output(CHAT, 1);
			expect(failed.pairedItem).toEqual({ item: 0 });
			expect(failed.json.error).toMatch(problem);
			expect(failed.json.details).toMatchObject({ rawAnswer: raw, violations, fixAttempts: 0 });
		},
	);

	it("a call to another tool than the schema's is invalid too, and asked again as a tool message", async () => {
		const failed = await run(
			chat(structured('[[tool!:delete_all {"really":true}]]'), { onError: 'continueErrorOutput' }),
		);
		expect(failed.output(CHAT, 1)[0].json.details).toMatchObject({
			rawAnswer: 'delete_all({"really":true})',
			problem: 'the model called "delete_all" instead of "structured_answer"',
		});
		const fixed = await run(
			chat(
				structured(
					`[[tool!:delete_all {}]] [[tool:structured_answer ${GOOD}]]`,
					{},
					{ fixInvalidToolCalls: 1 },
				),
			),
		);
		expect(fixed.output(CHAT)[0].json.json).toMatchObject({ customer: 'Ada' });
		expect(chatRequests(em)[2].body.messages[2]).toEqual({
			role: 'tool',
			tool_call_id: 'call_1',
			content:
				'Error: there is no tool "delete_all". Give your answer by calling "structured_answer" with arguments that match its schema.',
		});
	});

	it('is sent back to the model with the problem, and the fixed answer is the item', async () => {
		const result = await run(
			chat(
				structured(
					`[[tool:structured_answer {"customer":"Ada","status":"lost","quantity":1}]] [[tool:structured_answer ${GOOD}]]`,
					{},
					{ fixInvalidToolCalls: 2 },
				),
			),
		);
		expect(result.error).toBeUndefined();
		const requests = chatRequests(em);
		expect(requests).toHaveLength(2);
		const retry = requests[1].body;
		expect(retry.tool_choice).toEqual(requests[0].body.tool_choice);
		expect(retry.messages.map((m: any) => m.role)).toEqual(['user', 'assistant', 'tool']);
		expect(retry.messages[2]).toEqual({
			role: 'tool',
			tool_call_id: 'call_1',
			content:
				'Error: the answer does not match the schema: answer.status: must be one of "new", "paid", "shipped", got "lost". Call "structured_answer" again with corrected arguments.',
		});
		const [item] = result.output(CHAT);
		expect(item.json).toMatchObject({
			json: { customer: 'Ada', status: 'paid', quantity: 3 },
			fixAttempts: 1,
		});
	});

	it('a text answer is asked again with a user message, then the call is the item', async () => {
		const result = await run(
			chat(
				structured(
					`Hi [[ignore_tool_choice]] [[tool:structured_answer ${GOOD}]]`,
					{},
					{ fixInvalidToolCalls: 1 },
				),
			),
		);
		expect(result.error).toBeUndefined();
		const retry = chatRequests(em)[1].body;
		expect(retry.messages.map((m: any) => m.role)).toEqual(['user', 'assistant', 'user']);
		expect(retry.messages[1].content).toMatch(/^Echo: Hi/);
		expect(retry.messages[2].content).toBe(
			'Do not answer in text. Give your answer by calling the tool "structured_answer" with arguments that match its schema.',
		);
		expect(result.output(CHAT)[0].json).toMatchObject({
			json: { customer: 'Ada' },
			fixAttempts: 1,
		});
	});

	it('gives up after the allowed number of fixes with an item error', async () => {
		const result = await run(
			chat(structured('[[tool:structured_answer raw:nope]]', {}, { fixInvalidToolCalls: 2 }), {
				onError: 'continueErrorOutput',
			}),
		);
		expect(chatRequests(em)).toHaveLength(3);
		const [failed] = result.output(CHAT, 1);
		expect(failed.json.details).toMatchObject({ rawAnswer: 'nope', fixAttempts: 2 });
		expect((failed.json.details as any).description).toMatch(/asked 2 times to fix it/);
	});

	it('an answer cut off at Max Tokens says so', async () => {
		// The emulator cuts only text; a text answer at finish_reason "length" shows the hint.
		const result = await run(
			chat(structured('one two three four five [[ignore_tool_choice]]', {}, { maxTokens: 2 })),
		);
		const error: any = result.nodeError(CHAT);
		expect(error.description).toContain('cut off at Max Tokens');
	});

	it('a schema definition mistake fails before anything is sent', async () => {
		const noFields = await run(chat(structured('x', { schemaFields: {} })));
		expect(noFields.nodeError(CHAT)?.message).toBe(
			'Output Format is JSON Schema but the schema has no fields',
		);
		const badJson = await run(
			chat(structured('x', { schemaMode: 'jsonSchema', jsonSchema: '{"type": "object", ' })),
		);
		expect(badJson.nodeError(CHAT)?.message).toBe(
			'Output Format: the JSON Schema is not valid JSON',
		);
		const badName = await run(chat(structured('x', { schemaName: 'my order' })));
		expect(badName.nodeError(CHAT)?.message).toBe('The Schema Name "my order" is not a valid name');
		expect(chatRequests(em)).toHaveLength(0);
	});
});

describe('prompt modes, attachments and streaming', () => {
	it('Message List and Conversation From Input (the conversation continues with the answer as JSON text)', async () => {
		const list = await run(
			chat(
				structured('', {
					prompt: 'messages',
					messages: {
						message: [
							{ role: 'system', content: 'Extract.' },
							{ role: 'user', content: `[[tool:structured_answer ${GOOD}]]` },
						],
					},
				}),
			),
		);
		expect(list.output(CHAT)[0].json.json).toEqual({
			customer: 'Ada',
			status: 'paid',
			quantity: 3,
		});
		const conversation = [{ role: 'user', content: `[[tool:structured_answer ${GOOD}]]` }];
		const conv = await run(
			chat(structured('', { prompt: 'fromInput', conversationField: 'messages' })),
			[{ json: { messages: conversation } }],
		);
		const item = conv.output(CHAT)[0].json as any;
		expect(item.json).toEqual({ customer: 'Ada', status: 'paid', quantity: 3 });
		expect(item.messages).toEqual([...conversation, { role: 'assistant', content: GOOD }]);
	});

	it('with an image attachment', async () => {
		const parameters = structured(`Read the invoice [[tool:structured_answer ${GOOD}]]`, {
			attachments: { attachment: [{ source: 'binaryImage', binaryProperty: 'doc' }] },
		});
		const result = await run(chat(parameters), [
			{ json: {}, binary: { doc: binaryData(makePng(2, 2), 'image/png', 'invoice.png') } },
		]);
		expect(result.error).toBeUndefined();
		expect(chatRequests(em)[0].body.messages[0].content.map((p: any) => p.type)).toEqual([
			'text',
			'image_base64',
		]);
		expect(result.output(CHAT)[0].json.json).toMatchObject({ customer: 'Ada' });
	});

	it('streamed: the same item; nothing reaches a streaming caller, even a text answer that is then fixed', async () => {
		const plain = await run(
			chat(structured(`[[tool:structured_answer ${GOOD}]]`, {}, { streaming: 'off' })),
		);
		const streamed = await run(
			chat(structured(`[[tool:structured_answer ${GOOD}]]`, {}, { streaming: 'on' })),
			undefined,
			true,
		);
		expect(chatRequests(em).map((r) => r.body.stream)).toEqual([undefined, true]);
		expect(streamed.output(CHAT)[0].json.json).toEqual(plain.output(CHAT)[0].json.json);
		expect(streamed.chunks.filter((c) => c.nodeName === CHAT && c.type === 'item')).toEqual([]);
		const fixed = await run(
			chat(
				structured(
					`Hi [[ignore_tool_choice]] [[tool:structured_answer ${GOOD}]]`,
					{},
					{ streaming: 'on', fixInvalidToolCalls: 1 },
				),
			),
			undefined,
			true,
		);
		expect(fixed.output(CHAT)[0].json.json).toMatchObject({ customer: 'Ada' });
		expect(fixed.chunks.filter((c) => c.nodeName === CHAT && c.type === 'item')).toEqual([]);
	});
});

describe('with real tools', () => {
	const WEATHER = {
		name: 'get_weather',
		argumentsMode: 'fields',
		fields: { field: [field('location', 'string')] },
	};

	it('offers the tools and the schema with tool_choice "required"; a real call leaves by its output', async () => {
		const result = await run(
			chat(structured('[[tool:get_weather {"location":"Bern"}]]', { tools: { tool: [WEATHER] } })),
		);
		const [request] = chatRequests(em);
		expect(request.body.tools.map((t: any) => t.function.name)).toEqual([
			'get_weather',
			'structured_answer',
		]);
		expect(request.body.tool_choice).toBe('required');
		expect(result.output(CHAT, 0)).toEqual([]);
		expect(result.output(CHAT, 1).map((i) => i.json.args)).toEqual([{ location: 'Bern' }]);
	});

	it('a premature answer in the same turn as a real call is dropped from the turn', async () => {
		const result = await run(
			chat(
				structured(`[[tool:get_weather {"location":"Bern"}]] [[tool:structured_answer ${GOOD}]]`, {
					tools: { tool: [WEATHER] },
				}),
			),
		);
		const [call] = result.output(CHAT, 1);
		const turn = (call.json.messages as any[]).at(-1);
		expect(turn.tool_calls.map((c: any) => c.function.name)).toEqual(['get_weather']);
	});

	it('the final answer after the tool results is the structured object on Message', async () => {
		const question = `[[tool:get_weather {"location":"Bern"}]] [[then:structured_answer ${GOOD}]]`;
		const first = chatParameters({
			userMessage: question,
			outputFormat: 'jsonSchema',
			schemaFields: FIELDS,
			tools: { tool: [WEATHER] },
			options: {},
		});
		const answer = { ...first, prompt: 'toolResults', userMessage: undefined };
		const wf: any = {
			name: 'loop',
			nodes: [
				{
					id: 't',
					name: 'Manual',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'c',
					name: CHAT,
					type: 'n8n-nodes-scaigrid.scaiGridChat',
					typeVersion: 1,
					position: [200, 0],
					parameters: first,
					credentials: { scaiGridApi: { id: 'x', name: 'x' } },
				},
				{
					id: 's',
					name: 'Weather',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [400, 0],
					parameters: {
						mode: 'manual',
						assignments: {
							assignments: [{ id: 'r', name: 'toolResult', value: 'sunny', type: 'string' }],
						},
						includeOtherFields: true,
						options: {},
					},
				},
				{
					id: 'a',
					name: 'Answer',
					type: 'n8n-nodes-scaigrid.scaiGridChat',
					typeVersion: 1,
					position: [600, 0],
					parameters: answer,
					credentials: { scaiGridApi: { id: 'x', name: 'x' } },
				},
			],
			connections: {
				Manual: { main: [[{ node: CHAT, type: 'main', index: 0 }]] },
				[CHAT]: { main: [[], [{ node: 'Weather', type: 'main', index: 0 }]] },
				Weather: { main: [[{ node: 'Answer', type: 'main', index: 0 }]] },
			},
		};
		const result = await run(wf);
		expect(result.error).toBeUndefined();
		const requests = chatRequests(em);
		expect(requests).toHaveLength(2);
		expect(requests[1].body.tool_choice).toBe('required');
		expect(requests[1].body.messages.map((m: any) => m.role)).toEqual([
			'user',
			'assistant',
			'tool',
		]);
		expect(result.output('Answer')[0].json.json).toEqual({
			customer: 'Ada',
			status: 'paid',
			quantity: 3,
		});
	});

	it("Tool Choice None forces the schema; the schema may not share a tool's name", async () => {
		await run(chat(structured('x', { tools: { tool: [WEATHER] } }, { toolChoice: 'none' })));
		expect(chatRequests(em)[0].body.tool_choice).toEqual({
			type: 'function',
			function: { name: 'structured_answer' },
		});
		const clash = await run(
			chat(structured('x', { tools: { tool: [WEATHER] }, schemaName: 'get_weather' })),
		);
		expect(clash.nodeError(CHAT)?.message).toBe(
			'The Schema Name "get_weather" is also the name of a tool',
		);
	});
});

describe('volume', () => {
	it('100 items at concurrency 5: 100 objects out, in order, each paired with its item', async () => {
		const items = Array.from({ length: 100 }, (_, i) => ({
			json: {
				question: `[[tool:structured_answer {"customer":"C${i}","status":"new","quantity":${i}}]]`,
			},
		}));
		const parameters = structured('={{ $json.question }}', {}, { maxConcurrency: 5 });
		const result = await run(chat(parameters), items);
		expect(result.error).toBeUndefined();
		const out = result.output(CHAT);
		expect(out).toHaveLength(100);
		out.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.json).toEqual({ customer: `C${i}`, status: 'new', quantity: i });
		});
		expect(chatRequests(em)).toHaveLength(100);
	});
});
