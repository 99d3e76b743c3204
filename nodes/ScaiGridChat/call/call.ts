/**
 * One chat call for one item: the request body in, a parsed ChatResponse out, with the call's
 * request ID, attempts and latency. The only place that decides how the call is made: one JSON
 * request, or a stream (SSE) read into the same ChatResponse, its text forwarded to the
 * workflow's caller as it arrives when the workflow streams its response.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ScaiGridClient } from '../../shared/transport/client';
import { ScaiGridError } from '../../shared/transport/errors';
import type { RetryPolicy } from '../../shared/retry/table';
import type { ChatResponse } from '../../shared/api/schemas';
import { chatResponseSchema } from '../../shared/api/schemas';
import { settle } from '../../shared/execution/settle';
import type { CallInfo } from '../result';
import { readChatStream } from './stream';

export const CHAT_PATH = '/v1/inference/chat';

export type StreamingMode = 'auto' | 'on' | 'off';

/** Where an item's streamed text goes: n8n's `sendChunk`, framed by begin and end. */
export class ChunkForwarder {
	private begun = false;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly itemIndex: number,
	) {}

	/** Whether any text has reached the caller (from then on, a failed call cannot be retried). */
	get forwarded(): boolean {
		return this.begun;
	}

	async text(text: string): Promise<void> {
		if (!this.begun) {
			this.begun = true;
			await this.send('begin');
		}
		await this.send('item', text);
	}

	/** Closes the item's message, after a failure too, so the caller is not left waiting. */
	async end(): Promise<void> {
		if (this.begun) await this.send('end');
	}

	private async send(type: 'begin' | 'item' | 'end', content?: string): Promise<void> {
		// Declared as void, but n8n's implementation returns the hook's promise: awaiting it keeps
		// chunks in order and lets a slow caller slow the read down.
		const sent: unknown = this.ctx.sendChunk(type, this.itemIndex, content);
		await sent;
	}
}

export interface ChatStreaming {
	/** The text goes to the workflow's caller as it arrives (streaming response mode). */
	forward?: ChunkForwarder;
	/** The execution's cancel signal: cancelling closes the connection to ScaiGrid. */
	signal?: AbortSignal;
}

/**
 * The Streaming option → how item `itemIndex` is called. Auto streams exactly when the workflow
 * streams its response (Chat Trigger or Webhook in streaming mode); On always asks for a stream
 * (text reaches the caller only in a streaming run); Off never does.
 */
export function streamingFor(ctx: IExecuteFunctions, itemIndex: number, mode: StreamingMode = 'auto'): ChatStreaming | undefined {
	const callerStreams = ctx.isStreaming();
	if (mode === 'off' || (mode === 'auto' && !callerStreams)) return undefined;
	return {
		forward: callerStreams ? new ChunkForwarder(ctx, itemIndex) : undefined,
		signal: ctx.getExecutionCancelSignal(),
	};
}

export interface ChatCall {
	client: ScaiGridClient;
	body: IDataObject;
	timeoutMs: number;
	retry: RetryPolicy;
	/** Stream the answer; undefined = one JSON request. */
	streaming?: ChatStreaming;
}

export interface ChatAnswer extends CallInfo {
	response: ChatResponse;
}

export async function callChat(call: ChatCall): Promise<ChatAnswer> {
	if (call.streaming) return await callChatStreamed(call, call.streaming);
	const { client, body, timeoutMs, retry } = call;
	const result = await client.post(CHAT_PATH, chatResponseSchema, { body, timeoutMs, retry });
	return { response: result.data, requestId: result.requestId, attempts: result.attempts, latencyMs: result.latencyMs };
}

type StreamAttempt = { answer: Omit<ChatAnswer, 'attempts'> } | { failed: ScaiGridError };

/**
 * Opening and reading the stream form one attempt of the client's retry loop: an error frame or
 * a broken stream retries the whole call, as the retry table says, as long as no text has
 * reached the caller. After that a retry would show the caller the beginning twice, so the
 * failure ends the item, with the text so far attached.
 */
async function callChatStreamed(call: ChatCall, streaming: ChatStreaming): Promise<ChatAnswer> {
	const { client, timeoutMs, retry } = call;
	const { forward, signal } = streaming;
	const body = { ...call.body, stream: true };
	// One request per attempt: the loop around it covers the opening and the reading together.
	const singleAttempt: RetryPolicy = { ...retry, enabled: false };
	const outcome = await settle(
		client.retrying<StreamAttempt>(retry, async () => {
			const started = Date.now();
			const opened = await client.openStream(CHAT_PATH, { body, timeoutMs, retry: singleAttempt });
			const read = await settle(
				readChatStream(opened.body, {
					requestId: opened.requestId,
					signal,
					onText: forward ? async (text) => await forward.text(text) : undefined,
				}),
			);
			if (read.ok) {
				return { answer: { response: read.value, requestId: opened.requestId, latencyMs: Date.now() - started } };
			}
			if (forward?.forwarded && read.error instanceof ScaiGridError) return { failed: read.error };
			throw read.error;
		}),
	);
	if (forward) await forward.end();
	if (!outcome.ok) throw outcome.error;
	const { attempts } = outcome.value;
	if ('failed' in outcome.value) {
		outcome.value.failed.attempts = attempts;
		throw outcome.value.failed;
	}
	return { ...outcome.value.answer, attempts };
}
