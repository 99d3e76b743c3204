/**
 * ScaiGrid Chat Model in n8n's engine against the emulator. The model node's supplyData runs in
 * n8n-core's real SupplyDataContext (getInputConnectionData), and the model is driven through
 * n8n's LangChain adapter from @n8n/ai-node-sdk, the object the AI Agent receives, by a small
 * root node (test/fixtures/model-consumer-package): invoke, stream, bindTools and the tool loop.
 */
import type { IDataObject } from 'n8n-workflow';

import { registerNodePackage, runWorkflow } from '../helpers/engine';
import type { RunResult } from '../helpers/engine';
import { expectedCost } from '../helpers/cost';
import { chatRequests, fetchModel, modelGets } from '../helpers/requestLog';
import { DEFAULT_CHAT_MODEL, PACKAGE, credentialsFor, rl } from '../helpers/workflows';
import type { NodeSettings } from '../helpers/workflows';
import { useEmulator } from '../helpers/emulator';

const MODEL = 'ScaiGrid Chat Model';
const CONSUMER = 'Consumer';

const em = useEmulator({ rateLimit: false });
let prices: { input: string; output: string };

beforeAll(async () => {
	await registerNodePackage('test/fixtures/model-consumer-package');
	const model = await fetchModel(em, DEFAULT_CHAT_MODEL);
	prices = { input: model.input_price_per_mtok, output: model.output_price_per_mtok };
});

const WEATHER = {
	type: 'function',
	function: {
		name: 'get_weather',
		description: 'Weather in a city',
		parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
	},
};
const TIME = {
	type: 'function',
	function: {
		name: 'get_time',
		description: 'Time in a zone',
		parameters: { type: 'object', properties: { tz: { type: 'string' } } },
	},
};
const TWO_CALLS =
	'Weather and time please [[tool:get_weather {"city":"Bern"}]] [[tool:get_time {"tz":"CET"}]]';

function workflow(consumer: IDataObject, options: IDataObject = {}, settings: NodeSettings = {}) {
	return {
		id: 'chat-model-test',
		name: 'Chat Model test',
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
				name: CONSUMER,
				type: 'n8n-nodes-model-consumer.modelConsumer',
				typeVersion: 1,
				position: [220, 0],
				parameters: consumer,
			},
			{
				id: 'm',
				name: MODEL,
				type: `${PACKAGE}.scaiGridChatModel`,
				typeVersion: 1,
				position: [220, 200],
				parameters: { model: rl(DEFAULT_CHAT_MODEL), options: { maxRetryWait: 5, ...options } },
				...settings,
			},
		],
		connections: {
			Manual: { main: [[{ node: CONSUMER, type: 'main', index: 0 }]] },
			[MODEL]: { ai_languageModel: [[{ node: CONSUMER, type: 'ai_languageModel', index: 0 }]] },
		},
	};
}

async function run(
	consumer: IDataObject,
	options: IDataObject = {},
	credentials = credentialsFor(em),
): Promise<RunResult> {
	return await runWorkflow(workflow(consumer, options), { credentials });
}

function output(result: RunResult): any {
	if (result.status !== 'success')
		throw result.nodeError(CONSUMER) ?? result.error ?? new Error(result.status);
	return result.output(CONSUMER)[0].json;
}

/** What n8n's log panel shows for each of the model's runs (the adapter's tracing output). */
function modelRuns(result: RunResult): IDataObject[] {
	return (result.runData[MODEL] ?? []).map(
		(task) => (task.data?.ai_languageModel?.[0]?.[0]?.json ?? {}) as IDataObject,
	);
}

function expectNoKey(value: unknown): void {
	expect(JSON.stringify(value)).not.toContain(em.apiKey);
}

