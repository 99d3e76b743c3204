/**
 * A streamed chat answer (Server-Sent Events, docs/scaigrid-api.md §4.4) read into the same
 * ChatResponse a non-streamed call returns (accumulator.ts), so nothing after the call can tell
 * the difference.
 *
 * A stream is complete only with `data: [DONE]`. An `event: error` frame becomes a ScaiGridError
 * with the frame's code, so the retry table decides about it like about any other failure; a
 * stream that ends without `[DONE]` or breaks off is STREAM_INTERRUPTED, never a short answer.
 * Both carry the text received so far.
 */
import { ScaiGridError } from '../../shared/transport/errors';
import type { StreamResult } from '../../shared/transport/client';
import type { ChatChunk, ChatResponse } from '../../shared/api/schemas';
import { chatChunkSchema } from '../../shared/api/schemas';
import { valueAtPath } from '../../shared/execution/path';
import { settle } from '../../shared/execution/settle';
import { SseDecoder, decodeSseStream } from '../../shared/transport/sse';
import { ChatStreamAccumulator } from './accumulator';

const DONE = '[DONE]';
const PARTIAL_SNIPPET_CHARS = 200;

/** A failure of a streamed answer, with the text that had arrived before it. */
export class StreamFailure extends ScaiGridError {
	readonly partialText: string;

	constructor(fields: ConstructorParameters<typeof ScaiGridError>[0] & { partialText: string }) {
		super(fields);
		this.partialText = fields.partialText;
	}

	get description(): string {
		if (this.partialText === '') return super.description;
		const shown =
			this.partialText.length > PARTIAL_SNIPPET_CHARS
				? `${this.partialText.slice(0, PARTIAL_SNIPPET_CHARS)}…`
				: this.partialText;
		return `${super.description} Text received before the failure (${this.partialText.length} characters, in partialText): "${shown}"`;
	}

	toJson(): ReturnType<ScaiGridError['toJson']> {
		return { ...super.toJson(), partialText: this.partialText };
	}
}

function parseJson(data: string): unknown {
	try {
		return JSON.parse(data);
	} catch {
		return undefined;
	}
}

/** `event: error` data is `{code, message}` without an envelope. */
function errorFrameFailure(data: string, partialText: string, requestId?: string): StreamFailure {
	const frame = parseJson(data);
	// Tolerate an enveloped error too ({error: {code, message}}), as plain JSON errors have.
	const enveloped = valueAtPath(frame, 'error');
	const source = enveloped && typeof enveloped === 'object' ? enveloped : frame;
	const sentCode = valueAtPath(source, 'code');
	const sentMessage = valueAtPath(source, 'message');
	const code = typeof sentCode === 'string' && sentCode !== '' ? sentCode : 'BACKEND_ERROR';
	const message =
		typeof sentMessage === 'string' ? sentMessage : data.slice(0, PARTIAL_SNIPPET_CHARS);
	return new StreamFailure({ code, message: `Stream failed: ${message}`, requestId, partialText });
}

function interrupted(why: string, partialText: string, requestId?: string): StreamFailure {
	return new StreamFailure({
		code: 'STREAM_INTERRUPTED',
		message: `The streamed answer ${why}`,
		requestId,
		partialText,
	});
}

export interface StreamReadOptions {
	requestId?: string;
	/** Receives each piece of text as it arrives, in order; awaited, so a slow reader slows the read. */
	onText?: (text: string) => Promise<void>;
	/** The execution's cancel signal: cancelling closes the connection to ScaiGrid. */
	signal?: AbortSignal;
	/** Receives each parsed chunk as it arrives, in order (after onText); awaited like onText. */
	onChunk?: (chunk: ChatChunk) => Promise<void>;
}

function isAbortReason(signal: AbortSignal | undefined, error: unknown): boolean {
	return (
		signal?.aborted === true &&
		(error === signal.reason || (error as Error | undefined)?.name === 'AbortError')
	);
}

/** Reads events up to `[DONE]` (true) or the end of the body (false), feeding the accumulator. */
async function consume(
	body: StreamResult['body'],
	decoder: SseDecoder,
	accumulator: ChatStreamAccumulator,
	{ requestId, onText, onChunk }: StreamReadOptions,
): Promise<boolean> {
	for await (const event of decodeSseStream(body, decoder)) {
		if (event.event === 'error') throw errorFrameFailure(event.data, accumulator.text, requestId);
		// Persona status and other named events are informational.
		if (event.event !== 'message') continue;
		if (event.data === DONE) return true;
		const parsed = chatChunkSchema.safeParse(parseJson(event.data));
		if (!parsed.success) {
			throw new StreamFailure({
				code: 'INVALID_RESPONSE',
				message: `A streamed chunk is not a chat chunk: ${event.data.slice(0, PARTIAL_SNIPPET_CHARS)}`,
				requestId,
				partialText: accumulator.text,
			});
		}
		const text = accumulator.add(parsed.data);
		if (text !== '' && onText) await onText(text);
		if (onChunk) await onChunk(parsed.data);
	}
	return false;
}

/** Reads an event stream to its `[DONE]`; the connection is closed whatever happens. */
export async function readChatStream(
	body: StreamResult['body'],
	options: StreamReadOptions = {},
): Promise<ChatResponse> {
	const { requestId, signal } = options;
	const accumulator = new ChatStreamAccumulator();
	const decoder = new SseDecoder();
	const closeUpstream = () =>
		body.destroy?.(signal?.reason instanceof Error ? signal.reason : undefined);
	if (signal?.aborted) closeUpstream();
	signal?.addEventListener('abort', closeUpstream, { once: true });
	const outcome = await settle(consume(body, decoder, accumulator, options));
	signal?.removeEventListener('abort', closeUpstream);
	// After [DONE] or a failure nothing more is read: free the connection.
	body.destroy?.();
	if (!outcome.ok) {
		const error = outcome.error;
		if (error instanceof ScaiGridError || isAbortReason(signal, error)) throw error;
		// The connection broke (reset, socket destroyed): only the text so far arrived.
		throw interrupted(
			`broke off (${(error as Error)?.message ?? String(error)})`,
			accumulator.text,
			requestId,
		);
	}
	if (!outcome.value) {
		const why = decoder.hasPendingData
			? 'was cut off in the middle of an event'
			: 'ended without [DONE]';
		throw interrupted(why, accumulator.text, requestId);
	}
	return accumulator.response();
}
