/**
 * A chat answer → the output item's json: the reply, why it ended, usage, cost, and the
 * request's identity (model, request ID, latency, attempts). Simplified is what workflows map;
 * raw is the API's `data` plus the same bookkeeping.
 */
import type { IDataObject } from 'n8n-workflow';

import { setAtPath } from '../shared/execution/path';
import { costFromPrices, parseDecimal, toDecimalString, toNumber } from '../shared/api/decimal';
import type { ChatResponse, Model } from '../shared/api/schemas';
import type { ChatMessage } from './prompt/messages';

export interface CallInfo {
	requestId?: string;
	attempts: number;
	latencyMs: number;
}

export interface CostInfo extends IDataObject {
	cost: number | null;
	costDecimal: string | null;
	costNote?: string;
}

/** Exact cost from the model's per-million prices, or null with the reason. */
export function costOf(response: ChatResponse, model: Model | undefined): CostInfo {
	const usage = response.usage;
	if (!usage) return { cost: null, costDecimal: null, costNote: 'ScaiGrid reported no token usage for this call' };
	const inputPrice = parseDecimal(model?.input_price_per_mtok ?? undefined);
	const outputPrice = parseDecimal(model?.output_price_per_mtok ?? undefined);
	if (inputPrice === undefined || outputPrice === undefined) {
		return {
			cost: null,
			costDecimal: null,
			costNote: model
				? `ScaiGrid shows no prices for ${model.slug}; the cost is in the Usage Summary node`
				: 'The model could not be looked up (GET /v1/models needs models:list); the cost is in the Usage Summary node',
		};
	}
	const cost = costFromPrices(usage.prompt_tokens, usage.completion_tokens, inputPrice, outputPrice);
	return { cost: toNumber(cost, 9), costDecimal: toDecimalString(cost) };
}

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
