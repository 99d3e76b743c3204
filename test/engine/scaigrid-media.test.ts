/**
 * The ScaiGrid node (Embedding, Image, Audio) in n8n's engine against the emulator: each
 * operation, batching (1,000 texts at batch 100 = 10 requests; a bad text fails only its item),
 * faults (429 with Retry-After, BUDGET_EXCEEDED, invalid audio, oversize file), continue on
 * fail and the Error output, model pickers, and usage recorded for Usage Summary.
 */
import type { IDataObject } from 'n8n-workflow';
import { binaryData, runWorkflow, searchList } from '../helpers/engine';
import type { RunResult } from '../helpers/engine';
import { credentialsFor, rl, singleNodeWorkflow } from '../helpers/workflows';
import { modelGets } from '../helpers/requestLog';
import type { NodeSettings } from '../helpers/workflows';
import { makeWav, readPng } from '../fixtures/media';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmulator } = require('../../emulator');

const TYPE = 'n8n-nodes-scaigrid.scaiGrid';
const NODE = 'ScaiGrid';
const EMBED_PATH = '/v1/inference/embed';
const EMBED_MODEL = 'openai/text-embedding-3-small';

let em: any;

beforeAll(async () => {
	em = await startEmulator({ rateLimit: false });
});
afterAll(async () => {
	await em?.close();
});
beforeEach(() => {
	em.reset();
	em.setRateLimit(false);
});

function workflow(parameters: IDataObject, settings: NodeSettings = {}) {
	return singleNodeWorkflow(TYPE, parameters, { name: NODE, ...settings });
}

async function run(
	parameters: IDataObject,
	items: object[],
	settings: NodeSettings = {},
): Promise<RunResult> {
	return await runWorkflow(workflow(parameters, settings), {
		credentials: credentialsFor(em),
		triggerItems: items as never,
	});
}

function requests(path: string): any[] {
	return em.requests.filter((r: any) => r.path === path);
}

/** Embedding → Create reading each item's `text` field (Text From: Field, the default). */
function embedding(options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
	return { resource: 'embedding', operation: 'create', model: rl(EMBED_MODEL), options, ...extra };
}

function cosine(a: number[], b: number[]): number {
	let dot = 0;
	let na = 0;
	let nb = 0;
	a.forEach((v, i) => {
		dot += v * b[i];
		na += v * v;
		nb += b[i] * b[i];
	});
	return dot / Math.sqrt(na * nb);
}

// ---- Embedding → Create ----------------------------------------------------------------------