describe('generate', () => {
	test('a whole answer with usage and exact cost; sampling options reach ScaiGrid', async () => {
		const result = await run(
			{ scenario: 'generate', prompt: 'Say hello [[dump]]' },
			{ maxTokens: 50, temperature: 0.2, topP: 0.9, seed: 7, stop: 'END, ###' },
		);
		const json = output(result);
		const [request] = chatRequests(em);
		expect(request.body).toMatchObject({
			model: DEFAULT_CHAT_MODEL,
			max_tokens: 50,
			temperature: 0.2,
			top_p: 0.9,
			seed: 7,
			stop: ['END', '###'],
			messages: [
				{ role: 'system', content: 'You are a test.' },
				{ role: 'user', content: 'Say hello [[dump]]' },
			],
		});
		expect(request.body.stream).toBeUndefined();
		const usage = json.usage;
		expect(usage.input_tokens).toBeGreaterThan(0);
		const report = json.responseMetadata.scaigrid;
		expect(report).toMatchObject({
			model: DEFAULT_CHAT_MODEL,
			requestId: request.request_id,
			attempts: 1,
			promptTokens: usage.input_tokens,
			completionTokens: usage.output_tokens,
			costDecimal: expectedCost(
				usage.input_tokens,
				usage.output_tokens,
				prices.input,
				prices.output,
			),
		});
		// The log panel: the model's run with n8n's tokenUsage, as n8n's own model nodes show it.
		const [logged] = modelRuns(result);
		expect(logged.tokenUsage).toEqual({
			promptTokens: usage.input_tokens,
			completionTokens: usage.output_tokens,
			totalTokens: usage.input_tokens + usage.output_tokens,
		});
		// The cost: a hint on the model's run.
		const hints = result.runData[MODEL].at(-1)?.hints ?? [];
		expect(hints.map((hint) => hint.message)).toEqual([
			`ScaiGrid call ${request.request_id} (${DEFAULT_CHAT_MODEL}): ${usage.input_tokens} + ${usage.output_tokens} tokens, cost ${report.costDecimal}.`,
		]);
	});

	test('the model is looked up once for its prices, then cached', async () => {
		await run({ scenario: 'generate', prompt: 'one' });
		await run({ scenario: 'generate', prompt: 'two' });
		expect(chatRequests(em)).toHaveLength(2);
		expect(modelGets(em).length).toBeLessThanOrEqual(1);
	});
});

describe('stream', () => {
	test('text deltas as they come, then a final chunk with usage; same text as generate', async () => {
		const prompt = 'Tell me how nodes whisper';
		const whole = output(await run({ scenario: 'generate', prompt }));
		em.clearRequests();
		const result = await run({ scenario: 'stream', prompt });
		const json = output(result);
		const [request] = chatRequests(em);
		expect(request.body.stream).toBe(true);
		const texts = json.chunks.map((chunk: any) => chunk.text).filter((text: string) => text !== '');
		expect(texts.length).toBeGreaterThan(3);
		expect(texts.join('')).toBe(whole.text);
		expect(json.text).toBe(whole.text);
		const last = json.chunks.at(-1);
		expect(last.finishReason).toBe('stop');
		expect(last.usage).toMatchObject(whole.usage);
		expect(json.usage).toMatchObject(whole.usage);
		// The exact usage and cost of the streamed call: the hint on the model's run.
		const hints = (result.runData[MODEL].at(-1)?.hints ?? []).map((hint) => hint.message);
		expect(hints).toEqual([
			expect.stringContaining(
				`ScaiGrid call ${request.request_id} (${DEFAULT_CHAT_MODEL}): ${whole.usage.input_tokens} + ${whole.usage.output_tokens} tokens, cost ${whole.responseMetadata.scaigrid.costDecimal}.`,
			),
		]);
		// n8n's adapter (ai-node-sdk 0.31.1) reads streamed usage under keys LangChain does not
		// use there, so the log panel shows its own estimate for streamed calls, not our usage.
		const [logged] = modelRuns(result);
		expect(logged.tokenUsage).toBeUndefined();
		expect(logged.tokenUsageEstimate).toBeDefined();
	});

	test('tool-call deltas: several calls in one turn arrive whole and apart, with their IDs', async () => {
		const json = output(
			await run({
				scenario: 'streamTools',
				prompt: TWO_CALLS,
				tools: JSON.stringify([WEATHER, TIME]),
			}),
		);
		expect(json.first.toolCalls).toEqual([
			expect.objectContaining({ id: 'call_1', name: 'get_weather', args: { city: 'Bern' } }),
			expect.objectContaining({ id: 'call_2', name: 'get_time', args: { tz: 'CET' } }),
		]);
		expect(json.second.text).toBe(
			'Final answer using: get_weather=get_weather says {"city":"Bern"}; get_time=get_time says {"tz":"CET"}',
		);
	});

	test('an error frame after text has arrived fails the call: no shortened answer, no retry', async () => {
		em.failNext({ fault: 'streamErrorMidway', code: 'BACKEND_ERROR' });
		const result = await run({
			scenario: 'stream',
			prompt: 'Tell me how nodes whisper in streams',
		});
		expect(result.status).toBe('error');
		expect(result.output(CONSUMER)).toEqual([]);
		const error: any = result.nodeError(CONSUMER);
		expect(error.message).toMatch(/^ScaiGrid BACKEND_ERROR: Stream failed/);
		expect(error.description).toMatch(/Text received before the failure/);
		expect(chatRequests(em)).toHaveLength(1);
		expectNoKey(result.run);
	});

	test('an error frame before any text is retried like any failure', async () => {
		em.failNext({ fault: 'streamErrorFirst', code: 'BACKEND_ERROR' });
		const json = output(
			await run(
				{ scenario: 'stream', prompt: 'Tell me how nodes whisper' },
				{ retryTransient: true },
			),
		);
		expect(json.text).toBe('Echo: Tell me how nodes whisper');
		expect(chatRequests(em)).toHaveLength(2);
		expect(json.chunks.at(-1).usage).not.toBeNull();
	});

	test('a cut stream is STREAM_INTERRUPTED, never a short answer', async () => {
		em.failNext({ fault: 'streamCut' });
		const result = await run({
			scenario: 'stream',
			prompt: 'Tell me how nodes whisper in long streams',
		});
		expect(result.status).toBe('error');
		expect(result.nodeError(CONSUMER)?.message).toMatch(/^ScaiGrid STREAM_INTERRUPTED/);
	});
});

