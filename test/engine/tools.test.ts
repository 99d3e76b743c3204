/**
 * Tool calls as outputs of ScaiGrid Chat, in n8n's engine against the emulator: routing to one
 * output per tool (or one Tool Calls output), Tool Choice in the request, every kind of invalid
 * call with and without asking the model again, the error output next to the dynamic outputs,
 * the results of one turn going back in ONE request (from different branches, through a Merge
 * node, in any order), multi-step loops, the example workflows, and pairedItem from the final
 * answer back to the trigger item.
 */
import { loadWorkflowFile, runWorkflow } from '../helpers/engine';
import type { RunResult } from '../helpers/engine';
import { chatRequests as loggedChatRequests } from '../helpers/requestLog';
import type { LoggedRequest } from '../helpers/requestLog';
import { credentialsFor } from '../helpers/workflows';
import { useEmulator } from '../helpers/emulator';

const em = useEmulator({ rateLimit: false });

// ---- workflow building ----------------------------------------------------------------------

const CHAT = 'Chat';
const ANSWER = 'Answer';
const MODEL = { __rl: true, mode: 'id', value: 'scailabs/poolnoodle-omni' };
const CREDENTIALS = { scaiGridApi: { id: 'scaigrid-emulator', name: 'ScaiGrid (emulator)' } };

type Node = Record<string, any>;
type Link = [from: string, output: number, to: string, input?: number];

const trigger: Node = {
	id: 'trigger',
	name: 'Manual',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function chatNode(
	name: string,
	parameters: Record<string, unknown>,
	settings: Record<string, unknown> = {},
): Node {
	return {
		id: name,
		name,
		type: 'n8n-nodes-scaigrid.scaiGridChat',
		typeVersion: 1,
		position: [300, 0],
		parameters: { model: MODEL, options: {}, ...parameters },
		credentials: CREDENTIALS,
		...settings,
	};
}

/** A Set node adding fields (expressions allowed) and keeping the input's fields. */
function setNode(
	name: string,
	fields: Record<string, string>,
	types: Record<string, string> = {},
): Node {
	return {
		id: name,
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [600, 0],
		parameters: {
			mode: 'manual',
			assignments: {
				assignments: Object.entries(fields).map(([key, value], index) => ({
					id: `${name}-${index}`,
					name: key,
					value,
					type: types[key] ?? 'string',
				})),
			},
			includeOtherFields: true,
			options: {},
		},
	};
}

function mergeNode(name: string): Node {
	return {
		id: name,
		name,
		type: 'n8n-nodes-base.merge',
		typeVersion: 3.2,
		position: [800, 0],
		parameters: {},
	};
}

function noOp(name: string): Node {
	return {
		id: name,
		name,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [900, 0],
		parameters: {},
	};
}

function connect(...links: Link[]) {
	const connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: string; index: number }>> }
	> = {};
	for (const [source, output, target, input = 0] of links) {
		connections[source] ??= { main: [] };
		while (connections[source].main.length <= output) connections[source].main.push([]);
		connections[source].main[output].push({ node: target, type: 'main', index: input });
	}
	return connections;
}

function workflow(nodes: Node[], links: Link[]) {
	return {
		name: 'Tools test',
		nodes: [trigger, ...nodes],
		connections: connect(['Manual', 0, nodes[0].name], ...links),
	};
}

async function run(wf: object, triggerItems: object[] = [{}]): Promise<RunResult> {
	const result = await runWorkflow(wf, {
		credentials: credentialsFor(em),
		triggerItems: triggerItems as never,
	});
	// Whatever happened, the key is nowhere in the outputs or errors.
	const everything = JSON.stringify(result.runData) + JSON.stringify(result.error ?? null);
	expect(everything).not.toContain(em.apiKey);
	return result;
}

async function runExample(file: string, triggerItems?: object[]): Promise<RunResult> {
	return await run(loadWorkflowFile(`examples/${file}`), triggerItems);
}

function chatRequests(): LoggedRequest[] {
	return loggedChatRequests(em);
}