describe('Embedding → Create', () => {
	test('three items, one request: a vector each, with dimensions, model, usage, cost and request ID', async () => {
		const texts = ['reset my password', 'opening hours of the shop', 'password reset link expired'];
		const result = await run(
			embedding(),
			texts.map((text) => ({ text })),
		);
		expect(result.status).toBe('success');
		const out = result.output(NODE);
		expect(out).toHaveLength(3);
		expect(requests(EMBED_PATH)).toHaveLength(1);
		expect(requests(EMBED_PATH)[0].body).toEqual({ model: EMBED_MODEL, input: texts });
		out.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.dimensions).toBe(1536);
			expect((item.json.embedding as number[]).length).toBe(1536);
			expect(item.json.model).toBe(EMBED_MODEL);
			expect(item.json.requestId).toBe(requests(EMBED_PATH)[0].request_id);
			expect(typeof item.json.cost).toBe('number');
		});
		// Usage shares add up to the batch's tokens; costs to the emulator's recorded cost.
		const shares = out.map((item) => (item.json.usage as any).promptTokens as number);
		const [record] = em.usage.filter((r: any) => r.model === EMBED_MODEL);
		expect(shares.reduce((a, b) => a + b, 0)).toBe(record.tokens_in);
		expect((out[0].json.usage as any).batchPromptTokens).toBe(record.tokens_in);
		const costSum = out.reduce((sum, item) => sum + Number(item.json.costDecimal), 0);
		expect(costSum).toBeCloseTo(Number(record.cost), 12);
		// Texts sharing words are nearer each other than to the unrelated one.
		const [a, b, c] = out.map((item) => item.json.embedding as number[]);
		expect(cosine(a, c)).toBeGreaterThan(cosine(a, b));
	});

	test('1,000 texts at Batch Size 100: 10 requests, each item its own vector in input order', async () => {
		const items = Array.from({ length: 1000 }, (_, i) => ({
			text: `row ${i} about topic ${i % 7}`,
		}));
		const result = await run(embedding({ batchSize: 100, dimensions: 16 }), items);
		expect(result.status).toBe('success');
		const sent = requests(EMBED_PATH);
		expect(sent).toHaveLength(10);
		for (const request of sent) {
			expect(request.body.input).toHaveLength(100);
			expect(request.body.dimensions).toBe(16);
		}
		const out = result.output(NODE);
		expect(out).toHaveLength(1000);
		// Each vector is the one ScaiGrid gives for that text alone.
		for (const index of [0, 457, 999]) {
			const response = await fetch(`${em.url}${EMBED_PATH}`, {
				method: 'POST',
				headers: { authorization: `Bearer ${em.apiKey}`, 'content-type': 'application/json' },
				body: JSON.stringify({ model: EMBED_MODEL, input: items[index].text, dimensions: 16 }),
			});
			const body = (await response.json()) as any;
			expect(out[index].json.embedding).toEqual(body.data.data[0].embedding);
			expect(out[index].pairedItem).toEqual({ item: index });
			expect(out[index].json.dimensions).toBe(16);
		}
	});

	test('one bad text fails only its item: empty never sent, too long rejected and the batch resent without it', async () => {
		const items = Array.from({ length: 1000 }, (_, i) => ({ text: `row ${i}` }));
		items[3] = { text: '   ' };
		items[512] = { text: 'word '.repeat(9000) };
		const result = await run(embedding({ batchSize: 100, dimensions: 8 }), items, {
			onError: 'continueRegularOutput',
		});
		expect(result.status).toBe('success');
		const out = result.output(NODE);
		expect(out).toHaveLength(1000);
		expect(out[3].json.error).toMatch(/empty/);
		expect(out[512].json.error).toMatch(/rejected this item's text/);
		expect(out[512].json.code).toBe('VALIDATION_ERROR');
		const fine = out.filter((item) => !item.json.error);
		expect(fine).toHaveLength(998);
		expect(out.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		// 10 batches + 1 resend of the batch that held the long text; the empty one never left.
		const sent = requests(EMBED_PATH);
		expect(sent).toHaveLength(11);
		expect(sent.filter((r) => r.status === 422)).toHaveLength(1);
		expect(sent.some((r) => r.body.input.includes('   '))).toBe(false);
	});

	test('Text From Field: a nested field by dotted path, numbers as text; a missing or non-text field fails its item, named', async () => {
		const items = [
			{ row: { description: 'red mug' } },
			{ row: { description: 42 } },
			{ row: {} },
			{ row: { description: { a: 1 } } },
		];
		const result = await run(
			embedding({ dimensions: 8 }, { textField: 'row.description' }),
			items,
			{ onError: 'continueRegularOutput' },
		);
		expect(result.status).toBe('success');
		const out = result.output(NODE);
		expect(out).toHaveLength(4);
		expect(requests(EMBED_PATH).map((r) => r.body.input)).toEqual([['red mug', '42']]);
		expect(out[0].json.dimensions).toBe(8);
		expect(out[2].json.error).toMatch(/empty/);
		expect(JSON.stringify(out[2].json)).toMatch(/the field \\"row.description\\" is missing/);
		expect(out[3].json.error).toMatch(/not text/);
	});

	test('Text From Text or Expression: an expression per item still works', async () => {
		const items = [
			{ title: 'Mug', body: 'red' },
			{ title: 'Plate', body: 'blue' },
		];
		const result = await run(
			embedding(
				{ dimensions: 8 },
				{ textFrom: 'expression', text: '={{ $json.title }}: {{ $json.body }}' },
			),
			items,
		);
		expect(result.status).toBe('success');
		expect(requests(EMBED_PATH).map((r) => r.body.input)).toEqual([['Mug: red', 'Plate: blue']]);
		expect(result.output(NODE)).toHaveLength(2);
	});

	test('a model given by expression is read per item: two models, two batches', async () => {
		const items = [
			{ text: 'a', m: EMBED_MODEL },
			{ text: 'b', m: 'openai/text-embedding-3-large' },
			{ text: 'c', m: EMBED_MODEL },
		];
		const result = await run(embedding({ dimensions: 8 }, { model: rl('={{ $json.m }}') }), items);
		expect(result.status).toBe('success');
		const sent = requests(EMBED_PATH).map((r) => [r.body.model, r.body.input]);
		expect(sent).toEqual(
			expect.arrayContaining([
				[EMBED_MODEL, ['a', 'c']],
				['openai/text-embedding-3-large', ['b']],
			]),
		);
		expect(result.output(NODE).map((item) => item.json.model)).toEqual([
			EMBED_MODEL,
			'openai/text-embedding-3-large',
			EMBED_MODEL,
		]);
	});

	test("prices are looked up once per model and key and kept for later runs (the Chat node's cache)", async () => {
		const fresh = await startEmulator({ rateLimit: false });
		try {
			for (const round of ['first', 'second']) {
				const result = await runWorkflow(workflow(embedding({ dimensions: 8 })), {
					credentials: credentialsFor(fresh),
					triggerItems: [{ text: 'a' }, { text: 'b' }] as never,
				});
				expect(result.status).toBe('success');
				expect(typeof result.output(NODE)[0].json.cost).toBe('number');
				expect(modelGets(fresh).map((get) => get.path)).toEqual(
					round === 'first' ? [`/v1/models/${encodeURIComponent(EMBED_MODEL)}`] : [],
				);
				fresh.clearRequests();
			}
		} finally {
			await fresh.close();
		}
	});

	test('without continue on fail, a bad text stops the run naming its item', async () => {
		const result = await run(embedding(), [{ text: 'fine' }, { text: '' }]);
		expect(result.status).toBe('error');
		expect(String(result.error?.message)).toMatch(/empty/);
	});

	test('429 with Retry-After: the batch waits as asked and succeeds', async () => {
		em.failNext({ code: 'RATE_LIMITED', retryAfter: 1, path: EMBED_PATH });
		const started = Date.now();
		const result = await run(embedding({ dimensions: 8 }), [{ text: 'a' }, { text: 'b' }]);
		expect(result.status).toBe('success');
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		expect(result.output(NODE).map((item) => item.json.attempts)).toEqual([2, 2]);
		expect(requests(EMBED_PATH).map((r) => r.status)).toEqual([429, 200]);
	});

	test('BUDGET_EXCEEDED: never retried; every item of the batch on the Error output with advice', async () => {
		em.addBudget({ name: 'Tight', cost_limit: '0.000000001', hard_action: 'block' });
		em.addUsageRecords([{ model: EMBED_MODEL, tokens_in: 1000 }]);
		const result = await run(embedding({ dimensions: 8 }), [{ text: 'a' }, { text: 'b' }], {
			onError: 'continueErrorOutput',
		});
		expect(result.status).toBe('success');
		expect(result.output(NODE, 0)).toHaveLength(0);
		const failed = result.output(NODE, 1);
		expect(failed).toHaveLength(2);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(String(failed[0].json.error)).toMatch(/BUDGET_EXCEEDED/);
		expect(JSON.stringify(failed[0].json)).toMatch(/budget/i);
		expect(requests(EMBED_PATH)).toHaveLength(1);
	});
});

