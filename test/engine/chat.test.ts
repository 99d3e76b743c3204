/**
 * ScaiGrid Chat in n8n's engine against the emulator: every prompt form, the model picker's
 * modes, each option's effect on the request the emulator received and on the output item,
 * images and audio, parameter mistakes (caught before anything is sent), exact cost, and
 * continue on fail with a mix of good and bad items. Volume and pacing: chat-volume.test.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import { binaryData, loadWorkflowFile, runWorkflow, searchList } from '../helpers/engine';
import type { RunResult } from '../helpers/engine';
import { expectedCost } from '../helpers/cost';
import { chatRequests, fetchModel, modelGets } from '../helpers/requestLog';
import {
	CHAT,
	CHAT_NODE,
	CHAT_TYPE,
	DEFAULT_CHAT_MODEL as OMNI,
	chatParameters,
	chatWorkflow,
	credentialsFor,
	rl,
} from '../helpers/workflows';
import type { NodeSettings } from '../helpers/workflows';
import { makePdf, makePng, makeWav, readPng } from '../fixtures/media';
import { startEmulator } from '../../emulator';
import { useEmulator } from '../helpers/emulator';

// No rate limit here: these tests send many small runs; pacing is chat-volume.test.ts.
const em = useEmulator({ rateLimit: false });

async function run(
	workflow: object,
	triggerItems: object[] = [{ question: 'Hello there' }],
): Promise<RunResult> {
	return await runWorkflow(workflow, {
		credentials: credentialsFor(em),
		triggerItems: triggerItems as never,
	});
}

/** An example workflow as the demo runs it: its own trigger, no injected items. */
async function runExample(file: string): Promise<RunResult> {
	return await runWorkflow(loadWorkflowFile(file), { credentials: credentialsFor(em) });
}

/** The item's json; the run must have succeeded. */
function only(result: RunResult): any {
	expect(result.nodeError(CHAT)).toBeUndefined();
	expect(result.status).toBe('success');
	const items = result.output(CHAT);
	expect(items).toHaveLength(1);
	expect(items[0].pairedItem).toEqual({ item: 0 });
	return items[0].json;
}

/** The body of the only chat request the emulator received. */
function onlyBody(): any {
	const requests = chatRequests(em);
	expect(requests).toHaveLength(1);
	return requests[0].body;
}

/** Checks an error stops the run at the given item, names it, and never carries the key. */
function expectItemError(result: RunResult, itemIndex: number, message: RegExp): any {
	expect(result.status).toBe('error');
	const error = result.nodeError(CHAT) as any;
	expect(error).toBeDefined();
	expect(error.message).toMatch(message);
	expect(error.context?.itemIndex).toBe(itemIndex);
	expect(
		JSON.stringify({ ...error, message: error.message, description: error.description }),
	).not.toContain(em.apiKey);
	return error;
}

// ---- Prompt ---------------------------------------------------------------------------------