// Tools as the node's parameter holds them.
const field = (name: string, type: string, extra: Record<string, unknown> = {}) => ({
	name,
	type,
	required: true,
	...extra,
});
const WEATHER = {
	name: 'get_weather',
	description: 'Current weather for a city',
	argumentsMode: 'fields',
	fields: {
		field: [
			field('location', 'string', { description: 'City name' }),
			field('unit', 'string', { required: false, allowedValues: 'celsius, fahrenheit' }),
		],
	},
};
const TIME = {
	name: 'get_time',
	description: 'Local time',
	argumentsMode: 'fields',
	fields: { field: [] },
};
const STOCK = {
	name: 'stock_level',
	argumentsMode: 'jsonSchema',
	jsonSchema: JSON.stringify({
		type: 'object',
		properties: {
			sku: { type: 'string' },
			warehouses: { type: 'array', items: { type: 'integer' } },
		},
		required: ['sku'],
		additionalProperties: false,
	}),
};

function askWith(
	question: string,
	tools: object[],
	options: Record<string, unknown> = {},
	settings: Record<string, unknown> = {},
) {
	return chatNode(
		CHAT,
		{ prompt: 'simple', userMessage: question, tools: { tool: tools }, options },
		settings,
	);
}

const toolResultsNode = (extra: Record<string, unknown> = {}) =>
	chatNode(ANSWER, { prompt: 'toolResults', ...extra });

/** Outputs of a node's last run, as n8n recorded them. */
function outputsOf(result: RunResult, node: string): any[][] {
	const runs = result.runData[node];
	return runs[runs.length - 1].data!.main as any[][];
}

// ---- one tool ------------------------------------------------------------------------------------

describe('one tool', () => {
	it('routes the call to the tool output with parsed arguments, the conversation and the bookkeeping', async () => {
		const result = await run(
			workflow(
				[
					askWith(
						'Weather in Zürich? [[tool:get_weather {"location":"Zürich","unit":"celsius"}]]',
						[WEATHER],
					),
				],
				[],
			),
		);
		expect(result.status).toBe('success');
		expect(outputsOf(result, CHAT)).toHaveLength(2); // Message, get_weather
		expect(result.output(CHAT, 0)).toEqual([]);
		const items = result.output(CHAT, 1);
		expect(items).toHaveLength(1);
		const json: any = items[0].json;
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(json.tool).toBe('get_weather');
		expect(json.callId).toBe('call_1');
		expect(json.args).toEqual({ location: 'Zürich', unit: 'celsius' });
		expect(json.toolCallCount).toBe(1);
		expect(json.usage.totalTokens).toBeGreaterThan(0);
		expect(json.requestId).toMatch(/^req_/);
		expect(json.attempts).toBe(1);
		expect(json.model).toBe('scailabs/poolnoodle-omni');
		expect(typeof json.cost).toBe('number');
		// The conversation so far, ending with the assistant's turn as the API returned it.
		expect(json.messages.map((m: any) => m.role)).toEqual(['user', 'assistant']);
		expect(json.messages[1].tool_calls).toEqual([
			{
				id: 'call_1',
				type: 'function',
				function: { name: 'get_weather', arguments: '{"location":"Zürich","unit":"celsius"}' },
			},
		]);

		// What was sent: the tool in the API's function shape, no tool_choice (the API default).
		const [request] = chatRequests();
		expect(request.body.tools).toEqual([
			{
				type: 'function',
				function: {
					name: 'get_weather',
					description: 'Current weather for a city',
					parameters: {
						type: 'object',
						properties: {
							location: { type: 'string', description: 'City name' },
							unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
						},
						required: ['location'],
					},
				},
			},
		]);
		expect(request.body).not.toHaveProperty('tool_choice');
	});

	it('routes the same when the answer is streamed (Streaming: On)', async () => {
		const result = await run(
			workflow(
				[
					askWith(
						'Go [[tool:get_weather {"location":"Basel"}]] [[tool:get_time]]',
						[WEATHER, TIME],
						{ streaming: 'on' },
					),
				],
				[],
			),
		);
		expect(chatRequests()[0].body.stream).toBe(true);
		expect(result.output(CHAT, 1).map((i) => i.json.args)).toEqual([{ location: 'Basel' }]);
		expect(result.output(CHAT, 2).map((i) => i.json.callId)).toEqual(['call_2']);
	});

	it('sends a text answer to Message', async () => {
		const result = await run(workflow([askWith('Just say hi', [WEATHER])], []));
		expect(result.output(CHAT, 1)).toEqual([]);
		expect(result.output(CHAT, 0).map((i) => i.json.text)).toEqual(['Echo: Just say hi']);
	});

	it('sends JSON Schema arguments as written and validates calls against them', async () => {
		const result = await run(
			workflow(
				[askWith('Stock? [[tool:stock_level {"sku":"A-1","warehouses":[1,2]}]]', [STOCK])],
				[],
			),
		);
		expect(result.output(CHAT, 1).map((i) => i.json.args)).toEqual([
			{ sku: 'A-1', warehouses: [1, 2] },
		]);
		expect(chatRequests()[0].body.tools[0].function.parameters).toEqual(
			JSON.parse(STOCK.jsonSchema),
		);
	});

	it('runs the one-tool example to the final answer', async () => {
		const result = await runExample('chat-tools-one.json');
		expect(result.status).toBe('success');
		const [final] = result.output('Answer With Results');
		expect(final.json.text).toBe(
			'Final answer using: get_weather={"location":"Zürich","temperature_c":7,"sky":"cloudy"}',
		);
		const requests = chatRequests();
		expect(requests).toHaveLength(2);
		expect(requests[1].body.messages.slice(-2)).toEqual([
			expect.objectContaining({
				role: 'assistant',
				tool_calls: [expect.objectContaining({ id: 'call_1' })],
			}),
			{
				role: 'tool',
				tool_call_id: 'call_1',
				content: '{"location":"Zürich","temperature_c":7,"sky":"cloudy"}',
			},
		]);
		// The conversation travels on: it ends with the final answer.
		const messages = final.json.messages as any[];
		expect(messages.map((m) => m.role)).toEqual([
			'system',
			'user',
			'assistant',
			'tool',
			'assistant',
		]);
		expect(messages[4].content).toBe(final.json.text);
	});
});