describe('tools', () => {
	test('bound tools go to ScaiGrid; several calls come back with IDs; results return as tool messages', async () => {
		const json = output(
			await run({ scenario: 'tools', prompt: TWO_CALLS, tools: JSON.stringify([WEATHER, TIME]) }),
		);
		expect(json.first.toolCalls).toEqual([
			expect.objectContaining({ id: 'call_1', name: 'get_weather', args: { city: 'Bern' } }),
			expect.objectContaining({ id: 'call_2', name: 'get_time', args: { tz: 'CET' } }),
		]);
		const [first, second] = chatRequests(em);
		expect(first.body.tools).toEqual([WEATHER, TIME]);
		expect(second.body.messages.slice(2)).toEqual([
			{
				role: 'assistant',
				content: null,
				tool_calls: [
					{
						id: 'call_1',
						type: 'function',
						function: { name: 'get_weather', arguments: '{"city":"Bern"}' },
					},
					{
						id: 'call_2',
						type: 'function',
						function: { name: 'get_time', arguments: '{"tz":"CET"}' },
					},
				],
			},
			{ role: 'tool', tool_call_id: 'call_1', content: 'get_weather says {"city":"Bern"}' },
			{ role: 'tool', tool_call_id: 'call_2', content: 'get_time says {"tz":"CET"}' },
		]);
		expect(json.second.text).toBe(
			'Final answer using: get_weather=get_weather says {"city":"Bern"}; get_time=get_time says {"tz":"CET"}',
		);
	});
});

describe('the retry table', () => {
	test('a 429 with Retry-After is waited out and retried', async () => {
		em.failNext({ code: 'RATE_LIMITED', retryAfter: 1 });
		const started = Date.now();
		const json = output(await run({ scenario: 'generate', prompt: 'hello' }));
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(chatRequests(em)).toHaveLength(2);
		expect(json.responseMetadata.scaigrid.attempts).toBe(2);
	});

	test('BUDGET_EXCEEDED fails at once, with what to do and the request ID', async () => {
		em.failNext({ code: 'BUDGET_EXCEEDED' });
		const result = await run({ scenario: 'generate', prompt: 'hello' });
		expect(result.status).toBe('error');
		expect(chatRequests(em)).toHaveLength(1);
		const error: any = result.nodeError(CONSUMER);
		expect(error.message).toMatch(/^ScaiGrid BUDGET_EXCEEDED/);
		// The request ID in the message too: n8n's AI Agent keeps only a model error's message.
		expect(error.message).toContain(`(request ID ${chatRequests(em)[0].request_id})`);
		expect(error.description).toMatch(/budget hit its hard limit/);
		expect(error.description).toMatch(/Request ID: req_/);
		// The model's own run in the log panel carries the same error.
		const modelTask = result.runData[MODEL].at(-1);
		expect(modelTask?.error?.message).toMatch(/BUDGET_EXCEEDED/);
	});

	test('the API key never appears in an error, even when the server echoes it', async () => {
		em.failNext({ code: 'AUTH_TOKEN_INVALID', message: `Key ${em.apiKey} is not valid` });
		const result = await run({ scenario: 'generate', prompt: 'hello' });
		expect(result.status).toBe('error');
		const error: any = result.nodeError(CONSUMER);
		expect(error.message).toContain('[redacted]');
		expectNoKey(result.run);
		expectNoKey(error);
	});
});