describe('Prompt', () => {
	test('simple prompt without system message: one user message, the reply and its bookkeeping', async () => {
		const result = await run(chatWorkflow(chatParameters(), CHAT_NODE), [
			{ question: 'What is the capital of Switzerland?' },
		]);
		const json = only(result);

		const body = onlyBody();
		expect(body).toEqual({
			model: OMNI,
			messages: [{ role: 'user', content: 'What is the capital of Switzerland?' }],
		});

		const request = chatRequests(em)[0];
		expect(json).toMatchObject({
			text: 'Echo: What is the capital of Switzerland?',
			finishReason: 'stop',
			truncated: false,
			contentFiltered: false,
			// Emulator tokenizer: 4 per message + 1 per word; reply "Echo: ..." is 7 words.
			usage: { promptTokens: 4 + 6, completionTokens: 7, totalTokens: 17 },
			model: OMNI,
			requestId: request.request_id,
			attempts: 1,
		});
		expect(typeof json.latencyMs).toBe('number');
		expect(request.status).toBe(200);
	});

	test('simple prompt with a system message: system first, then user', async () => {
		const result = await run(
			chatWorkflow(chatParameters({ systemMessage: 'You are terse.' }), CHAT_NODE),
			[{ question: 'Capital of Italy?' }],
		);
		expect(only(result).text).toBe('Echo: Capital of Italy?');
		expect(onlyBody().messages).toEqual([
			{ role: 'system', content: 'You are terse.' },
			{ role: 'user', content: 'Capital of Italy?' },
		]);
	});

	test('message list: few-shot roles are sent in order, with expressions resolved per item', async () => {
		const parameters = chatParameters({
			prompt: 'messages',
			messages: {
				message: [
					{ role: 'system', content: 'Classify the sentiment as positive or negative.' },
					{ role: 'user', content: 'I love it' },
					{ role: 'assistant', content: 'positive' },
					{ role: 'user', content: 'I hate it' },
					{ role: 'assistant', content: 'negative' },
					{ role: 'user', content: '={{ $json.review }}' },
				],
			},
		});
		const result = await run(chatWorkflow(parameters, CHAT_NODE), [{ review: 'Great service' }]);
		expect(only(result).text).toBe('Echo: Great service');
		expect(onlyBody().messages).toEqual([
			{ role: 'system', content: 'Classify the sentiment as positive or negative.' },
			{ role: 'user', content: 'I love it' },
			{ role: 'assistant', content: 'positive' },
			{ role: 'user', content: 'I hate it' },
			{ role: 'assistant', content: 'negative' },
			{ role: 'user', content: 'Great service' },
		]);
	});

	const history = [
		{ role: 'system', content: 'You are a guide.' },
		{ role: 'user', content: 'Where to go?' },
		{ role: 'assistant', content: 'Lucerne.' },
	];

	test('conversation from input (array) + appended user message; the output carries it on with the reply', async () => {
		const parameters = chatParameters({
			prompt: 'fromInput',
			conversationField: 'messages',
			appendUserMessage: 'Why Lucerne?',
		});
		const json = only(await run(chatWorkflow(parameters, CHAT_NODE), [{ messages: history }]));

		const sent = [...history, { role: 'user', content: 'Why Lucerne?' }];
		expect(onlyBody().messages).toEqual(sent);
		expect(json.text).toBe('Echo: Why Lucerne?');
		expect(json.messages).toEqual([...sent, { role: 'assistant', content: 'Echo: Why Lucerne?' }]);
	});

	test('conversation from input as a JSON string, without an appended message', async () => {
		const conversation = [...history, { role: 'user', content: 'And then?' }];
		const parameters = chatParameters({ prompt: 'fromInput', conversationField: 'history' });
		const json = only(
			await run(chatWorkflow(parameters, CHAT_NODE), [{ history: JSON.stringify(conversation) }]),
		);

		expect(onlyBody().messages).toEqual(conversation);
		expect(json.history).toEqual([
			...conversation,
			{ role: 'assistant', content: 'Echo: And then?' },
		]);
	});

	test('a conversation in a nested field travels on in the same nested field', async () => {
		const parameters = chatParameters({
			prompt: 'fromInput',
			conversationField: 'chat.history',
			appendUserMessage: 'Next?',
		});
		const json = only(await run(chatWorkflow(parameters, CHAT_NODE), [{ chat: { history } }]));

		expect(onlyBody().messages).toEqual([...history, { role: 'user', content: 'Next?' }]);
		expect(json.chat.history).toEqual([
			...history,
			{ role: 'user', content: 'Next?' },
			{ role: 'assistant', content: 'Echo: Next?' },
		]);
	});

	test("examples/chat-conversation.json: the second Chat node continues the first one's conversation", async () => {
		const result = await runExample('examples/chat-conversation.json');
		expect(result.status).toBe('success');

		const [first, second] = chatRequests(em);
		expect(chatRequests(em)).toHaveLength(2);
		const opening = [
			{ role: 'system', content: 'You are a travel guide for Switzerland. Keep answers short.' },
			{ role: 'user', content: 'Which city should I visit first?' },
		];
		expect(first.body.messages).toEqual(opening);
		const firstReply = { role: 'assistant', content: 'Echo: Which city should I visit first?' };
		expect(second.body.messages).toEqual([
			...opening,
			firstReply,
			{ role: 'user', content: 'And what should I eat there?' },
		]);

		const [out] = result.output('Follow-up');
		expect(out.pairedItem).toEqual({ item: 0 });
		expect(out.json.text).toBe('Echo: And what should I eat there?');
		expect(out.json.messages).toEqual([
			...opening,
			firstReply,
			{ role: 'user', content: 'And what should I eat there?' },
			{ role: 'assistant', content: 'Echo: And what should I eat there?' },
		]);
		expect(result.output('First Answer')[0].json.messages).toEqual([...opening, firstReply]);
	});

	test('examples/chat-basic.json: three questions, three answers in order with cost and request ID', async () => {
		const result = await runExample('examples/chat-basic.json');
		expect(result.status).toBe('success');
		const answers = result.output('Answer').map((item) => item.json);
		const questions = [
			'What is the capital of Switzerland?',
			'Name one river that flows through Basel.',
			'How many official languages does Switzerland have?',
		];
		expect(answers.map((a) => a.question)).toEqual(questions);
		expect(answers.map((a) => a.text)).toEqual(questions.map((q) => `Echo: ${q}`));
		const requests = chatRequests(em);
		expect(requests).toHaveLength(3);
		for (const answer of answers) {
			expect(typeof answer.cost).toBe('number');
			expect(answer.cost).toBeGreaterThan(0);
			expect(requests.map((r) => r.request_id)).toContain(answer.requestId);
		}
		expect(Object.keys(answers[0]).sort()).toEqual(['cost', 'question', 'requestId', 'text']);
	});
});

