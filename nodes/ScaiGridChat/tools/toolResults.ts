/**
 * Prompt "Tool Results From Input": the input items carry a conversation that ends with an
 * assistant turn calling tools, plus one call ID and one result each. Items of the same turn
 * are gathered into ONE request: the conversation, then one `tool` message per call in the
 * order of the assistant's `tool_calls`, whatever order (or branch, through a Merge node) the
 * items came in.
 *
 * Items belong to the same turn when they carry the same conversation. Two identical
 * conversations (the same question asked twice) give the same call IDs; their items are told
 * apart by arrival order: the first result for call_1 goes with the first result for call_2.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { valueAtPath } from '../../shared/execution/path';
import type { ChatMessage } from '../prompt/messages';
import { readConversation } from '../prompt/messages';
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

interface TurnCall {
	id: string;
	tool: string;
}

interface Entry {
	item: number;
	key: string;
	conversation: ChatMessage[];
	calls: TurnCall[];
	callId: string;
	result: unknown;
}

/** The tool calls of the conversation's last turn, which must be the assistant calling tools. */
function lastTurnCalls(conversation: ChatMessage[]): TurnCall[] | string {
	const last = conversation[conversation.length - 1];
	const calls = Array.isArray(last.tool_calls) ? (last.tool_calls as IDataObject[]) : [];
	if (last.role !== 'assistant' || calls.length === 0) {
		return `its last message is ${last.role === 'assistant' ? 'an assistant message without tool calls' : `a ${last.role} message`}, not the assistant's tool calls`;
	}
	return calls.map((call) => ({
		id: String(call.id ?? ''),
		tool: String((call.function as IDataObject | undefined)?.name ?? ''),
	}));
}

/** The tool message content: text as it is, anything else as JSON (null too: a tool may return it). */
export function resultContent(result: unknown): string {
	return result === null ? 'null' : asText(result);
}

/** " The items came from "Weather"." when n8n knows the node that fed this one. */
function cameFrom(ctx: IExecuteFunctions): string {
	try {
		const previous = ctx.getInputSourceData(0)?.previousNode;
		return previous ? ` The items came from "${previous}".` : '';
	} catch {
		return '';
	}
}

function describeCalls(calls: TurnCall[]): string {
	return calls.map((call) => `${call.id} (${call.tool})`).join(', ');
}

export function groupToolResults(ctx: IExecuteFunctions): ToolResultGroup[] {
	const items = ctx.getInputData();
	const node = ctx.getNode();
	const groups: ToolResultGroup[] = [];
	const byTurn = new Map<string, Entry[]>();

	items.forEach((item, index) => {
		const conversationField = String(ctx.getNodeParameter('conversationField', index, 'messages'));
		const idField = String(ctx.getNodeParameter('toolCallIdField', index, DEFAULT_CALL_ID_FIELD));
		const resultField = String(ctx.getNodeParameter('toolResultField', index, DEFAULT_RESULT_FIELD));
		const fail = (message: string, description: string) =>
			groups.push({ items: [index], error: new NodeOperationError(node, message, { itemIndex: index, description }) });
		if (valueAtPath(item.json, conversationField) === undefined && valueAtPath(item.json, idField) === undefined) {
			// Nearly always a Set node on the tool branch with "Include Other Input Fields" off (its
			// default): it passes on only the fields it sets. Saying "change Conversation Field"
			// would send the user after the wrong setting.
			fail(
				`The incoming item has lost the tool call's fields "${conversationField}" and "${idField}": turn on "Include Other Input Fields" in the Edit Fields (Set) node of its tool branch`,
				`This node needs each tool call item's conversation ("${conversationField}") and call ID ("${idField}") next to the tool's result, and this item has neither.${cameFrom(ctx)} An Edit Fields (Set) node outputs only the fields it sets unless "Include Other Input Fields" is on, and it is off by default. If the fields were renamed on purpose, set "Conversation Field" and "Tool Call ID Field" to the new names.`,
			);
			return;
		}
		let conversation: ChatMessage[];
		try {
			conversation = readConversation(ctx, index, conversationField);
		} catch (error) {
			groups.push({ items: [index], error: error as NodeOperationError });
			return;
		}
		const calls = lastTurnCalls(conversation);
		if (typeof calls === 'string') {
			fail(
				`The conversation in "${conversationField}" does not end with tool calls: ${calls}`,
				'Tool Results From Input continues a conversation from a tool output of a ScaiGrid Chat node. Keep its conversation field unchanged on the way here.',
			);
			return;
		}
		const callId = valueAtPath(item.json, idField);
		if (typeof callId !== 'string' || callId === '') {
			fail(
				`The incoming item has no call ID in the field "${idField}"`,
				`Keep the "callId" field of the tool call item (e.g. a Set node with "Include Other Input Fields"), or set "Tool Call ID Field". Calls of this turn: ${describeCalls(calls)}.`,
			);
			return;
		}
		if (!calls.some((call) => call.id === callId)) {
			fail(
				`The call ID "${callId}" is not one of the tool calls of the conversation's last turn`,
				`Calls of this turn: ${describeCalls(calls)}.`,
			);
			return;
		}
		const entry: Entry = {
			item: index,
			key: JSON.stringify(conversation),
			conversation,
			calls,
			callId,
			result: valueAtPath(item.json, resultField),
		};
		const list = byTurn.get(entry.key) ?? [];
		list.push(entry);
		byTurn.set(entry.key, list);
	});

	for (const entries of byTurn.values()) {
		// The n-th result for a call ID belongs to the n-th copy of the turn.
		const copies: Entry[][] = [];
		const seen = new Map<string, number>();
		for (const entry of entries) {
			const copy = seen.get(entry.callId) ?? 0;
			seen.set(entry.callId, copy + 1);
			(copies[copy] ??= []).push(entry);
		}
		for (const copy of copies) groups.push(buildGroup(ctx, copy));
	}
	return groups.sort((a, b) => a.items[0] - b.items[0]);
}

function buildGroup(ctx: IExecuteFunctions, entries: Entry[]): ToolResultGroup {
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
		const entry = entries.find((e) => e.callId === call.id) as Entry;
		return { role: 'tool', tool_call_id: call.id, content: resultContent(entry.result) };
	});
	return { items, messages: [...conversation.map((m) => ({ ...m })), ...toolMessages] };
}
