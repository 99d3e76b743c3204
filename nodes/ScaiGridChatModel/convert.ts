/**
 * The SDK's shapes ↔ ScaiGrid's (docs/scaigrid-api.md §4): messages and their parts, the tools an
 * agent binds, a whole answer, and streamed chunks. Pure functions, no I/O.
 */
import type {
	FinishReason,
	GenerateResult,
	Message,
	MessageContent,
	StreamChunk,
	TokenUsage,
	Tool,
} from '@n8n/ai-node-sdk';
import { getParametersJsonSchema } from '@n8n/ai-node-sdk';
import type { IDataObject } from 'n8n-workflow';

import type { ChatChunk, ChatResponse } from './scaigrid';
import { replyText } from './scaigrid';

/** One message as ScaiGrid takes it. */
export interface WireMessage extends IDataObject {
	role: string;
	content: string | IDataObject[] | null;
}

type ContentOf<T extends MessageContent['type']> = Extract<MessageContent, { type: T }>;

/** A tool result as the text a `tool` message carries. */
function resultText(result: unknown): string {
	if (typeof result === 'string') return result;
	if (Array.isArray(result)) {
		const texts = result.filter(
			(part): part is { type: 'text'; text: string } =>
				!!part && typeof part === 'object' && (part as { type?: unknown }).type === 'text',
		);
		if (texts.length === result.length) return texts.map((part) => part.text).join('');
	}
	return JSON.stringify(result ?? null);
}

function base64Of(data: string | Uint8Array): string {
	return typeof data === 'string' ? data : Buffer.from(data).toString('base64');
}

/** A file part: images (and audio) as the parts of docs/scaigrid-api.md §4.2; a URL wins over inline data. */
function filePart(part: ContentOf<'file'>): IDataObject | undefined {
	const mediaType = part.mediaType ?? '';
	const url =
		typeof part.providerMetadata?.url === 'string' ? part.providerMetadata.url : undefined;
	const dataUrl =
		typeof part.data === 'string' && part.data.startsWith('data:') ? part.data : undefined;
	const kind = mediaType.startsWith('image/')
		? 'image'
		: mediaType.startsWith('audio/')
			? 'audio'
			: undefined;
	if (!kind) return undefined;
	if (url || dataUrl) return { type: `${kind}_url`, [`${kind}_url`]: { url: url ?? dataUrl } };
	return {
		type: `${kind}_base64`,
		[`${kind}_base64`]: { data: base64Of(part.data), media_type: mediaType },
	};
}

/** User and system content: plain text stays a string; with media it becomes parts. */
function userContent(parts: MessageContent[]): string | IDataObject[] {
	const wire: IDataObject[] = [];
	let onlyText = true;
	for (const part of parts) {
		if (part.type === 'text') wire.push({ type: 'text', text: part.text });
		else if (part.type === 'file') {
			const media = filePart(part);
			if (media) {
				wire.push(media);
				onlyText = false;
			}
		}
	}
	return onlyText ? wire.map((part) => String(part.text)).join('') : wire;
}

/** An assistant turn: its text, and its tool calls sent back as received (with their IDs). */
function assistantMessage(message: Message): WireMessage {
	const text = message.content
		.filter((part): part is ContentOf<'text'> => part.type === 'text')
		.map((part) => part.text)
		.join('');
	const seen = new Set<string>();
	const toolCalls: IDataObject[] = [];
	for (const part of message.content) {
		if (part.type !== 'tool-call') continue;
		const id = part.toolCallId ?? `call_${toolCalls.length + 1}`;
		if (seen.has(id)) continue;
		seen.add(id);
		toolCalls.push({
			id,
			type: 'function',
			function: { name: part.toolName, arguments: part.input },
		});
	}
	const wire: WireMessage = {
		role: 'assistant',
		content: text === '' && toolCalls.length ? null : text,
	};
	if (toolCalls.length) wire.tool_calls = toolCalls;
	return wire;
}