// ---- several tools, one turn ------------------------------------------------------------------

describe('two tools in one turn', () => {
	const question = 'Weather and time? [[tool:get_weather {"location":"Bern"}]] [[tool:get_time]]';

	it('routes each call to its own output and answers both results in ONE request, in the call order', async () => {
		// The time branch reaches the Merge first (input 0), so the results arrive in reverse order.
		const result = await run(
			workflow(
				[
					askWith(question, [WEATHER, TIME]),
					setNode(
						'Weather',
						{ toolResult: '={{ { temp: 12, city: $json.args.location } }}' },
						{ toolResult: 'object' },
					),
					setNode('Time', { toolResult: '14:05' }),
					mergeNode('Merge'),
					toolResultsNode(),
				],
				[
					[CHAT, 1, 'Weather'],
					[CHAT, 2, 'Time'],
					['Time', 0, 'Merge', 0],
					['Weather', 0, 'Merge', 1],
					['Merge', 0, ANSWER],
				],
			),
		);
		expect(result.status).toBe('success');
		expect(outputsOf(result, CHAT)).toHaveLength(3);
		expect(
			result.output(CHAT, 1).map((i) => [i.json.tool, i.json.callId, i.json.toolCallCount]),
		).toEqual([['get_weather', 'call_1', 2]]);
		expect(result.output(CHAT, 2).map((i) => [i.json.tool, i.json.callId, i.json.args])).toEqual([
			['get_time', 'call_2', {}],
		]);
		expect(result.output('Merge').map((i) => i.json.callId)).toEqual(['call_2', 'call_1']);

		const requests = chatRequests();
		expect(requests).toHaveLength(2);
		const sent = requests[1].body.messages;
		expect(sent.slice(-2)).toEqual([
			{ role: 'tool', tool_call_id: 'call_1', content: '{"temp":12,"city":"Bern"}' },
			{ role: 'tool', tool_call_id: 'call_2', content: '14:05' },
		]);
		const answers = result.output(ANSWER);
		expect(answers).toHaveLength(1);
		expect(answers[0].json.text).toBe(
			'Final answer using: get_weather={"temp":12,"city":"Bern"}; get_time=14:05',
		);
		expect(answers[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('runs the parallel example: two branches, a Merge, one answer', async () => {
		const result = await runExample('chat-tools-parallel.json');
		expect(result.status).toBe('success');
		expect(chatRequests()).toHaveLength(2);
		const [final] = result.output('Answer With Results');
		expect(final.json.text).toBe(
			'Final answer using: get_weather={"location":"Zürich","temperature":7,"unit":"celsius","sky":"cloudy"}; get_local_time=Zürich: 14:05',
		);
	});

	it('fails the item, naming the call and tool, when a result of the turn is missing', async () => {
		const result = await run(
			workflow(
				[
					askWith(question, [WEATHER, TIME]),
					setNode('Weather', { toolResult: 'sunny' }),
					toolResultsNode(),
				],
				[
					[CHAT, 1, 'Weather'],
					['Weather', 0, ANSWER],
				],
			),
		);
		expect(result.status).toBe('error');
		const error: any = result.nodeError(ANSWER);
		expect(error.message).toBe('No result for the tool call call_2 to "get_time"');
		expect(error.description).toMatch(/Merge node/);
		expect(chatRequests()).toHaveLength(1);
	});

	it('sends a result object as JSON and reads custom call ID / result fields', async () => {
		const result = await run(
			workflow(
				[
					askWith('[[tool:get_weather {"location":"Chur"}]]', [WEATHER]),
					setNode('Weather', { id: '={{ $json.callId }}', out: '={{ [1, 2] }}' }, { out: 'array' }),
					toolResultsNode({ toolCallIdField: 'id', toolResultField: 'out' }),
				],
				[
					[CHAT, 1, 'Weather'],
					['Weather', 0, ANSWER],
				],
			),
		);
		expect(result.output(ANSWER)[0].json.text).toBe('Final answer using: get_weather=[1,2]');
	});
});

// ---- a tool branch that dropped the tool call's fields --------------------------------------

describe('a tool branch that dropped the fields of the tool call', () => {
	/** A Set node as n8n adds it: "Include Other Input Fields" off (its default). */
	const dropping = (fields: Record<string, string>) => {
		const node = setNode('Weather', fields);
		delete node.parameters.includeOtherFields;
		return node;
	};
	const ask = askWith('[[tool:get_weather {"location":"Chur"}]]', [WEATHER]);
	const links: Link[] = [
		[CHAT, 1, 'Weather'],
		['Weather', 0, ANSWER],
	];

	it('names "Include Other Input Fields" first when both the conversation and the call ID are missing', async () => {
		const result = await run(
			workflow([ask, dropping({ toolResult: 'sunny' }), toolResultsNode()], links),
		);
		expect(result.status).toBe('error');
		expect(result.output('Weather').map((i) => Object.keys(i.json))).toEqual([['toolResult']]);
		const error: any = result.nodeError(ANSWER);
		expect(error.context?.itemIndex).toBe(0);
		expect(error.message).toContain('Include Other Input Fields');
		const text = `${error.message} ${error.description}`;
		expect(text).toContain('"messages"');
		expect(text).toContain('"callId"');
		expect(error.description).toContain('The items came from "Weather".');
		// The likely cause comes before the field-name settings.
		expect(text.indexOf('Include Other Input Fields')).toBeLessThan(
			text.indexOf('Conversation Field'),
		);
		expect(chatRequests()).toHaveLength(1);
	});

	it('keeps the Conversation Field advice when only the conversation is missing', async () => {
		const result = await run(
			workflow(
				[ask, dropping({ callId: '={{ $json.callId }}', toolResult: 'sunny' }), toolResultsNode()],
				links,
			),
		);
		expect(result.status).toBe('error');
		const error: any = result.nodeError(ANSWER);
		expect(error.message).toBe('The incoming item has no field "messages"');
		expect(error.description).toMatch(/Conversation Field/);
		expect(chatRequests()).toHaveLength(1);
	});
});

// ---- routing options and tool choice ---------------------------------------------------------

describe('single Tool Calls output', () => {
	it('puts every call on output 1, with the tool name in "tool"', async () => {
		const result = await run(
			workflow(
				[
					askWith('[[tool:get_weather {"location":"Bern"}]] [[tool:get_time]]', [WEATHER, TIME], {
						routeToolCalls: 'single',
					}),
				],
				[],
			),
		);
		expect(outputsOf(result, CHAT)).toHaveLength(2);
		expect(result.output(CHAT, 1).map((i) => [i.json.tool, i.json.callId])).toEqual([
			['get_weather', 'call_1'],
			['get_time', 'call_2'],
		]);
		expect(result.output(CHAT, 2)).toEqual([]);
	});
});

describe('Tool Choice', () => {
	it('none: sends tool_choice "none" and the answer goes to Message', async () => {
		const result = await run(
			workflow(
				[askWith('Hi [[tool:get_weather {"location":"Bern"}]]', [WEATHER], { toolChoice: 'none' })],
				[],
			),
		);
		expect(chatRequests()[0].body.tool_choice).toBe('none');
		expect(result.output(CHAT, 0)).toHaveLength(1);
		expect(result.output(CHAT, 1)).toEqual([]);
	});

	it('required: sends tool_choice "required" and the model must call a tool', async () => {
		const result = await run(
			workflow([askWith('Hi', [TIME, WEATHER], { toolChoice: 'required' })], []),
		);
		expect(chatRequests()[0].body.tool_choice).toBe('required');
		expect(result.output(CHAT, 1).map((i) => i.json.tool)).toEqual(['get_time']);
	});

	it('auto: sends tool_choice "auto"', async () => {
		await run(workflow([askWith('Hi', [WEATHER], { toolChoice: 'auto' })], []));
		expect(chatRequests()[0].body.tool_choice).toBe('auto');
	});

	it('named tool: sends the function object and the call goes to that tool', async () => {
		const result = await run(
			workflow(
				[
					askWith('Hi [[tool:get_weather {"location":"Sion"}]]', [TIME, WEATHER], {
						toolChoice: 'named',
						toolChoiceName: 'get_weather',
					}),
				],
				[],
			),
		);
		expect(chatRequests()[0].body.tool_choice).toEqual({
			type: 'function',
			function: { name: 'get_weather' },
		});
		expect(result.output(CHAT, 2).map((i) => i.json.args)).toEqual([{ location: 'Sion' }]);
	});

	it('named tool that is not defined: fails before anything is sent', async () => {
		const result = await run(
			workflow(
				[askWith('Hi', [WEATHER], { toolChoice: 'named', toolChoiceName: 'get_stock' })],
				[],
			),
		);
		expect(result.nodeError(CHAT)?.message).toBe(
			'Tool Choice names the tool "get_stock", which is not in the Tools list',
		);
		expect(chatRequests()).toHaveLength(0);
	});
});

describe('tool definitions', () => {
	it.each([
		[[WEATHER, { ...TIME, name: 'get_weather' }], 'Two tools are named "get_weather"'],
		[[{ ...TIME, name: 'get time' }], 'The tool name "get time" is not a valid name'],
		[[{ ...STOCK, jsonSchema: '{"type": "array"}' }], /JSON Schema must describe an object/],
	])('rejects a bad definition before anything is sent (%#)', async (tools, message) => {
		const result = await run(workflow([askWith('Hi', tools)], []));
		expect(result.nodeError(CHAT)?.message).toMatch(message);
		expect(chatRequests()).toHaveLength(0);
	});
});

// ---- invalid calls ---------------------------------------------------------------------------

describe('invalid tool calls', () => {
	const cases: Array<
		[kind: string, directive: string, tool: string, raw: string, problem: RegExp]
	> = [
		[
			'unknown tool',
			'[[tool!:delete_all {"really":true}]]',
			'delete_all',
			'{"really":true}',
			/there is no tool "delete_all" \(defined tools: get_weather, stock_level\)/,
		],
		[
			'arguments not JSON',
			'[[tool:get_weather raw:{location: Bern]]',
			'get_weather',
			'{location: Bern',
			/the arguments are not valid JSON/,
		],
		[
			'arguments not an object',
			'[[tool:get_weather ["Bern"]]]',
			'get_weather',
			'["Bern"]',
			/must be a JSON object, got an array/,
		],
		[
			'wrong type',
			'[[tool:get_weather {"location":5}]]',
			'get_weather',
			'{"location":5}',
			/arguments\.location: must be string, got number 5/,
		],
		[
			'missing required',
			'[[tool:get_weather {"unit":"celsius"}]]',
			'get_weather',
			'{"unit":"celsius"}',
			/arguments\.location: is required/,
		],
		[
			'not an allowed value',
			'[[tool:get_weather {"location":"Bern","unit":"kelvin"}]]',
			'get_weather',
			'{"location":"Bern","unit":"kelvin"}',
			/arguments\.unit: must be one of "celsius", "fahrenheit", got "kelvin"/,
		],
		[
			'extra argument (additionalProperties false)',
			'[[tool:stock_level {"sku":"A","color":"red"}]]',
			'stock_level',
			'{"sku":"A","color":"red"}',
			/arguments\.color: is not an allowed argument/,
		],
		[
			'wrong item type',
			'[[tool:stock_level {"sku":"A","warehouses":[1,"x"]}]]',
			'stock_level',
			'{"sku":"A","warehouses":[1,"x"]}',
			/arguments\.warehouses\[1\]: must be integer/,
		],
	];

	it.each(cases)(
		'%s: fails the run, naming the tool, with the raw arguments',
		async (_kind, directive, tool, raw, problem) => {
			const result = await run(workflow([askWith(`Go ${directive}`, [WEATHER, STOCK])], []));
			expect(result.status).toBe('error');
			const error: any = result.nodeError(CHAT);
			expect(error.message).toMatch(
				new RegExp(`^The model made an invalid call to the tool "${tool}": `),
			);
			expect(error.message).toMatch(problem);
			expect(error.description).toContain(`Raw arguments: ${raw}`);
			expect(chatRequests()).toHaveLength(1);
		},
	);

	it.each(cases)(
		'%s: with continue (error output) the item goes to the Error output, after the tool outputs',
		async (_kind, directive, tool, raw, problem) => {
			const result = await run(
				workflow(
					[
						askWith(`Go ${directive}`, [WEATHER, STOCK], {}, { onError: 'continueErrorOutput' }),
						noOp('Failed'),
						noOp('Weather'),
					],
					[
						[CHAT, 3, 'Failed'],
						[CHAT, 1, 'Weather'],
					],
				),
				[{ ticket: 'T-1' }],
			);
			expect(result.status).toBe('success');
			const outputs = outputsOf(result, CHAT);
			expect(outputs).toHaveLength(4); // Message, get_weather, stock_level, Error
			expect(outputs.slice(0, 3).map((items) => items.length)).toEqual([0, 0, 0]);
			const failed = result.output('Failed');
			expect(failed).toHaveLength(1);
			expect(failed[0].pairedItem).toEqual({ item: 0 });
			const json: any = failed[0].json;
			expect(json.error).toMatch(problem);
			expect(json.details).toMatchObject({
				tool,
				callId: 'call_1',
				rawArguments: raw,
				fixAttempts: 0,
			});
			expect(json.details.problem).toMatch(problem);
			expect(result.runData.Weather).toBeUndefined();
		},
	);

	it('with continue (regular output) the error item is on Message with the call at the top level', async () => {
		const result = await run(
			workflow(
				[
					askWith(
						'Go [[tool:get_weather raw:nope]]',
						[WEATHER],
						{},
						{ onError: 'continueRegularOutput' },
					),
				],
				[],
			),
		);
		const [item] = result.output(CHAT, 0);
		expect(item.json).toMatchObject({
			tool: 'get_weather',
			callId: 'call_1',
			rawArguments: 'nope',
		});
		expect(item.json.problem).toMatch(/not valid JSON/);
		expect(result.output(CHAT, 1)).toEqual([]);
	});

	it('asks the model again with the problem as a tool message (and "not run" for the valid call)', async () => {
		const result = await run(
			workflow(
				[
					askWith('Go [[tool:get_time]] [[tool:get_weather {"location":5}]]', [WEATHER, TIME], {
						fixInvalidToolCalls: 2,
					}),
				],
				[],
			),
		);
		expect(result.status).toBe('success');
		const requests = chatRequests();
		expect(requests).toHaveLength(2);
		const retry = requests[1].body;
		expect(retry.tools).toEqual(requests[0].body.tools);
		expect(retry.messages.map((m: any) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool']);
		expect(retry.messages[1].tool_calls.map((c: any) => c.id)).toEqual(['call_1', 'call_2']);
		expect(retry.messages[2]).toEqual({
			role: 'tool',
			tool_call_id: 'call_1',
			content:
				'Not run, because another tool call in the same turn was invalid. Call it again together with the corrected calls.',
		});
		expect(retry.messages[3].tool_call_id).toBe('call_2');
		expect(retry.messages[3].content).toBe(
			'Error: invalid call to "get_weather": the arguments do not match the tool\'s schema: arguments.location: must be string, got number 5. Call the tool again with corrected arguments.',
		);
		// The emulator's model answers tool messages in text: the answer is on Message, usage of both requests.
		const [message] = result.output(CHAT, 0);
		expect(message.json.text).toMatch(/^Final answer using: get_time=Not run/);
		expect(result.output(CHAT, 1)).toEqual([]);
		expect(result.output(CHAT, 2)).toEqual([]);
	});

	it('gives up after the allowed number of fixes with an item error', async () => {
		const result = await run(
			workflow(
				[
					askWith(
						'Go [[tool!:launch_rocket {}]] [[repeat_tools]]',
						[WEATHER],
						{ fixInvalidToolCalls: 2 },
						{ onError: 'continueErrorOutput' },
					),
					noOp('Failed'),
				],
				[[CHAT, 2, 'Failed']],
			),
		);
		const requests = chatRequests();
		expect(requests).toHaveLength(3);
		expect(
			requests[2].body.messages.filter((m: any) => m.role === 'tool').map((m: any) => m.content),
		).toEqual([
			expect.stringContaining('there is no tool "launch_rocket"'),
			expect.stringContaining('there is no tool "launch_rocket"'),
		]);
		const [failed] = result.output('Failed');
		expect(failed.json.error).toBe(
			'The model made an invalid call to the tool "launch_rocket": there is no tool "launch_rocket" (defined tools: get_weather)',
		);
		expect(failed.json.details).toMatchObject({
			tool: 'launch_rocket',
			callId: 'call_3',
			rawArguments: '{}',
			fixAttempts: 2,
		});
		expect((failed.json.details as any).description).toMatch(/asked 2 times to fix it/);
	});

	it('never sends a valid call back, fixing on or not', async () => {
		const result = await run(
			workflow(
				[
					askWith('Go [[tool:get_weather {"location":"Bern"}]]', [WEATHER], {
						fixInvalidToolCalls: 3,
					}),
				],
				[],
			),
		);
		expect(chatRequests()).toHaveLength(1); // a valid call is never sent back
		expect(result.output(CHAT, 1)[0].json).not.toHaveProperty('fixAttempts');
	});
});

// ---- multi-step loops and pairedItem -----------------------------------------------------------

describe('loops', () => {
	it('an answer to tool results that calls tools again routes the same way', async () => {
		const result = await run(
			workflow(
				[
					askWith('Plan [[tool:get_weather {"location":"Bern"}]] [[repeat_tools]]', [WEATHER]),
					setNode('Weather', { toolResult: 'sunny' }),
					toolResultsNode({ tools: { tool: [WEATHER] } }),
				],
				[
					[CHAT, 1, 'Weather'],
					['Weather', 0, ANSWER],
				],
			),
		);
		expect(result.status).toBe('success');
		expect(result.output(ANSWER, 0)).toEqual([]);
		const [again] = result.output(ANSWER, 1);
		expect(again.json).toMatchObject({
			tool: 'get_weather',
			callId: 'call_2',
			args: { location: 'Bern' },
		});
		expect((again.json.messages as any[]).map((m) => m.role)).toEqual([
			'user',
			'assistant',
			'tool',
			'assistant',
		]);
	});

	it('traces every final answer back to its own trigger item through both branches and the Merge', async () => {
		const ask = chatNode(CHAT, {
			prompt: 'simple',
			userMessage:
				'={{ "Weather and time in " + $json.city + "? [[tool:get_weather {\\"location\\":\\"" + $json.city + "\\"}]] [[tool:get_time]]" }}',
			tools: { tool: [WEATHER, TIME] },
		});
		const result = await run(
			workflow(
				[
					ask,
					setNode('Weather', { toolResult: '={{ "sunny in " + $json.args.location }}' }),
					setNode('Time', { toolResult: '={{ "noon for " + $("Manual").item.json.city }}' }),
					mergeNode('Merge'),
					toolResultsNode(),
				],
				[
					[CHAT, 1, 'Weather'],
					[CHAT, 2, 'Time'],
					['Time', 0, 'Merge', 0],
					['Weather', 0, 'Merge', 1],
					['Merge', 0, ANSWER],
				],
			),
			[{ city: 'Bern' }, { city: 'Chur' }, { city: 'Genf' }],
		);
		expect(result.status).toBe('success');
		expect(chatRequests()).toHaveLength(6); // three questions, three answers: one request per turn
		const answers = result.output(ANSWER);
		expect(answers.map((a) => a.json.text)).toEqual(
			['Bern', 'Chur', 'Genf'].map(
				(city) => `Final answer using: get_weather=sunny in ${city}; get_time=noon for ${city}`,
			),
		);
		answers.forEach((answer, index) => {
			expect(triggerItemsOf(result, ANSWER, 0, answer.pairedItem)).toEqual([index]);
		});
	});

	it('keeps turns apart when two conversations are identical (same call IDs)', async () => {
		const result = await runExample('chat-tools-parallel.json', [{ n: 1 }, { n: 2 }]);
		expect(result.status).toBe('success');
		const answers = result.output('Answer With Results');
		expect(answers).toHaveLength(2);
		const requests = chatRequests();
		expect(requests).toHaveLength(4);
		for (const request of requests.slice(2)) {
			expect(
				request.body.messages.filter((m: any) => m.role === 'tool').map((m: any) => m.tool_call_id),
			).toEqual(['call_1', 'call_2']);
		}
		expect(
			answers.map((a) => triggerItemsOf(result, 'Answer With Results', 0, a.pairedItem)),
		).toEqual([[0], [1]]);
	});
});

/**
 * The trigger items an output item comes from, following pairedItem through every node back to
 * the trigger, the way n8n's `$("Node").item` does (runData `source` says which node fed each input).
 */
function triggerItemsOf(
	result: RunResult,
	node: string,
	_output: number,
	paired: unknown,
): number[] {
	const found = new Set<number>();
	const walk = (name: string, pairedItem: unknown): void => {
		const list = (Array.isArray(pairedItem) ? pairedItem : [pairedItem]) as Array<{
			item: number;
			input?: number;
		}>;
		const task = result.runData[name][0];
		for (const { item, input } of list) {
			const source = task.source?.[input ?? 0];
			if (!source) {
				found.add(item); // the trigger: no input
				continue;
			}
			const previous = result.runData[source.previousNode][source.previousNodeRun ?? 0];
			const origin = previous.data!.main[source.previousNodeOutput ?? 0]![item];
			walk(source.previousNode, origin.pairedItem);
		}
	};
	walk(node, paired);
	return [...found].sort();
}
