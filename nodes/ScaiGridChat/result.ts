/**
 * A chat answer → output items. A text reply is one item on Message: the reply, why it ended,
 * usage, cost, and the request's identity (model, request ID, latency, attempts). A turn with
 * tool calls is one item per call on its tool's output, carrying the conversation so the tool
 * results can come back. Simplified is what workflows map; raw adds the API's `data`.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ItemResult } from '../shared/execution/itemRunner';
import { setAtPath } from '../shared/execution/path';
import { itemJson } from '../shared/api/itemJson';
import type { ChatResponse, Model } from '../shared/api/schemas';
import type { CallInfo } from './call/call';
import { costOf } from './call/prices';
import type { ChatMessage } from './prompt/messages';
import type { AskResult } from './tools/askAgain';

export function replyText(response: ChatResponse): string {
	const content = response.choices[0].message.content;
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		return content
			.map((part) => (part && typeof part === 'object' && 'text' in part ? String(part.text) : ''))
			.join('');
	}
	return '';
}

/** The assistant turn as it goes back to the API in a continued conversation. */
export function assistantTurn(response: ChatResponse): ChatMessage {
	const message = response.choices[0].message;
	// Parts (docs/scaigrid-api.md §4.2) go back as they came; the response schema leaves them unchecked.
	const turn: ChatMessage = {
		role: 'assistant',
		content: (message.content as ChatMessage['content']) ?? null,
	};
	if (message.tool_calls?.length) turn.tool_calls = message.tool_calls.map(itemJson);
	return turn;
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

export interface ShapeInput {
	response: ChatResponse;
	model: Model | undefined;
	call: CallInfo;
	simplify: boolean;
	/** The conversation sent, when it should travel on with the reply appended. */
	conversation?: { field: string; messages: ChatMessage[] };
	/** Output Format = JSON Schema: the answer, parsed and checked. */
	structured?: IDataObject;
	/** How many times the model was asked to fix its answer (shown when > 0). */
	fixAttempts?: number;
}

export function shapeReply({
	response,
	model,
	call,
	simplify,
	conversation,
	structured,
	fixAttempts,
}: ShapeInput): IDataObject {
	const finishReason = response.choices[0].finish_reason ?? null;
	const bookkeeping: IDataObject = {
		requestId: call.requestId ?? response._meta?.request_id ?? null,
		attempts: call.attempts,
		...costOf(response, model),
	};
	if (fixAttempts) bookkeeping.fixAttempts = fixAttempts;
	// Output Format = JSON Schema: the object in `json` where a text reply has `text`, never
	// spread over the top level (its fields could be named "model", "cost" or "usage").
	const answer: IDataObject = structured ? { json: structured } : { text: replyText(response) };
	const json: IDataObject = simplify
		? {
				...answer,
				finishReason,
				truncated: finishReason === 'length',
				contentFiltered: finishReason === 'content_filter',
				usage: usageJson(response),
				model: response.model ?? model?.slug ?? null,
				latencyMs: response._meta?.latency_ms ?? call.latencyMs,
				...bookkeeping,
			}
		: { ...itemJson(response), ...(structured ? answer : {}), ...bookkeeping };
	if (conversation) {
		// A structured answer continues the conversation as the assistant's JSON text: a turn
		// calling the schema's tool would need a tool message after it.
		const turn: ChatMessage = structured
			? { role: 'assistant', content: JSON.stringify(structured) }
			: assistantTurn(response);
		setAtPath(json, conversation.field, [...conversation.messages, turn]);
	}
	return json;
}

/** The items of a turn with valid tool calls: one per call, on the output `outputFor` gives. */
export function toolCallItems(input: {
	result: AskResult;
	model: Model | undefined;
	conversationField: string;
	simplify: boolean;
	outputFor: (tool: string) => number;
}): ItemResult[] {
	const { result, model } = input;
	const response = result.answer.response;
	const conversation = [...result.messages, assistantTurn(response)];
	const shared: IDataObject = {
		toolCallCount: result.calls.length,
		usage: usageJson(response),
		model: response.model ?? model?.slug ?? null,
		requestId: result.answer.requestId ?? response._meta?.request_id ?? null,
		attempts: result.answer.attempts,
		latencyMs: response._meta?.latency_ms ?? result.answer.latencyMs,
		...costOf(response, model),
	};
	if (result.requests > 1) shared.fixAttempts = result.requests - 1;
	return result.calls.map((call) => {
		// `args`, not `arguments`: n8n's expression sandbox forbids reading a property named
		// "arguments", so {{ $json.arguments.location }} could never be mapped.
		const json: IDataObject = {
			tool: call.tool,
			callId: call.callId,
			args: call.arguments ?? {},
			[input.conversationField]: conversation,
			...shared,
		};
		if (!input.simplify) json.response = itemJson(response);
		return { output: input.outputFor(call.tool), json };
	});
}