// ---- Values mapped into text fields ----------------------------------------------------------

describe('an object, array, number or boolean mapped into a text field is sent as text', () => {
	// Objects and arrays as compact JSON (what n8n's own ensureType 'string' does, and how tool
	// results are sent); numbers and booleans as written. Never "[object Object]".
	const values: Array<[kind: string, value: unknown, sent: string]> = [
		[
			'an object',
			{ order: { id: 7, items: ['tea', 'cake'] }, paid: true },
			'{"order":{"id":7,"items":["tea","cake"]},"paid":true}',
		],
		['an array', [1, 'two', { three: 3 }], '[1,"two",{"three":3}]'],
		['a number (0)', 0, '0'],
		['a boolean (false)', false, 'false'],
	];
	const MAPPED = '={{ $json.value }}';
	const fields: Array<{
		field: string;
		parameters: IDataObject;
		item: IDataObject;
		sentMessage: (messages: any[]) => any;
	}> = [
		{
			field: 'User Message',
			parameters: chatParameters({ userMessage: MAPPED }),
			item: {},
			sentMessage: (messages) => messages[messages.length - 1],
		},
		{
			field: 'System Message',
			parameters: chatParameters({ systemMessage: MAPPED, userMessage: 'Hi' }),
			item: {},
			sentMessage: (messages) => messages[0],
		},
		{
			field: 'a Message List entry',
			parameters: chatParameters({
				prompt: 'messages',
				messages: { message: [{ role: 'user', content: MAPPED }] },
			}),
			item: {},
			sentMessage: (messages) => messages[0],
		},
		{
			field: 'Append User Message',
			parameters: chatParameters({
				prompt: 'fromInput',
				conversationField: 'history',
				appendUserMessage: MAPPED,
			}),
			item: {
				history: [
					{ role: 'user', content: 'Hello' },
					{ role: 'assistant', content: 'Hi!' },
				],
			},
			sentMessage: (messages) => messages[messages.length - 1],
		},
	];
	const cases = fields.flatMap((f) =>
		values.map(([kind, value, sent]) => ({ ...f, kind, value, sent })),
	);

	test.each(cases)(
		'$field: $kind is sent as $sent',
		async ({ parameters, item, sentMessage, value, sent }) => {
			const result = await run(chatWorkflow(parameters, CHAT_NODE), [{ ...item, value }]);
			only(result);
			const body = onlyBody();
			expect(JSON.stringify(body)).not.toContain('[object Object]');
			const message = sentMessage(body.messages);
			expect(message.content).toBe(sent);
			expect(message.role).toBe(parameters.systemMessage ? 'system' : 'user');
		},
	);
});

// ---- Model ----------------------------------------------------------------------------------

describe('Model', () => {
	test('"From List" mode sends the picked slug', async () => {
		const model = {
			__rl: true,
			mode: 'list',
			value: 'openai/gpt-4o-mini',
			cachedResultName: 'GPT-4o mini',
		};
		const json = only(await run(chatWorkflow(chatParameters({ model }), CHAT_NODE)));
		expect(onlyBody().model).toBe('openai/gpt-4o-mini');
		expect(json.model).toBe('openai/gpt-4o-mini');
	});

	test('"By ID" mode sends the typed slug', async () => {
		only(
			await run(chatWorkflow(chatParameters({ model: rl('mistral/mistral-small') }), CHAT_NODE)),
		);
		expect(onlyBody().model).toBe('mistral/mistral-small');
	});

	test('an expression picks the model per item', async () => {
		const parameters = chatParameters({ model: rl('={{ $json.model }}') });
		const result = await run(chatWorkflow(parameters, CHAT_NODE), [
			{ question: 'one', model: 'anthropic/claude-haiku' },
			{ question: 'two', model: 'meta/llama-3.1-8b' },
		]);
		expect(result.status).toBe('success');
		expect(result.output(CHAT).map((i) => i.json.model)).toEqual([
			'anthropic/claude-haiku',
			'meta/llama-3.1-8b',
		]);
		const sent = Object.fromEntries(
			chatRequests(em).map((r) => [r.body.messages[0].content, r.body.model]),
		);
		expect(sent).toEqual({ one: 'anthropic/claude-haiku', two: 'meta/llama-3.1-8b' });
	});

	test('the "From List" search shows every chat model of every page, deprecated and degraded ones marked', async () => {
		em.setModelsPageSize(4);
		// n8n's own load-options context and HTTP helper, as the editor's "From List" runs it.
		const search = async (filter?: string) =>
			await searchList(CHAT_TYPE, 'searchChatModels', { credentials: credentialsFor(em), filter });
		const all = await search();
		const catalog = (await (
			await fetch(`${em.url}/v1/models?modality=chat&limit=100`, {
				headers: { authorization: `Bearer ${em.apiKey}` },
			})
		).json()) as { data: { items: Array<{ slug: string }> } };
		expect(all.results.map((r) => r.value)).toEqual(catalog.data.items.map((m) => m.slug));
		const label = (slug: string) => all.results.find((r) => r.value === slug)?.name;
		expect(label(OMNI)).toBe('PoolNoodle Omni · 128k context · 8k max output');
		expect(label('openai/gpt-3.5-turbo')).toMatch(/DEPRECATED/);
		expect(label('anthropic/claude-opus')).toMatch(/health: degraded/);
		const pages = em.requests.filter((r) => r.path === '/v1/models');
		expect(pages.length).toBeGreaterThan(1);
		for (const page of pages) expect(page.query.modality).toBe('chat');

		const filtered = await search('poolnoodle');
		expect(filtered.results.map((r) => r.value)).toEqual([
			'scailabs/poolnoodle-omni',
			'scailabs/poolnoodle-mini',
		]);
	});
});

