/**
 * Streaming in n8n's engine against the emulator: a streamed chat gives the same item as an
 * unstreamed one (text, usage, finish reason, tool calls), its text reaches the caller through
 * `sendChunk` (begin, items, end) in a streaming run, mid-stream errors retry before anything
 * was forwarded and fail the item with the partial text after, broken streams are
 * STREAM_INTERRUPTED, the Streaming option (Auto/On/Off) decides the request's `stream` flag,
 * and cancelling the execution closes the connection to ScaiGrid.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { loadWorkflowFile, runWorkflow } from '../helpers/engine';
import type { Chunk, RunOptions, RunResult } from '../helpers/engine';
import { chatRequests } from '../helpers/requestLog';
import type { LoggedRequest } from '../helpers/requestLog';
import {
	CHAT,
	CHAT_NODE,
	chatParameters,
	chatWorkflow,
	credentialsFor,
} from '../helpers/workflows';
import type { NodeSettings } from '../helpers/workflows';
import { useEmulator } from '../helpers/emulator';

const em = useEmulator({ rateLimit: false });

// ---- helpers ------------------------------------------------------------------------------

const QUESTION = 'Tell me how nodes whisper über ünïcödé streams';
const ANSWER = `Echo: ${QUESTION}`;

async function run(workflow: object, options: RunOptions = {}): Promise<RunResult> {
	return await runWorkflow(workflow, {
		credentials: credentialsFor(em),
		triggerItems: [{ question: QUESTION }],
		...options,
	});
}

/** Chat with the given Streaming option (undefined = not set = Auto), short retry waits. */
function chat(streaming?: string, parameters: IDataObject = {}, settings: NodeSettings = {}) {
	const options: IDataObject = { maxRetryWait: 5, ...(parameters.options as IDataObject) };
	if (streaming !== undefined) options.streaming = streaming;
	return chatWorkflow(chatParameters({ ...parameters, options }), {
		...CHAT_NODE,
		retryOnFail: true,
		maxTries: 3,
		waitBetweenTries: 10,
		...settings,
	});
}

/** An item's json without what differs between two calls of the same question. */
function comparable(item: INodeExecutionData): IDataObject {
	const { latencyMs, requestId, id, _meta, ...rest } = item.json;
	return rest;
}

function streamFlags(): Array<boolean | undefined> {
	return chatRequests(em).map((r: LoggedRequest) => r.body.stream);
}

function chatChunks(result: RunResult): Chunk[] {
	return result.chunks.filter((c) => c.nodeName === CHAT);
}

function itemTexts(chunks: Chunk[], itemIndex = 0): string[] {
	return chunks
		.filter((c) => c.type === 'item' && c.itemIndex === itemIndex)
		.map((c) => String(c.content));
}

function expectNoKey(value: unknown): void {
	expect(JSON.stringify(value)).not.toContain(em.apiKey);
}

// ---- same result, streamed or not ---------------------------------------------------------

