/**
 * One chat call for one item: the request body in, a parsed ChatResponse out, with the call's
 * request ID, attempts and latency. The only place that decides how the call is made: one JSON
 * request, or a stream (SSE) read into the same ChatResponse, its text forwarded to the
 * workflow's caller as it arrives when the workflow streams its response (forward.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import type { ScaiGridClient } from '../../shared/transport/client';
import { ScaiGridError } from '../../shared/transport/errors';
import type { RetryPolicy } from '../../shared/retry/policy';
import type { ChatResponse } from '../../shared/api/schemas';
import { chatResponseSchema } from '../../shared/api/schemas';
import { settle } from '../../shared/execution/settle';
import type { ChatStreaming } from './forward';
import { readChatStream } from './stream';

export const CHAT_PATH = '/v1/inference/chat';

export interface ChatCall {
	client: ScaiGridClient;
	body: IDataObject;
	timeoutMs: number;
	retry: RetryPolicy;
	/** Stream the answer; undefined = one JSON request. */
	streaming?: ChatStreaming;
}

/** What the item shows of the call besides the answer. */
export interface CallInfo {
	requestId?: string;
	attempts: number;
	latencyMs: number;
}

export interface ChatAnswer extends CallInfo {
	response: ChatResponse;
}

export async function callChat(call: ChatCall): Promise<ChatAnswer> {
	if (call.streaming) return await callChatStreamed(call, call.streaming);
	const { client, body, timeoutMs, retry } = call;
	const result = await client.post(CHAT_PATH, chatResponseSchema, { body, timeoutMs, retry });
	return {
		response: result.data,
		requestId: result.requestId,
		attempts: result.attempts,
		latencyMs: result.latencyMs,
	};
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
				return {
					answer: {
						response: read.value,
						requestId: opened.requestId,
						latencyMs: Date.now() - started,
					},
				};
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