// ---- Options --------------------------------------------------------------------------------

describe('Options', () => {
	test('Max Tokens is sent as max_tokens', async () => {
		const json = only(
			await run(chatWorkflow(chatParameters({ options: { maxTokens: 200 } }), CHAT_NODE)),
		);
		expect(onlyBody().max_tokens).toBe(200);
		expect(json.truncated).toBe(false);
	});

	test("Max Tokens above the model's max output fails before any chat request", async () => {
		const model = await fetchModel(em, OMNI);
		const tooMany = model.max_output_tokens + 1;
		const result = await run(
			chatWorkflow(chatParameters({ options: { maxTokens: tooMany } }), CHAT_NODE),
		);
		const error = expectItemError(result, 0, /Max Tokens/);
		expect(error.message).toContain(`${tooMany}`);
		expect(error.message).toContain(`${model.max_output_tokens}`);
		expect(chatRequests(em)).toHaveLength(0);
	});

	test('a model without max_output_tokens takes any Max Tokens', async () => {
		only(
			await run(
				chatWorkflow(
					chatParameters({ model: rl('meta/llama-3.1-70b'), options: { maxTokens: 100000 } }),
					CHAT_NODE,
				),
			),
		);
		expect(onlyBody().max_tokens).toBe(100000);
	});

	test('a reply cut at Max Tokens is flagged as truncated and leaves an execution hint', async () => {
		const result = await run(
			chatWorkflow(chatParameters({ options: { maxTokens: 3 } }), CHAT_NODE),
			[{ question: 'one two three four five' }],
		);
		const json = only(result);
		expect(onlyBody().max_tokens).toBe(3);
		expect(json).toMatchObject({
			text: 'Echo: one two',
			finishReason: 'length',
			truncated: true,
			contentFiltered: false,
		});
		expect(json.usage.completionTokens).toBe(3);
		const hints = result.hints(CHAT);
		expect(hints).toHaveLength(1);
		expect(hints[0].message).toMatch(/1 reply was cut off at Max Tokens/);
		expect(hints[0].type).toBe('warning');
	});

	test('Temperature, Top P and Seed are sent as given', async () => {
		const options = { temperature: 0.2, topP: 0.85, seed: 42 };
		only(await run(chatWorkflow(chatParameters({ options }), CHAT_NODE)));
		expect(onlyBody()).toMatchObject({ temperature: 0.2, top_p: 0.85, seed: 42 });
	});

	test('options not set are not sent', async () => {
		only(await run(chatWorkflow(chatParameters(), CHAT_NODE)));
		const body = onlyBody();
		for (const field of [
			'max_tokens',
			'temperature',
			'top_p',
			'stop',
			'seed',
			'metadata',
			'stream',
		]) {
			expect(body).not.toHaveProperty(field);
		}
	});

	test('one stop sequence is sent as a string, and the reply stops before it', async () => {
		const json = only(
			await run(chatWorkflow(chatParameters({ options: { stop: 'END' } }), CHAT_NODE), [
				{ question: 'alpha beta END gamma' },
			]),
		);
		expect(onlyBody().stop).toBe('END');
		expect(json.text).toBe('Echo: alpha beta ');
	});

	test('several stop sequences are sent as an array', async () => {
		const json = only(
			await run(chatWorkflow(chatParameters({ options: { stop: '###, END' } }), CHAT_NODE), [
				{ question: 'alpha END beta ### gamma' },
			]),
		);
		expect(onlyBody().stop).toEqual(['###', 'END']);
		expect(json.text).toBe('Echo: alpha ');
	});

	test('Metadata (a JSON object) reaches the model', async () => {
		const json = only(
			await run(
				chatWorkflow(
					chatParameters({ options: { metadata: '{"ticket": "T-123", "priority": 2}' } }),
					CHAT_NODE,
				),
				[{ question: '[[dump]]' }],
			),
		);
		expect(onlyBody().metadata).toEqual({ ticket: 'T-123', priority: 2 });
		expect(JSON.parse(json.text).metadata).toEqual({ ticket: 'T-123', priority: 2 });
	});

	test('Metadata that is not valid JSON is a clear error, nothing sent', async () => {
		const result = await run(
			chatWorkflow(chatParameters({ options: { metadata: '{"ticket": ' } }), CHAT_NODE),
		);
		expectItemError(result, 0, /Metadata is not valid JSON/);
		expect(chatRequests(em)).toHaveLength(0);
	});

	test('Metadata that is an array is a clear error, nothing sent', async () => {
		const result = await run(
			chatWorkflow(chatParameters({ options: { metadata: '["T-123"]' } }), CHAT_NODE),
		);
		expectItemError(result, 0, /Metadata must be a JSON object/);
		expect(chatRequests(em)).toHaveLength(0);
	});

	test('Timeout: an answer slower than the timeout fails the item; a larger timeout waits for it', async () => {
		em.setLatency((request: { path: string }) =>
			request.path === '/v1/inference/chat' ? 1200 : 0,
		);
		const started = Date.now();
		const slow = await run(
			chatWorkflow(chatParameters({ options: { timeout: 300, retryTransient: false } }), CHAT_NODE),
		);
		const error = expectItemError(slow, 0, /timed out|timeout/i);
		expect(`${error.message} ${error.description}`).toContain('300 ms');
		expect(Date.now() - started).toBeLessThan(1200);

		em.clearRequests();
		const json = only(
			await run(chatWorkflow(chatParameters({ options: { timeout: 5000 } }), CHAT_NODE)),
		);
		expect(json.text).toBe('Echo: Hello there');
	});

	test('Simplify off: the raw data plus request ID, attempts and cost', async () => {
		const json = only(await run(chatWorkflow(chatParameters({ simplify: false }), CHAT_NODE)));
		const request = chatRequests(em)[0];
		expect(json).toMatchObject({
			model: OMNI,
			choices: [
				{
					index: 0,
					message: { role: 'assistant', content: 'Echo: Hello there' },
					finish_reason: 'stop',
				},
			],
			usage: { prompt_tokens: 6, completion_tokens: 3, total_tokens: 9 },
			_meta: { request_id: request.request_id },
			requestId: request.request_id,
			attempts: 1,
		});
		expect(json.id).toMatch(/^chatcmpl-/);
		const model = await fetchModel(em, OMNI);
		expect(json.costDecimal).toBe(
			expectedCost(6, 3, model.input_price_per_mtok, model.output_price_per_mtok),
		);
		expect(json).not.toHaveProperty('text');
	});

	test('a content-filtered reply is flagged and leaves an execution hint', async () => {
		const result = await run(chatWorkflow(chatParameters(), CHAT_NODE), [
			{ question: 'bad [[content_filter]]' },
			{ question: 'fine' },
		]);
		expect(result.status).toBe('success');
		const [filtered, fine] = result.output(CHAT).map((i) => i.json);
		expect(filtered).toMatchObject({
			text: '[filtered]',
			finishReason: 'content_filter',
			contentFiltered: true,
			truncated: false,
		});
		expect(fine).toMatchObject({ text: 'Echo: fine', contentFiltered: false });
		const hints = result.hints(CHAT);
		expect(hints).toHaveLength(1);
		expect(hints[0].message).toMatch(/1 reply was stopped by a content filter/);
	});

	test('token usage is accumulated in the run metadata over all items', async () => {
		const questions = ['a', 'b c', 'd e f', 'g h i j'];
		const result = await run(
			chatWorkflow(chatParameters(), CHAT_NODE),
			questions.map((question) => ({ question })),
		);
		expect(result.status).toBe('success');
		const usages = result.output(CHAT).map((i) => i.json.usage as any);
		expect(usages).toHaveLength(4);
		const inputTokens = usages.reduce((n, u) => n + u.promptTokens, 0);
		const outputTokens = usages.reduce((n, u) => n + u.completionTokens, 0);
		// Emulator: 4 + words in; "Echo:" + words out.
		expect(inputTokens).toBe(questions.reduce((n, q) => n + 4 + q.split(' ').length, 0));
		expect(outputTokens).toBe(questions.reduce((n, q) => n + 1 + q.split(' ').length, 0));
		expect(result.metadata(CHAT)).toMatchObject({ tokenUsage: { inputTokens, outputTokens } });
	});
});

