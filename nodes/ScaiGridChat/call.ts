/**
 * One chat call for one item: the request body in, a parsed ChatResponse out, with the call's
 * request ID, attempts and latency. The only place that decides how the call is made.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ScaiGridClient } from '../shared/client';
import type { RetryPolicy } from '../shared/retry';
import type { ChatResponse } from '../shared/schemas';
import { chatResponseSchema } from '../shared/schemas';
import type { CallInfo } from './result';

export const CHAT_PATH = '/v1/inference/chat';

export interface ChatCall {
	client: ScaiGridClient;
	body: IDataObject;
	timeoutMs: number;
	retry: RetryPolicy;
}

export interface ChatAnswer extends CallInfo {
	response: ChatResponse;
}

export async function callChat({ client, body, timeoutMs, retry }: ChatCall): Promise<ChatAnswer> {
	const result = await client.post(CHAT_PATH, chatResponseSchema, { body, timeoutMs, retry });
	return { response: result.data, requestId: result.requestId, attempts: result.attempts, latencyMs: result.latencyMs };
}