describe('a streamed chat gives the same item as an unstreamed one', () => {
	test('simplified: text, finish reason, usage, cost, model', async () => {
		const plain = await run(chat('off'));
		const streamed = await run(chat('on'));
		expect(plain.error).toBeUndefined();
		expect(streamed.error).toBeUndefined();
		expect(streamFlags()).toEqual([undefined, true]);

		const [a] = plain.output(CHAT);
		const [b] = streamed.output(CHAT);
		expect(b.json.text).toBe(ANSWER);
		expect(b.json.finishReason).toBe('stop');
		expect(b.json.usage).toEqual(a.json.usage);
		expect((b.json.usage as IDataObject).completionTokens).toBeGreaterThan(0);
		expect(comparable(b)).toEqual(comparable(a));
		expect(b.json.requestId).toBe(chatRequests(em)[1].request_id);
		// Token usage reaches n8n's execution metadata as with a plain call.
		expect(streamed.metadata(CHAT)).toEqual(plain.metadata(CHAT));
	});

	test("raw: the same choices and usage as the API's non-streamed data", async () => {
		const plain = await run(chat('off', { simplify: false }));
		const streamed = await run(chat('on', { simplify: false }));
		const [a] = plain.output(CHAT);
		const [b] = streamed.output(CHAT);
		expect(b.json.choices).toEqual(a.json.choices);
		expect(b.json.usage).toEqual(a.json.usage);
		expect(b.json.model).toBe(a.json.model);
		expect(b.json.cost).toBe(a.json.cost);
	});

	test('finish reason "length" streamed like unstreamed (truncated flag)', async () => {
		const plain = await run(chat('off', { options: { maxTokens: 3 } }));
		const streamed = await run(chat('on', { options: { maxTokens: 3 } }));
		const [a] = plain.output(CHAT);
		const [b] = streamed.output(CHAT);
		expect(b.json.finishReason).toBe('length');
		expect(b.json.truncated).toBe(true);
		expect(comparable(b)).toEqual(comparable(a));
	});

	test('tool calls: joined from streamed fragments, routed like unstreamed ones', async () => {
		const tools = {
			tool: [
				{
					name: 'get_weather',
					description: 'Weather for a city',
					argumentsMode: 'fields',
					fields: { field: [{ name: 'location', type: 'string', required: true }] },
				},
				{
					name: 'get_time',
					description: 'Local time of a city',
					argumentsMode: 'fields',
					fields: { field: [{ name: 'city', type: 'string', required: true }] },
				},
			],
		};
		const question =
			'Weather and time? [[tool:get_weather {"location":"Zürich, Schweiz"}]] [[tool:get_time {"city":"Bern"}]]';
		const runBoth = async (simplify: boolean) => {
			const options = { triggerItems: [{ question }] };
			const plain = await run(chat('off', { tools, simplify }), options);
			const streamed = await run(chat('on', { tools, simplify }), options);
			expect(plain.error).toBeUndefined();
			expect(streamed.error).toBeUndefined();
			return { plain, streamed };
		};

		const raw = await runBoth(false);
		const rawItems = (r: RunResult) => [0, 1, 2].flatMap((o) => r.output(CHAT, o));
		const calls = (r: RunResult) =>
			rawItems(r).flatMap((item) => {
				// Message items carry the API's data; tool call items carry it under `response`.
				const data = (item.json.response as IDataObject | undefined) ?? item.json;
				const message = (data.choices as IDataObject[] | undefined)?.[0]?.message as
					IDataObject | undefined;
				return (message?.tool_calls as IDataObject[] | undefined) ?? [];
			});
		expect(calls(raw.streamed).length).toBeGreaterThan(0);
		expect(calls(raw.streamed)).toEqual(calls(raw.plain));
		expect(calls(raw.streamed)).toEqual(
			expect.arrayContaining([
				{
					id: 'call_1',
					type: 'function',
					function: { name: 'get_weather', arguments: '{"location":"Zürich, Schweiz"}' },
				},
				{
					id: 'call_2',
					type: 'function',
					function: { name: 'get_time', arguments: '{"city":"Bern"}' },
				},
			]),
		);

		const simplified = await runBoth(true);
		for (const output of [0, 1, 2]) {
			const a = simplified.plain.output(CHAT, output).map(comparable);
			const b = simplified.streamed.output(CHAT, output).map(comparable);
			expect(b).toEqual(a);
		}
		expect(streamFlags()).toEqual([undefined, true, undefined, true]);
	});
});

// ---- the Streaming option -----------------------------------------------------------------

describe('Streaming option', () => {
	test('Auto (the default) streams only when the run streams its response', async () => {
		const quiet = await run(chat());
		const live = await run(chat(), { streaming: true });
		expect(quiet.error).toBeUndefined();
		expect(live.error).toBeUndefined();
		expect(streamFlags()).toEqual([undefined, true]);
		expect(quiet.output(CHAT)[0].json.text).toBe(ANSWER);
		expect(live.output(CHAT)[0].json.text).toBe(ANSWER);
		expect(chatChunks(live).length).toBeGreaterThan(2);
	});

	test('On streams from ScaiGrid in a normal run too (nothing is sent to a caller)', async () => {
		const result = await run(chat('on'));
		expect(result.error).toBeUndefined();
		expect(streamFlags()).toEqual([true]);
		expect(result.chunks).toEqual([]);
		expect(result.output(CHAT)[0].json.text).toBe(ANSWER);
	});

	test('Off never streams, even when the run streams its response', async () => {
		const result = await run(chat('off'), { streaming: true });
		expect(result.error).toBeUndefined();
		expect(streamFlags()).toEqual([undefined]);
		expect(chatChunks(result)).toEqual([]);
		expect(result.output(CHAT)[0].json.text).toBe(ANSWER);
	});
});

// ---- sendChunk ----------------------------------------------------------------------------