// ---- Images and audio -----------------------------------------------------------------------

describe('Images and audio', () => {
	const png = makePng(8, 6);
	const wav = makeWav(400);

	test('the PNG fixture is a real PNG', () => {
		const decoded = readPng(png);
		expect(decoded).toMatchObject({ width: 8, height: 6 });
		expect(decoded.raw.length).toBe(6 * (1 + 8 * 3));
		expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
		expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
	});

	test('an image binary becomes an image_base64 part with its MIME type and exact bytes', async () => {
		const parameters = chatParameters({
			attachments: { attachment: [{ source: 'binaryImage', binaryProperty: 'photo' }] },
		});
		const json = only(
			await run(chatWorkflow(parameters, CHAT_NODE), [
				{
					json: { question: 'Describe' },
					binary: { photo: binaryData(png, 'image/png', 'dot.png') },
				},
			]),
		);
		expect(onlyBody().messages).toEqual([
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'Describe' },
					{
						type: 'image_base64',
						image_base64: { data: png.toString('base64'), media_type: 'image/png' },
					},
				],
			},
		]);
		expect(json.text).toBe('Echo: Describe [1 image, 0 audio]');
		expect(json.usage.promptTokens).toBe(4 + 1 + 85);
	});

	test('an audio binary becomes an audio_base64 part', async () => {
		const parameters = chatParameters({
			attachments: { attachment: [{ source: 'binaryAudio', binaryProperty: 'data' }] },
		});
		const json = only(
			await run(chatWorkflow(parameters, CHAT_NODE), [
				{
					json: { question: 'Transcribe' },
					binary: { data: binaryData(wav, 'audio/wav', 'tone.wav') },
				},
			]),
		);
		expect(onlyBody().messages[0].content).toEqual([
			{ type: 'text', text: 'Transcribe' },
			{
				type: 'audio_base64',
				audio_base64: { data: wav.toString('base64'), media_type: 'audio/wav' },
			},
		]);
		expect(json.text).toBe('Echo: Transcribe [0 images, 1 audio]');
	});

	test('image URL with detail and audio URL', async () => {
		const parameters = chatParameters({
			attachments: {
				attachment: [
					{ source: 'imageUrl', url: 'https://example.com/cat.png', detail: 'high' },
					{ source: 'imageUrl', url: 'https://example.com/dog.png' },
					{ source: 'audioUrl', url: 'https://example.com/hello.mp3' },
				],
			},
		});
		const json = only(await run(chatWorkflow(parameters, CHAT_NODE), [{ question: 'Compare' }]));
		expect(onlyBody().messages[0].content).toEqual([
			{ type: 'text', text: 'Compare' },
			{ type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'high' } },
			{ type: 'image_url', image_url: { url: 'https://example.com/dog.png', detail: 'auto' } },
			{ type: 'audio_url', audio_url: { url: 'https://example.com/hello.mp3' } },
		]);
		expect(json.text).toBe('Echo: Compare [2 images, 1 audio]');
	});

	test('a PDF passed as an image is an error naming the field and the MIME type; nothing sent', async () => {
		const parameters = chatParameters({
			attachments: { attachment: [{ source: 'binaryImage', binaryProperty: 'doc' }] },
		});
		const result = await run(chatWorkflow(parameters, CHAT_NODE), [
			{
				json: { question: 'Read' },
				binary: { doc: binaryData(makePdf(), 'application/pdf', 'invoice.pdf') },
			},
		]);
		const error = expectItemError(result, 0, /"doc".*application\/pdf.*not an image/);
		expect(error.description).toMatch(/image\/png/);
		expect(error.description).toMatch(/invoice\.pdf/);
		expect(chatRequests(em)).toHaveLength(0);
	});

	test('a file above Max Attachment Size is an error with both sizes; nothing sent', async () => {
		const big = makeWav(2000); // 4,044 bytes
		const parameters = chatParameters({
			attachments: { attachment: [{ source: 'binaryAudio', binaryProperty: 'data' }] },
			options: { maxAttachmentMb: 0.001 }, // 1,049 bytes
		});
		const result = await run(chatWorkflow(parameters, CHAT_NODE), [
			{ json: { question: 'Hi' }, binary: { data: binaryData(big, 'audio/wav') } },
		]);
		const error = expectItemError(result, 0, /"data"/);
		expect(error.message).toMatch(/3\.9 KB/);
		expect(error.message).toMatch(/1 KB|1\.0 KB/);
		expect(error.description).toMatch(/Max Attachment Size/);
		expect(chatRequests(em)).toHaveLength(0);
	});

	test('a missing binary property is a clear error; nothing sent', async () => {
		const parameters = chatParameters({
			attachments: { attachment: [{ source: 'binaryImage', binaryProperty: 'photo' }] },
		});
		const result = await run(chatWorkflow(parameters, CHAT_NODE), [
			{ json: { question: 'Hi' }, binary: { other: binaryData(png, 'image/png') } },
		]);
		expectItemError(result, 0, /photo/);
		expect(chatRequests(em)).toHaveLength(0);
	});
});

