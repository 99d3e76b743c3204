/**
 * One assistant turn's tool results → the request's messages: the conversation, then one `tool`
 * message per call in the order of the turn's `tool_calls`. A call without a result fails the
 * whole group, naming the call.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ChatMessage } from '../prompt/messages';
import { asText } from '../prompt/text';

export const DEFAULT_CALL_ID_FIELD = 'callId';
export const DEFAULT_RESULT_FIELD = 'toolResult';

export interface ToolResultGroup {
	/** Input item indexes, ascending; the first one names the group in errors. */
	items: number[];
	/** The request's messages: the conversation plus the tool messages. */
	messages?: ChatMessage[];
	/** Why the group cannot be sent. */
	error?: NodeOperationError;
}

export interface TurnCall {
	id: string;
	tool: string;
}

/** One input item's tool result, read and checked against its conversation's last turn. */
export interface Entry {
	item: number;
	key: string;
	conversation: ChatMessage[];
	calls: TurnCall[];
	callId: string;
	result: unknown;
}

/** The tool message content: text as it is, anything else as JSON (null too: a tool may return it). */
export function resultContent(result: unknown): string {
	return result === null ? 'null' : asText(result);
}

export function describeCalls(calls: TurnCall[]): string {
	return calls.map((call) => `${call.id} (${call.tool})`).join(', ');
}

export function buildGroup(ctx: IExecuteFunctions, entries: Entry[]): ToolResultGroup {
	const items = entries.map((entry) => entry.item).sort((a, b) => a - b);
	const first = items[0];
	const { conversation, calls } = entries[0];
	const fail = (message: string, description: string): ToolResultGroup => ({
		items,
		error: new NodeOperationError(ctx.getNode(), message, { itemIndex: first, description }),
	});
	const missing = calls.filter((call) => !entries.some((entry) => entry.callId === call.id));
	if (missing.length) {
		return fail(
			`No result for the tool call ${missing.map((call) => `${call.id} to "${call.tool}"`).join(' and ')}`,
			`The assistant called ${calls.length} tool${calls.length === 1 ? '' : 's'} in this turn (${describeCalls(calls)}); all results go back in one request. Bring every tool branch to this node (e.g. through a Merge node in Append mode) and keep each item's call ID field.`,
		);
	}
	const resultField = String(ctx.getNodeParameter('toolResultField', first, DEFAULT_RESULT_FIELD));
	const noResult = entries.find((entry) => entry.result === undefined);
	if (noResult) {
		const call = calls.find((c) => c.id === noResult.callId);
		return fail(
			`The result of the tool call ${noResult.callId} to "${call?.tool}" is missing: item ${noResult.item} has no field "${resultField}"`,
			'Put the tool\'s result in that field (text, or an object that is sent as JSON), or set "Tool Result Field".',
		);
	}
	const toolMessages: ChatMessage[] = calls.map((call) => {
		const entry = entries.find((e) => e.callId === call.id);
		return { role: 'tool', tool_call_id: call.id, content: resultContent(entry?.result) };
	});
	return { items, messages: [...conversation.map((m) => ({ ...m })), ...toolMessages] };
}