// ---- Image → Generate ------------------------------------------------------------------------

describe('Image → Generate', () => {
	const image = (options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
		resource: 'image',
		operation: 'generate',
		model: rl('openai/dall-e-3'),
		prompt: '={{ $json.prompt }}',
		options,
		...extra,
	});

	test('binary PNGs with file names, revised prompt, cost and request ID; one item per input', async () => {
		const result = await run(image({ n: 2 }), [{ prompt: 'a red mug' }, { prompt: 'a blue bowl' }]);
		expect(result.status).toBe('success');
		const out = result.output(NODE);
		expect(out).toHaveLength(2);
		const sent = requests('/v1/inference/images/generate');
		// Options not set are not sent: the model's defaults apply.
		expect(sent[0].body).toEqual({
			model: 'openai/dall-e-3',
			prompt: 'a red mug',
			n: 2,
			response_format: 'b64_json',
		});
		for (const [i, item] of out.entries()) {
			expect(item.pairedItem).toEqual({ item: i });
			expect(Object.keys(item.binary ?? {})).toEqual(['data', 'data_1']);
			const file = item.binary!.data;
			expect(file.mimeType).toBe('image/png');
			expect(file.fileName).toMatch(/^scaigrid-image-req_\d+-1\.png$/);
			const png = readPng(Buffer.from(file.data, 'base64'));
			expect(png.width).toBe(16);
			const images = item.json.images as any[];
			expect(images[0]).toMatchObject({
				binaryProperty: 'data',
				revisedPrompt: expect.stringContaining(i === 0 ? 'a red mug' : 'a blue bowl'),
			});
			const record = em.usage.find((r: any) => r.request_id === item.json.requestId);
			expect(Number(item.json.costDecimal)).toBeCloseTo(Number(record.cost), 9);
		}
	});

	test('URLs when asked, with a note that they expire', async () => {
		const result = await run(image({}, { returnAs: 'url' }), [{ prompt: 'a lamp' }]);
		expect(result.status).toBe('success');
		const [item] = result.output(NODE);
		expect(item.binary).toBeUndefined();
		const images = item.json.images as any[];
		expect(images[0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/.+\.png\?expires=\d+$/);
		expect(item.json.urlsExpire).toMatch(/hour/);
		expect(
			result
				.hints(NODE)
				.map((h) => h.message)
				.join(' '),
		).toMatch(/expire after about an hour/);
		const response = await fetch(images[0].url);
		expect(response.headers.get('content-type')).toBe('image/png');
	});

	test('a size the model does not take: VALIDATION_ERROR naming the field, not retried', async () => {
		const result = await run(image({ size: '300x300' }), [{ prompt: 'x' }], {
			onError: 'continueRegularOutput',
		});
		const [item] = result.output(NODE);
		expect(item.json.code).toBe('VALIDATION_ERROR');
		expect(JSON.stringify(item.json.details)).toMatch(/size/);
		expect(requests('/v1/inference/images/generate')).toHaveLength(1);
	});
});