// ---- Parameter mistakes ---------------------------------------------------------------------

describe('Parameter mistakes name the item and the parameter, and send nothing for that item', () => {
	/** Item 0 is fine, item 1 has the mistake: the error must point at item 1. */
	async function expectMistake(parameters: IDataObject, items: object[], message: RegExp) {
		const result = await run(chatWorkflow(parameters, CHAT_NODE), items);
		const error = expectItemError(result, 1, message);
		const bodies = chatRequests(em).map((r) => JSON.stringify(r.body));
		for (const body of bodies) expect(body).toContain('good item');
		return error;
	}

	test('no model', async () => {
		const error = await expectMistake(
			chatParameters({ model: rl('={{ $json.model }}') }),
			[
				{ question: 'good item', model: OMNI },
				{ question: 'bad item', model: '' },
			],
			/No model selected/,
		);
		expect(error.description).toMatch(/model/i);
	});

	test('empty user message', async () => {
		await expectMistake(
			chatParameters(),
			[{ question: 'good item' }, { question: '   ' }],
			/User Message is empty/,
		);
	});

	test('conversation that is not an array of messages', async () => {
		const parameters = chatParameters({ prompt: 'fromInput', conversationField: 'messages' });
		const good = { messages: [{ role: 'user', content: 'good item' }] };
		await expectMistake(
			parameters,
			[good, { messages: { role: 'user', content: 'x' } }],
			/"messages" is not a conversation/,
		);
		em.clearRequests();
		await expectMistake(
			parameters,
			[good, { messages: 'just text' }],
			/"messages" holds text, not a conversation/,
		);
		em.clearRequests();
		await expectMistake(parameters, [good, { other: [] }], /no field "messages"/);
		em.clearRequests();
		await expectMistake(
			parameters,
			[good, { messages: [{ role: 'robot', content: 'x' }] }],
			/"messages" is not a conversation: message 0/,
		);
	});

	test('a tool message without tool_call_id', async () => {
		const parameters = chatParameters({ prompt: 'fromInput', conversationField: 'messages' });
		await expectMistake(
			parameters,
			[
				{ messages: [{ role: 'user', content: 'good item' }] },
				{
					messages: [
						{ role: 'user', content: 'x' },
						{ role: 'tool', content: '42' },
					],
				},
			],
			/message 1: a tool message needs tool_call_id/,
		);
	});

	test('binary property missing', async () => {
		const parameters = chatParameters({
			attachments: { attachment: [{ source: 'binaryImage', binaryProperty: 'photo' }] },
		});
		await expectMistake(
			parameters,
			[
				{
					json: { question: 'good item' },
					binary: { photo: binaryData(makePng(1, 1), 'image/png') },
				},
				{ json: { question: 'bad item' } },
			],
			/photo.*item 1|item 1.*photo/,
		);
	});
});