describe('text reaches the caller as it arrives', () => {
	test('begin, one item per streamed word, end; the items add up to the final text', async () => {
		const result = await run(chat(), { streaming: true });
		const chunks = chatChunks(result);
		expect(chunks[0]).toMatchObject({ type: 'begin', itemIndex: 0 });
		expect(chunks.at(-1)).toMatchObject({ type: 'end', itemIndex: 0 });
		const middle = chunks.slice(1, -1);
		expect(middle.every((c) => c.type === 'item' && c.itemIndex === 0)).toBe(true);
		// The emulator streams one word per chunk.
		expect(middle.length).toBe(ANSWER.split(/\s+/).length);
		expect(itemTexts(chunks).join('')).toBe(ANSWER);
		expect(itemTexts(chunks).join('')).toBe(result.output(CHAT)[0].json.text);
	});

	test('several items: chunks carry their item index; each item is framed by begin and end', async () => {
		const questions = ['first question here', 'second one', 'and the third question'];
		const result = await run(chat(), {
			streaming: true,
			triggerItems: questions.map((question) => ({ question })),
		});
		expect(result.error).toBeUndefined();
		const chunks = chatChunks(result);
		const items = result.output(CHAT);
		expect(items).toHaveLength(3);
		questions.forEach((question, i) => {
			const own = chunks.filter((c) => c.itemIndex === i);
			expect(own[0].type).toBe('begin');
			expect(own.at(-1)!.type).toBe('end');
			expect(itemTexts(chunks, i).join('')).toBe(`Echo: ${question}`);
			expect(items[i].json.text).toBe(`Echo: ${question}`);
		});
	});

	test('the Chat Trigger example in streaming mode', async () => {
		const workflow = loadWorkflowFile('examples/chat-streaming.json');
		const result = await run(workflow, {
			streaming: true,
			triggerItems: [{ chatInput: 'Hello', sessionId: 's1' }],
		});
		expect(result.error).toBeUndefined();
		const node = 'ScaiGrid Chat';
		const [item] = result.output(node);
		expect(item.json.text).toBe('Echo: Hello');
		const chunks = result.chunks.filter((c) => c.nodeName === node);
		expect(chunks.map((c) => c.type)).toEqual(['begin', 'item', 'item', 'end']);
		expect(itemTexts(chunks).join('')).toBe('Echo: Hello');
		const [request] = chatRequests(em);
		expect(request.body.stream).toBe(true);
		expect(request.body.messages.at(-1)).toEqual({ role: 'user', content: 'Hello' });
	});
});

// ---- failures -----------------------------------------------------------------------------