// ---- Audio → Transcribe and Generate Speech ----------------------------------------------------

describe('Audio', () => {
	const transcribeParams = (format = 'json', options: Record<string, unknown> = {}) => ({
		resource: 'audio',
		operation: 'transcribe',
		model: rl('openai/whisper-1'),
		binaryPropertyName: 'data',
		responseFormat: format,
		options,
	});
	const audioItem = (buffer: Buffer, mimeType = 'audio/wav', fileName = 'note.wav') => ({
		json: {},
		binary: { data: binaryData(buffer, mimeType, fileName) },
	});

	test('Transcribe: a WAV uploaded as multipart; transcript, language, cost and request ID', async () => {
		const wav = makeWav(800, 8000);
		const result = await run(transcribeParams('json', { language: 'de', prompt: 'ScaiGrid' }), [
			audioItem(wav),
		]);
		expect(result.status).toBe('success');
		const [item] = result.output(NODE);
		expect(item.json).toMatchObject({
			text: 'A 0.1 second wav recording.',
			language: 'de',
			format: 'json',
			model: 'openai/whisper-1',
			fileName: 'note.wav',
		});
		expect(typeof item.json.cost).toBe('number');
		const [sent] = requests('/v1/inference/audio/transcribe');
		expect(sent.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(sent.body).toMatchObject({
			model: 'openai/whisper-1',
			language: 'de',
			prompt: 'ScaiGrid',
			response_format: 'json',
		});
		expect(sent.body.file).toEqual({
			filename: 'note.wav',
			contentType: 'audio/wav',
			bytes: wav.length,
		});
		expect(item.json.requestId).toBe(sent.request_id);
	});

	test('Generate Speech → Transcribe: the spoken words come back; WAV with RIFF header and file name', async () => {
		const speech = {
			id: 'speak',
			name: 'Speak',
			type: TYPE,
			typeVersion: 1,
			position: [200, 0],
			parameters: {
				resource: 'audio',
				operation: 'generateSpeech',
				model: rl('openai/tts-1'),
				text: '={{ $json.text }}',
				voice: 'nova',
				options: { format: 'wav', speed: 1.5 },
			},
		};
		const listen = {
			id: 'listen',
			name: 'Listen',
			type: TYPE,
			typeVersion: 1,
			position: [400, 0],
			parameters: transcribeParams('verbose_json', { timestampGranularities: ['word'] }),
		};
		const flow = {
			nodes: [
				{
					id: 'trigger',
					name: 'Manual',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				speech,
				listen,
			],
			connections: {
				Manual: { main: [[{ node: 'Speak', type: 'main', index: 0 }]] },
				Speak: { main: [[{ node: 'Listen', type: 'main', index: 0 }]] },
			},
		};
		const result = await runWorkflow(flow, {
			credentials: credentialsFor(em),
			triggerItems: [{ text: 'What are your opening hours?' }],
		});
		expect(result.status).toBe('success');
		const [spoken] = result.output('Speak');
		expect(spoken.json).toMatchObject({
			model: 'openai/tts-1',
			voice: 'nova',
			format: 'wav',
			mimeType: 'audio/wav',
			characters: 28,
		});
		const file = spoken.binary!.data;
		expect(file.fileName).toMatch(/^scaigrid-speech-req_\d+\.wav$/);
		expect(Buffer.from(file.data, 'base64').toString('latin1', 0, 4)).toBe('RIFF');
		expect(requests('/v1/inference/audio/synthesize')[0].body).toEqual({
			model: 'openai/tts-1',
			input: 'What are your opening hours?',
			voice: 'nova',
			response_format: 'wav',
			speed: 1.5,
		});
		const [heard] = result.output('Listen');
		expect(heard.json.text).toBe('What are your opening hours?');
		expect((heard.json.words as any[]).map((w) => w.word)).toEqual([
			'What',
			'are',
			'your',
			'opening',
			'hours?',
		]);
		expect(heard.json.duration).toBeGreaterThan(0);
	});

	test('SRT and plain text come back as text', async () => {
		const srt = await run(transcribeParams('srt'), [audioItem(makeWav(800, 8000))]);
		expect(srt.output(NODE)[0].json.text).toBe(
			'1\n00:00:00,000 --> 00:00:00,100\nA 0.1 second wav recording.\n',
		);
		const text = await run(transcribeParams('text'), [audioItem(makeWav(800, 8000))]);
		expect(text.output(NODE)[0].json.text).toBe('A 0.1 second wav recording.');
	});

	test('Generate Speech: MP3 by default; a speech error is still the JSON envelope', async () => {
		const speech = {
			resource: 'audio',
			operation: 'generateSpeech',
			model: rl('openai/tts-1'),
			text: 'Hello',
			voice: 'alloy',
			options: {},
		};
		const ok = await run(speech, [{}]);
		expect(ok.output(NODE)[0].json).toMatchObject({ format: 'mp3', mimeType: 'audio/mpeg' });
		const failed = await run({ ...speech, options: { format: 'opus' } }, [{}], {
			onError: 'continueRegularOutput',
		});
		expect(failed.output(NODE)[0].json).toMatchObject({
			code: 'VALIDATION_ERROR',
			httpStatus: 422,
		});
		expect(String(failed.output(NODE)[0].json.message)).toMatch(/opus/);
	});

	test('Generate Speech: a JSON success where audio was expected fails its item, saying so', async () => {
		em.failNext({
			fault: 'jsonOk',
			data: { url: 'https://media.example/speech.mp3', expires_in: 3600 },
			path: '/v1/inference/audio/synthesize',
		});
		const speech = {
			resource: 'audio',
			operation: 'generateSpeech',
			model: rl('openai/tts-1'),
			text: 'Hello',
			voice: 'alloy',
			options: {},
		};
		const result = await run(speech, [{}], { onError: 'continueRegularOutput' });
		const [item] = result.output(NODE);
		expect(item.json.code).toBe('INVALID_RESPONSE');
		expect(String(item.json.message)).toMatch(
			/JSON where audio was expected \(data has url, expires_in\)/,
		);
		expect(JSON.stringify(item.json)).toMatch(/speech model/);
		expect(item.binary).toBeUndefined();
		expect(requests('/v1/inference/audio/synthesize')).toHaveLength(1);
	});

	test('invalid audio: ScaiGrid answers 422, the item fails, nothing retried', async () => {
		const result = await run(
			transcribeParams(),
			[audioItem(Buffer.from('this is not audio at all'), 'audio/mpeg', 'fake.mp3')],
			{ onError: 'continueRegularOutput' },
		);
		const [item] = result.output(NODE);
		expect(item.json.code).toBe('VALIDATION_ERROR');
		expect(String(item.json.message)).toMatch(/not audio/);
		expect(requests('/v1/inference/audio/transcribe')).toHaveLength(1);
	});

	test('a file that is not audio at all (PDF) fails before sending', async () => {
		const result = await run(
			transcribeParams(),
			[audioItem(Buffer.from('%PDF-1.4'), 'application/pdf', 'doc.pdf')],
			{ onError: 'continueRegularOutput' },
		);
		expect(String(result.output(NODE)[0].json.error)).toMatch(/not audio ScaiGrid can transcribe/);
		expect(requests('/v1/inference/audio/transcribe')).toHaveLength(0);
	});

	test('oversize file: checked before sending; with the limit raised, ScaiGrid refuses it', async () => {
		const big = Buffer.concat([makeWav(800, 8000), Buffer.alloc(26 * 1024 * 1024)]);
		const refused = await run(transcribeParams(), [audioItem(big)], {
			onError: 'continueRegularOutput',
		});
		expect(String(refused.output(NODE)[0].json.error)).toMatch(
			/26\.0 MB, above the 25\.0 MB limit/,
		);
		expect(requests('/v1/inference/audio/transcribe')).toHaveLength(0);

		const sent = await run(transcribeParams('json', { maxFileSizeMb: 30 }), [audioItem(big)], {
			onError: 'continueRegularOutput',
		});
		expect(sent.output(NODE)[0].json.code).toBe('VALIDATION_ERROR');
		expect(String(sent.output(NODE)[0].json.message)).toMatch(/25 MB/);
		expect(requests('/v1/inference/audio/transcribe')).toHaveLength(1);
	});

	test('429 with Retry-After on an upload: the same file is sent again and transcribed', async () => {
		em.failNext({ code: 'RATE_LIMITED', retryAfter: 1, path: '/v1/inference/audio/transcribe' });
		const result = await run(transcribeParams(), [audioItem(makeWav(800, 8000))]);
		expect(result.status).toBe('success');
		expect(result.output(NODE)[0].json).toMatchObject({
			text: 'A 0.1 second wav recording.',
			attempts: 2,
		});
	});
});

// ---- Pickers and accounting ------------------------------------------------------------------

describe('model pickers and usage', () => {
	test.each([
		['searchEmbeddingModels', 'embedding'],
		['searchImageModels', 'image'],
		['searchAudioModels', 'audio'],
	])('%s lists %s models only', async (method, modality) => {
		const found = await searchList(TYPE, method, { credentials: credentialsFor(em) });
		expect(found.results.length).toBeGreaterThan(0);
		const asked = em.requests.filter((r: any) => r.path === '/v1/models');
		expect(asked.every((r: any) => r.query.modality === modality)).toBe(true);
	});

	test('every call is recorded: Usage Summary by model shows the embedding, image and audio models', async () => {
		await run(embedding({ dimensions: 8 }), [{ text: 'one' }, { text: 'two' }]);
		await run(
			{
				resource: 'image',
				operation: 'generate',
				model: rl('openai/dall-e-3'),
				prompt: 'p',
				options: {},
			},
			[{}],
		);
		await run(
			{
				resource: 'audio',
				operation: 'generateSpeech',
				model: rl('openai/tts-1'),
				text: 'Hi',
				voice: 'alloy',
				options: {},
			},
			[{}],
		);
		const summary = await runWorkflow(
			singleNodeWorkflow(
				'n8n-nodes-scaigrid.scaiGridUsageSummary',
				{ operation: 'getSummary', range: 'current', period: 'day', groupBy: 'model' },
				{ name: 'Usage' },
			),
			{ credentials: credentialsFor(em) },
		);
		expect(summary.status).toBe('success');
		const groups = summary.output('Usage').map((item) => item.json.group);
		expect(groups).toEqual(
			expect.arrayContaining([EMBED_MODEL, 'openai/dall-e-3', 'openai/tts-1']),
		);
	});
});