/** SDK messages → ScaiGrid messages. Each tool result becomes its own `tool` message. */
export function toWireMessages(messages: Message[]): WireMessage[] {
	const wire: WireMessage[] = [];
	for (const message of messages) {
		switch (message.role) {
			case 'assistant':
				wire.push(assistantMessage(message));
				break;
			case 'tool':
				for (const part of message.content) {
					if (part.type === 'tool-result') {
						wire.push({
							role: 'tool',
							tool_call_id: part.toolCallId,
							content: resultText(part.result),
						});
					}
				}
				break;
			default:
				wire.push({ role: message.role, content: userContent(message.content) });
		}
	}
	return wire;
}

/** Bound tools → ScaiGrid's OpenAI-shaped function tools. Provider tools have no ScaiGrid form. */
export function toWireTools(tools: Tool[]): IDataObject[] {
	return tools
		.filter((tool) => tool.type === 'function')
		.map((tool) => ({
			type: 'function',
			function: {
				name: tool.name,
				...(tool.description ? { description: tool.description } : {}),
				parameters: getParametersJsonSchema(tool) as IDataObject,
			},
		}));
}

export function toFinishReason(
	reason: string | null | undefined,
	calledTools: boolean,
): FinishReason {
	switch (reason) {
		case 'stop':
			return 'stop';
		case 'length':
			return 'length';
		case 'tool_calls':
			return 'tool-calls';
		case 'content_filter':
			return 'content-filter';
		case null:
		case undefined:
			return calledTools ? 'tool-calls' : 'stop';
		default:
			return 'other';
	}
}

export function toTokenUsage(response: ChatResponse): TokenUsage | undefined {
	const usage = response.usage;
	if (!usage) return undefined;
	return {
		promptTokens: usage.prompt_tokens,
		completionTokens: usage.completion_tokens,
		totalTokens: usage.total_tokens ?? usage.prompt_tokens + usage.completion_tokens,
	};
}

/** A whole ScaiGrid answer → the SDK's result. */
export function toGenerateResult(
	response: ChatResponse,
	providerMetadata: Record<string, unknown>,
): GenerateResult {
	const choice = response.choices[0];
	const content: MessageContent[] = [];
	const text = replyText(response);
	if (text !== '') content.push({ type: 'text', text });
	for (const call of choice.message.tool_calls ?? []) {
		content.push({
			type: 'tool-call',
			toolCallId: call.id,
			toolName: call.function.name,
			input: call.function.arguments ?? '{}',
		});
	}
	const calledTools = (choice.message.tool_calls?.length ?? 0) > 0;
	return {
		id: response.id,
		finishReason: toFinishReason(choice.finish_reason, calledTools),
		usage: toTokenUsage(response),
		message: { role: 'assistant', content, ...(response.id ? { id: response.id } : {}) },
		providerMetadata,
		rawResponse: response,
	};
}

/**
 * Streamed chunks → SDK stream chunks. Every tool-call delta carries its call's ID: n8n's
 * adapter gives all of them the same index, and LangChain then keeps calls apart by ID only.
 */
export class ChunkTranslator {
	private readonly ids = new Map<number, string>();

	/** Whether any tool call was seen (for the finish reason). */
	get calledTools(): boolean {
		return this.ids.size > 0;
	}

	translate(chunk: ChatChunk): StreamChunk[] {
		const out: StreamChunk[] = [];
		for (const choice of chunk.choices ?? []) {
			if ((choice.index ?? 0) !== 0 || !choice.delta) continue;
			const { content, tool_calls: toolCalls } = choice.delta;
			if (typeof content === 'string' && content !== '')
				out.push({ type: 'text-delta', delta: content });
			toolCalls?.forEach((fragment, position) => {
				const index = fragment.index ?? position;
				let id = this.ids.get(index);
				const first = id === undefined;
				if (id === undefined) {
					id = fragment.id || `call_${index + 1}`;
					this.ids.set(index, id);
				}
				const delta: StreamChunk = { type: 'tool-call-delta', id };
				if (first && fragment.function?.name) delta.name = fragment.function.name;
				if (fragment.function?.arguments) delta.argumentsDelta = fragment.function.arguments;
				if (first || delta.argumentsDelta !== undefined) out.push(delta);
			});
		}
		return out;
	}
}
