/**
 * The Prompt parameter → the `messages` of a chat request. Three forms: simple (system + user),
 * a message list, and a conversation carried in from the incoming item. Every mistake is a
 * NodeOperationError naming the item and the parameter, before anything is sent.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod/v4';

import type { ReadParameter } from '../../shared/execution/parameters';
import { directReader } from '../../shared/execution/parameters';
import { valueAtPath } from '../../shared/execution/path';
import { asText } from './text';
import { fail } from './fail';

export type ContentPart = IDataObject & { type: string };

export interface ChatMessage extends IDataObject {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content: string | ContentPart[] | null;
}

export type PromptMode = 'simple' | 'messages' | 'fromInput';

/** What the model may receive: tool turns carry ids, assistant turns may carry tool calls. */
const conversationMessageSchema = z
	.object({
		role: z.enum(['system', 'user', 'assistant', 'tool']),
		content: z
			.union([z.string(), z.array(z.object({ type: z.string() }).loose())])
			.nullable()
			.optional(),
		tool_calls: z.array(z.unknown()).optional(),
		tool_call_id: z.string().optional(),
		name: z.string().optional(),
	})
	.loose()
	.superRefine((message, ctx) => {
		if (message.role === 'tool' && !message.tool_call_id) {
			ctx.addIssue({ code: 'custom', message: 'a tool message needs tool_call_id' });
		}
		if (
			message.role !== 'assistant' &&
			(message.content === undefined || message.content === null)
		) {
			ctx.addIssue({ code: 'custom', message: `a ${message.role} message needs content` });
		}
	});

const conversationSchema = z.array(conversationMessageSchema).min(1);

export interface BuiltPrompt {
	messages: ChatMessage[];
	/** True when the conversation came from the item: the reply is appended and passed on. */
	carriesConversation: boolean;
	conversationField?: string;
}

/** Reads a conversation from the item; a JSON string of the array is accepted too. */
export function readConversation(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
): ChatMessage[] {
	const item = ctx.getInputData()[itemIndex];
	let value = valueAtPath(item.json, field);
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			fail(
				ctx,
				itemIndex,
				`The field "${field}" holds text, not a conversation`,
				'Conversation From Input needs an array of messages like [{"role": "user", "content": "Hi"}].',
			);
		}
	}
	if (value === undefined) {
		fail(
			ctx,
			itemIndex,
			`The incoming item has no field "${field}"`,
			'Set "Conversation Field" to the field that holds the array of messages.',
		);
	}
	const parsed = conversationSchema.safeParse(value);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		fail(
			ctx,
			itemIndex,
			`The field "${field}" is not a conversation: ${issue.path.length ? `message ${issue.path.join('.')}: ` : ''}${issue.message}`,
			'Conversation From Input needs an array of messages like [{"role": "user", "content": "Hi"}] with roles system, user, assistant or tool.',
		);
	}
	return parsed.data as ChatMessage[];
}

export function buildPrompt(
	ctx: IExecuteFunctions,
	itemIndex: number,
	param: ReadParameter = directReader(ctx),
): BuiltPrompt {
	const mode = param<PromptMode>('prompt', itemIndex, 'simple');
	if (mode === 'simple') {
		const system = asText(param('systemMessage', itemIndex, ''));
		const user = asText(param('userMessage', itemIndex, ''));
		if (!user.trim())
			fail(
				ctx,
				itemIndex,
				'The User Message is empty',
				'Write the question or map it from the input with an expression.',
			);
		const messages: ChatMessage[] = [];
		if (system.trim()) messages.push({ role: 'system', content: system });
		messages.push({ role: 'user', content: user });
		return { messages, carriesConversation: false };
	}
	if (mode === 'messages') {
		const list = param<Array<{ role: string; content: unknown }>>(
			'messages.message',
			itemIndex,
			[],
		);
		const messages = list
			.map((m) => ({ role: m.role as ChatMessage['role'], content: asText(m.content) }))
			.filter((m) => m.content.trim() !== '');
		if (messages.length === 0)
			fail(
				ctx,
				itemIndex,
				'The Messages list has no message with content',
				'Add at least one message.',
			);
		return { messages, carriesConversation: false };
	}
	const field = String(param('conversationField', itemIndex, 'messages'));
	const messages = readConversation(ctx, itemIndex, field).map((m) => ({ ...m }));
	const append = asText(param('appendUserMessage', itemIndex, ''));
	if (append.trim()) messages.push({ role: 'user', content: append });
	return { messages, carriesConversation: true, conversationField: field };
}

/** Adds parts (images, audio) to the last user message, turning its text into a text part. */
export function attachParts(messages: ChatMessage[], parts: ContentPart[]): ChatMessage[] {
	if (parts.length === 0) return messages;
	const lastUser = messages.map((m) => m.role).lastIndexOf('user');
	if (lastUser === -1) {
		return [...messages, { role: 'user', content: parts }];
	}
	const target = messages[lastUser];
	const existing: ContentPart[] =
		typeof target.content === 'string'
			? [{ type: 'text', text: target.content }]
			: Array.isArray(target.content)
				? target.content
				: [];
	const updated = [...messages];
	updated[lastUser] = { ...target, content: [...existing, ...parts] };
	return updated;
}