describe('failures while streaming', () => {
	test('error frame before the first token: the whole call is retried, one item, two requests', async () => {
		em.failNext({ fault: 'streamErrorFirst', code: 'BACKEND_ERROR' });
		const result = await run(chat(), { streaming: true });
		expect(result.error).toBeUndefined();
		expect(chatRequests(em)).toHaveLength(2);
		expect(streamFlags()).toEqual([true, true]);
		const items = result.output(CHAT);
		expect(items).toHaveLength(1);
		expect(items[0].json.text).toBe(ANSWER);
		expect(items[0].json.attempts).toBe(2);
		// The caller saw one clean answer: nothing of the failed attempt.
		const chunks = chatChunks(result);
		expect(chunks.map((c) => c.type)).toEqual([
			'begin',
			...itemTexts(chunks).map(() => 'item'),
			'end',
		]);
		expect(itemTexts(chunks).join('')).toBe(ANSWER);
	});

	test('a non-retryable error frame fails at once', async () => {
		em.failNext({ fault: 'streamErrorFirst', code: 'BUDGET_EXCEEDED', message: 'Budget reached' });
		const result = await run(chat('on'), {});
		expect(chatRequests(em)).toHaveLength(1);
		const error = result.nodeError(CHAT)!;
		expect(error.message).toContain('BUDGET_EXCEEDED');
		expect(error.message).toContain('Budget reached');
		expectNoKey(error);
	});

	test('error frame after text reached the caller: the item fails with the partial text, end is sent', async () => {
		em.failNext({ fault: 'streamErrorMidway', code: 'BACKEND_ERROR', message: 'upstream died' });
		const result = await run(chat(), { streaming: true });
		expect(result.status).toBe('error');
		expect(chatRequests(em)).toHaveLength(1);
		const chunks = chatChunks(result);
		const partial = itemTexts(chunks).join('');
		expect(partial.length).toBeGreaterThan(0);
		expect(ANSWER.startsWith(partial)).toBe(true);
		expect(partial).not.toBe(ANSWER);
		expect(chunks[0].type).toBe('begin');
		expect(chunks.filter((c) => c.type !== 'error').at(-1)!.type).toBe('end');

		const error = result.nodeError(CHAT) as Error & { description?: string; context?: IDataObject };
		expect(error.message).toContain('BACKEND_ERROR');
		expect(error.message).toContain('upstream died');
		expect(error.description).toContain(partial);
		expectNoKey(error);
	});

	test('…with the Error output: an error item carrying partialText', async () => {
		em.failNext({ fault: 'streamErrorMidway', code: 'BACKEND_ERROR' });
		const result = await run(chat(undefined, {}, { onError: 'continueErrorOutput' }), {
			streaming: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.output(CHAT, 0)).toHaveLength(0);
		const errors = result.output(CHAT, 1);
		expect(errors).toHaveLength(1);
		// n8n reshapes items moved to the error output: {...input, error, message, details: {rest}}.
		const json = errors[0].json;
		expect(json.question).toBe(QUESTION);
		expect(json.error).toContain('BACKEND_ERROR');
		const details = json.details as IDataObject;
		expect(details.code).toBe('BACKEND_ERROR');
		expect(details.attempts).toBe(1);
		expect(details.requestId).toBe(chatRequests(em)[0].request_id);
		expect(details.partialText).toBe(itemTexts(chatChunks(result)).join(''));
		expect(ANSWER.startsWith(String(details.partialText))).toBe(true);
		expect(String(details.partialText).length).toBeGreaterThan(0);
		expect(String(details.description)).toContain(String(details.partialText));
		expect(errors[0].pairedItem).toEqual({ item: 0 });
		expect(chatChunks(result).at(-1)!.type).toBe('end');
		expectNoKey(json);
	});

	test('an error frame mid-stream without a caller to stream to is retried (nothing was forwarded)', async () => {
		em.failNext({ fault: 'streamErrorMidway', code: 'BACKEND_ERROR' });
		const result = await run(chat('on'));
		expect(result.error).toBeUndefined();
		expect(chatRequests(em)).toHaveLength(2);
		expect(result.output(CHAT)[0].json.text).toBe(ANSWER);
	});

	test.each(['streamNoDone', 'streamCut'] as const)(
		'%s after text reached the caller → STREAM_INTERRUPTED with the partial text',
		async (fault) => {
			em.failNext({ fault });
			const result = await run(chat(undefined, {}, { onError: 'continueRegularOutput' }), {
				streaming: true,
			});
			expect(result.error).toBeUndefined();
			expect(chatRequests(em)).toHaveLength(1);
			const [item] = result.output(CHAT);
			expect(item.json.code).toBe('STREAM_INTERRUPTED');
			expect(item.json.text).toBeUndefined();
			const partial = itemTexts(chatChunks(result)).join('');
			expect(item.json.partialText).toBe(partial);
			expect(partial.length).toBeGreaterThan(0);
			expect(ANSWER.startsWith(partial)).toBe(true);
			expect(String(item.json.description)).toContain('partialText');
			expect(chatChunks(result).at(-1)!.type).toBe('end');
		},
	);

	test.each(['streamNoDone', 'streamCut'] as const)(
		'%s every time, no caller: retried, then STREAM_INTERRUPTED',
		async (fault) => {
			em.failNext({ fault, count: 10 });
			const result = await run(chat('on', {}, { maxTries: 2 }));
			expect(chatRequests(em)).toHaveLength(2);
			const error = result.nodeError(CHAT) as Error & { description?: string };
			expect(error.message).toContain('STREAM_INTERRUPTED');
			expect(error.description).toContain('Gave up after 2 attempts');
			expectNoKey(error);
		},
	);

	test('streamCut once, no caller: retried and answered in full', async () => {
		em.failNext({ fault: 'streamCut' });
		const result = await run(chat('on'));
		expect(result.error).toBeUndefined();
		expect(chatRequests(em)).toHaveLength(2);
		expect(result.output(CHAT)[0].json.text).toBe(ANSWER);
	});

	test('errors before the stream starts are ordinary JSON errors, retried as usual', async () => {
		em.failNext({ code: 'RATE_LIMITED', retryAfter: 0.05, path: '/v1/inference/chat' });
		const result = await run(chat(), { streaming: true });
		expect(result.error).toBeUndefined();
		expect(chatRequests(em).map((r: LoggedRequest) => r.status)).toEqual([429, 200]);
		expect(result.output(CHAT)[0].json.attempts).toBe(2);
		expect(itemTexts(chatChunks(result)).join('')).toBe(ANSWER);
	});
});

// ---- cancelling ---------------------------------------------------------------------------

describe('cancelling the execution', () => {
	test('closes the connection to ScaiGrid while the answer is streaming', async () => {
		em.setStreamPacing(100);
		const long = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen';
		const started = Date.now();
		const result = await run(chat(), {
			streaming: true,
			cancelAfterMs: 450,
			triggerItems: [{ question: long }],
		});
		const elapsed = Date.now() - started;
		expect(result.status).toBe('canceled');
		// The full stream would take (words + framing) × 100 ms ≈ 2 s.
		expect(elapsed).toBeLessThan(1500);
		const [request] = chatRequests(em) as Array<
			LoggedRequest & { streamEnd?: string; streamWrites?: unknown[] }
		>;
		// Give the emulator's 'close' event a moment to land.
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(request.streamEnd).toBe('client-closed');
		const frames = `Echo: ${long}`.split(/\s+/).length;
		expect(request.streamWrites!.length).toBeLessThan(frames);
		// Some text reached the caller before the cancel.
		expect(itemTexts(chatChunks(result)).length).toBeGreaterThan(0);
	});
});
