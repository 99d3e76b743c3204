/**
 * A chat answer → the output item's json: the reply, why it ended, usage, cost, and the
 * request's identity (model, request ID, latency, attempts). Simplified is what workflows map;
 * raw is the API's `data` plus the same bookkeeping.
 */
import type { IDataObject } from 'n8n-workflow';

import { setAtPath } from '../shared/execution/path';
import type { ChatResponse, Model } from '../shared/api/schemas';
import type { CallInfo } from './call/call';
import { costOf } from './call/prices';
import type { ChatMessage } from './prompt/messages';

export function replyText(response: ChatResponse): string {
	const content = response.choices[0].message.content;
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		return content
			.map((part) => (part && typeof part === 'object' && 'text' in part ? String((part as { text: unknown }).text) : ''))
			.join('');
	}
	return '';
}

/** The assistant turn as it goes back to the API in a continued conversation. */
export function assistantTurn(response: ChatResponse): ChatMessage {
	const message = response.choices[0].message;
	const turn: ChatMessage = { role: 'assistant', content: (message.content as ChatMessage['content']) ?? null };
	if (message.tool_calls?.length) turn.tool_calls = message.tool_calls as IDataObject[];
	return turn;
}

export interface ShapeInput {
	response: ChatResponse;
	model: Model | undefined;
	call: CallInfo;
	simplify: boolean;
	/** The conversation sent, when it should travel on with the reply appended. */
	conversation?: { field: string; messages: ChatMessage[] };
}

export function usageJson(response: ChatResponse): IDataObject | null {
	const usage = response.usage;
	if (!usage) return null;
	return {
		promptTokens: usage.prompt_tokens,
		completionTokens: usage.completion_tokens,
		totalTokens: usage.total_tokens ?? usage.prompt_tokens + usage.completion_tokens,
	};
}

export function shapeReply({ response, model, call, simplify, conversation }: ShapeInput): IDataObject {
	const finishReason = response.choices[0].finish_reason ?? null;
	const bookkeeping: IDataObject = {
		requestId: call.requestId ?? response._meta?.request_id ?? null,
		attempts: call.attempts,
		...costOf(response, model),
	};
	const json: IDataObject = simplify
		? {
				text: replyText(response),
				finishReason,
				truncated: finishReason === 'length',
				contentFiltered: finishReason === 'content_filter',
				usage: usageJson(response),
				model: response.model ?? model?.slug ?? null,
				latencyMs: response._meta?.latency_ms ?? call.latencyMs,
				...bookkeeping,
			}
		: { ...(response as IDataObject), ...bookkeeping };
	if (conversation) {
		setAtPath(json, conversation.field, [...conversation.messages, assistantTurn(response)]);
	}
	return json;
}