// ---- Cost -----------------------------------------------------------------------------------

describe('Cost', () => {
	test("cost is computed exactly from the model's prices, looked up once and kept for later runs", async () => {
		// An instance of its own: other tests here have looked the model up with em's key already.
		const fresh = await startEmulator({ rateLimit: false });
		try {
			const model = await fetchModel(fresh, OMNI);
			expect(model.input_price_per_mtok).toEqual(expect.any(String));
			const questions = ['a', 'b c d', 'e f g h i j k l m n o p q r s t u v w x y z'];
			const workflow = chatWorkflow(chatParameters(), CHAT_NODE);
			for (const run of ['first', 'second']) {
				const result = await runWorkflow(workflow, {
					credentials: credentialsFor(fresh),
					triggerItems: questions.map((question) => ({ question })),
				});
				expect(result.status).toBe('success');
				for (const item of result.output(CHAT)) {
					const usage = item.json.usage as { promptTokens: number; completionTokens: number };
					const expected = expectedCost(
						usage.promptTokens,
						usage.completionTokens,
						model.input_price_per_mtok,
						model.output_price_per_mtok,
					);
					expect(item.json.costDecimal).toBe(expected);
					expect(item.json.cost).toBe(Number(expected));
					expect(item.json).not.toHaveProperty('costNote');
				}
				// One lookup for the three items of the first run; the second run reuses its answer.
				const gets = modelGets(fresh);
				expect(gets.map((get) => get.path)).toEqual(
					run === 'first' ? [`/v1/models/${encodeURIComponent(OMNI)}`] : [],
				);
				expect(chatRequests(fresh)).toHaveLength(3);
				fresh.clearRequests();
			}
		} finally {
			await fresh.close();
		}
	});

	test('a failed price lookup is not kept: each run asks once more, and its items say the cost is unknown', async () => {
		const apiKey: string = em.addKey({ permissions: ['models:use'] });
		for (const run of [1, 2]) {
			const result = await runWorkflow(chatWorkflow(chatParameters(), CHAT_NODE), {
				credentials: credentialsFor(em, { apiKey }),
				triggerItems: [{ question: 'one' }, { question: 'two' }],
			});
			expect(result.status).toBe('success');
			for (const item of result.output(CHAT)) {
				expect(item.json.cost).toBeNull();
				expect(item.json.costNote).toMatch(/could not be looked up/);
			}
			expect(modelGets(em).map((get) => get.status)).toEqual([403]);
			em.clearRequests();
		}
	});

	test('the BigInt reference is exact where floats are not', () => {
		expect(expectedCost(1, 0, '0.075', '0.30')).toBe('0.000000075');
		expect(expectedCost(3, 7, '2.50', '10.00')).toBe('0.0000775');
		expect(expectedCost(1_000_000, 1_000_000, '2.50', '10.00')).toBe('12.5');
	});

	test('a model with fractional prices (three decimals) is still exact', async () => {
		const slug = 'google/gemini-1.5-flash';
		const model = await fetchModel(em, slug);
		const json = only(
			await run(chatWorkflow(chatParameters({ model: rl(slug) }), CHAT_NODE), [
				{ question: 'one two three' },
			]),
		);
		const expected = expectedCost(
			json.usage.promptTokens,
			json.usage.completionTokens,
			model.input_price_per_mtok,
			model.output_price_per_mtok,
		);
		expect(json.costDecimal).toBe(expected);
		expect(json.cost).toBe(Number(expected));
	});

	test('a model without prices: cost null and a note, not an invented number', async () => {
		const slug = 'local/qwen2.5-7b';
		const model = await fetchModel(em, slug);
		expect(model.input_price_per_mtok).toBeUndefined();
		const json = only(await run(chatWorkflow(chatParameters({ model: rl(slug) }), CHAT_NODE)));
		expect(json.text).toBe('Echo: Hello there');
		expect(json.cost).toBeNull();
		expect(json.costDecimal).toBeNull();
		expect(json.costNote).toMatch(/no prices/);
		expect(modelGets(em)).toHaveLength(1);
	});
});

