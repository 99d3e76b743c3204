/**
 * stream.ts on its own: chunks → ChatResponse (interleaved tool-call fragments, absent usage,
 * tool turns with null content), error frames with their code and the partial text, broken
 * streams, undecodable chunks, and the cancel signal closing the body.
 */
import { Readable } from 'node:stream';

import { ScaiGridError } from '../../nodes/shared/transport/errors';
import { readChatStream } from '../../nodes/ScaiGridChat/call/stream';
import type { StreamFailure } from '../../nodes/ScaiGridChat/call/stream';

const data = (obj: unknown) => `data: ${JSON.stringify(obj)}\n\n`;
const delta = (d: unknown, extra: Record<string, unknown> = {}) =>
	data({ id: 'c1', model: 'm', choices: [{ index: 0, delta: d, ...extra }] });
const DONE = 'data: [DONE]\n\n';

function body(text: string, pieceBytes = 7) {
	const bytes = Buffer.from(text, 'utf8');
	const pieces: Buffer[] = [];
	for (let i = 0; i < bytes.length; i += pieceBytes) pieces.push(bytes.subarray(i, i + pieceBytes));
	return Readable.from(pieces);
}

async function failure(promise: Promise<unknown>): Promise<StreamFailure> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(ScaiGridError);
	return error as StreamFailure;
}

test('text, finish reason and usage; unknown events and comments ignored', async () => {
	const text =
		delta({ role: 'assistant', content: 'Grüezi ' }) +
		': keep-alive\n\n' +
		'event: persona_status\ndata: {"status":"thinking"}\n\n' +
		delta({ content: 'wohl 🚀' }) +
		delta({}, { finish_reason: 'stop' }) +
		data({
			id: 'c1',
			choices: [],
			usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
		}) +
		DONE;
	const response = await readChatStream(body(text));
	expect(response).toEqual({
		id: 'c1',
		model: 'm',
		choices: [
			{
				index: 0,
				message: { role: 'assistant', content: 'Grüezi wohl 🚀' },
				finish_reason: 'stop',
			},
		],
		usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
	});
});

test('absent usage stays absent (not zero)', async () => {
	const response = await readChatStream(
		body(delta({ content: 'Hi' }, { finish_reason: 'stop' }) + DONE),
	);
	expect(response.usage).toBeUndefined();
	expect('usage' in response).toBe(false);
});

test('tool calls: fragments of interleaved calls joined by index; content stays null', async () => {
	const text =
		delta({
			role: 'assistant',
			content: null,
			tool_calls: [
				{ index: 0, id: 'call_a', type: 'function', function: { name: 'weather', arguments: '' } },
			],
		}) +
		delta({
			tool_calls: [
				{ index: 1, id: 'call_b', type: 'function', function: { name: 'time', arguments: '{"ci' } },
			],
		}) +
		delta({ tool_calls: [{ index: 0, function: { arguments: '{"loc":"Zü' } }] }) +
		delta({ tool_calls: [{ index: 1, function: { arguments: 'ty":"Bern"}' } }] }) +
		delta({ tool_calls: [{ index: 0, function: { arguments: 'rich"}' } }] }) +
		delta({}, { finish_reason: 'tool_calls' }) +
		DONE;
	const response = await readChatStream(body(text, 3));
	expect(response.choices[0]).toEqual({
		index: 0,
		message: {
			role: 'assistant',
			content: null,
			tool_calls: [
				{
					id: 'call_a',
					type: 'function',
					function: { name: 'weather', arguments: '{"loc":"Zürich"}' },
				},
				{
					id: 'call_b',
					type: 'function',
					function: { name: 'time', arguments: '{"city":"Bern"}' },
				},
			],
		},
		finish_reason: 'tool_calls',
	});
});

test('onText receives each piece in order', async () => {
	const pieces: string[] = [];
	await readChatStream(
		body(delta({ content: 'a ' }) + delta({ content: '' }) + delta({ content: 'b' }) + DONE),
		{
			onText: async (t) => {
				pieces.push(t);
			},
		},
	);
	expect(pieces).toEqual(['a ', 'b']);
});

test('error frame: its code, message, request ID and the partial text', async () => {
	const text =
		delta({ content: 'Half ' }) +
		'event: error\ndata: {"code":"MODEL_UNAVAILABLE","message":"all backends down"}\n\n' +
		DONE;
	const error = await failure(readChatStream(body(text), { requestId: 'req_1' }));
	expect(error.code).toBe('MODEL_UNAVAILABLE');
	expect(error.message).toContain('all backends down');
	expect(error.requestId).toBe('req_1');
	expect(error.partialText).toBe('Half ');
	expect(error.toJson()).toMatchObject({ code: 'MODEL_UNAVAILABLE', partialText: 'Half ' });
	expect(error.description).toContain('"Half "');
});

test('error frame without a code is a BACKEND_ERROR', async () => {
	const error = await failure(
		readChatStream(body('event: error\ndata: upstream failed\n\n' + DONE)),
	);
	expect(error.code).toBe('BACKEND_ERROR');
	expect(error.message).toContain('upstream failed');
});

test('no [DONE], or cut mid-event: STREAM_INTERRUPTED with the partial text', async () => {
	const noDone = await failure(readChatStream(body(delta({ content: 'Only this' }))));
	expect(noDone.code).toBe('STREAM_INTERRUPTED');
	expect(noDone.message).toContain('without [DONE]');
	expect(noDone.partialText).toBe('Only this');

	const cut = await failure(
		readChatStream(body(delta({ content: 'Only ' }) + 'data: {"choices":[{"delta":{"cont')),
	);
	expect(cut.code).toBe('STREAM_INTERRUPTED');
	expect(cut.message).toContain('cut off');
	expect(cut.partialText).toBe('Only ');
});

test('a broken connection is STREAM_INTERRUPTED', async () => {
	const broken = new Readable({ read() {} });
	broken.push(Buffer.from(delta({ content: 'So far' })));
	setImmediate(() => broken.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
	const error = await failure(readChatStream(broken));
	expect(error.code).toBe('STREAM_INTERRUPTED');
	expect(error.message).toContain('aborted');
	expect(error.partialText).toBe('So far');
});

test('a chunk that is not a chat chunk is INVALID_RESPONSE', async () => {
	const error = await failure(readChatStream(body('data: <html>oops</html>\n\n' + DONE)));
	expect(error.code).toBe('INVALID_RESPONSE');
});

test('the cancel signal closes the body and the read ends with the abort reason', async () => {
	const endless = new Readable({ read() {} });
	endless.push(Buffer.from(delta({ content: 'Going ' })));
	const controller = new AbortController();
	const reason = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
	const read = readChatStream(endless, {
		signal: controller.signal,
		onText: async () => controller.abort(reason),
	});
	await expect(read).rejects.toBe(reason);
	expect(endless.destroyed).toBe(true);
});