// ---- Continue on fail -----------------------------------------------------------------------

describe('Continue on fail', () => {
	const MISSING = 'scailabs/does-not-exist';
	const items = [0, 1, 2, 3, 4].map((i) => ({
		question: `Question ${i}`,
		model: i === 1 || i === 3 ? MISSING : OMNI,
	}));
	const parameters = chatParameters({ model: rl('={{ $json.model }}') });

	function withOutputs(settings: NodeSettings) {
		const workflow = chatWorkflow(parameters, { ...CHAT_NODE, ...settings });
		workflow.nodes.push(
			{
				id: 'ok',
				name: 'Success',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [440, 0],
				parameters: {},
			} as any,
			{
				id: 'bad',
				name: 'Failure',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [440, 200],
				parameters: {},
			} as any,
		);
		(workflow.connections as any)[CHAT] = {
			main: [
				[{ node: 'Success', type: 'main', index: 0 }],
				[{ node: 'Failure', type: 'main', index: 0 }],
			],
		};
		return workflow;
	}

	test('continueErrorOutput: good items on the first output, bad ones on the error output, each paired', async () => {
		const result = await run(withOutputs({ onError: 'continueErrorOutput' }), items);
		expect(result.status).toBe('success');

		const good = result.output(CHAT, 0);
		expect(good.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }, { item: 4 }]);
		expect(good.map((i) => i.json.text)).toEqual([
			'Echo: Question 0',
			'Echo: Question 2',
			'Echo: Question 4',
		]);

		const bad = result.output(CHAT, 1);
		expect(bad.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 3 }]);
		for (const item of bad) {
			// n8n moves only items shaped {error, message, details} to the error output, and
			// merges in the input item's fields.
			expect(item.json).toMatchObject({
				error: `ScaiGrid MODEL_NOT_FOUND: Model '${MISSING}' not found`,
				details: { code: 'MODEL_NOT_FOUND', httpStatus: 404, attempts: 1 },
				model: MISSING,
			});
			expect((item.json.details as any).requestId).toMatch(/^req_/);
			expect(JSON.stringify(item.json)).not.toContain(em.apiKey);
		}
		expect(result.output('Success')).toHaveLength(3);
		expect(result.output('Failure')).toHaveLength(2);
		// Not-found is not retried: one request per bad item.
		expect(chatRequests(em).filter((r) => r.body.model === MISSING)).toHaveLength(2);
	});

	test('continueRegularOutput: all five items on the first output, in input order', async () => {
		const result = await run(
			chatWorkflow(parameters, { ...CHAT_NODE, onError: 'continueRegularOutput' }),
			items,
		);
		expect(result.status).toBe('success');
		const out = result.output(CHAT);
		expect(out.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(out.map((i) => i.json.text ?? i.json.code)).toEqual([
			'Echo: Question 0',
			'MODEL_NOT_FOUND',
			'Echo: Question 2',
			'MODEL_NOT_FOUND',
			'Echo: Question 4',
		]);
	});

	test('without continue on fail the run stops, naming the failing item and the API code', async () => {
		const result = await run(chatWorkflow(parameters, CHAT_NODE), items);
		const error = expectItemError(result, 1, /MODEL_NOT_FOUND/);
		expect(error.httpCode).toBe('404');
	});
});
