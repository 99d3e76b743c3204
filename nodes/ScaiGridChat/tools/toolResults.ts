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
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { valueAtPath } from '../../shared/execution/path';
import type { ChatMessage } from '../prompt/messages';
import { readConversation } from '../prompt/messages';
import type { Entry, ToolResultGroup, TurnCall } from './toolResultGroup';
import {
	DEFAULT_CALL_ID_FIELD,
	DEFAULT_RESULT_FIELD,
	buildGroup,
	describeCalls,
} from './toolResultGroup';

export type { ToolResultGroup } from './toolResultGroup';

/** The tool calls of the conversation's last turn, which must be the assistant calling tools. */
function lastTurnCalls(conversation: ChatMessage[]): TurnCall[] | string {
	const last = conversation[conversation.length - 1];
	const calls: unknown[] = Array.isArray(last.tool_calls) ? last.tool_calls : [];
	if (last.role !== 'assistant' || calls.length === 0) {
		return `its last message is ${last.role === 'assistant' ? 'an assistant message without tool calls' : `a ${last.role} message`}, not the assistant's tool calls`;
	}
	return calls.map((call) => ({
		id: String(valueAtPath(call, 'id') ?? ''),
		tool: String(valueAtPath(call, 'function.name') ?? ''),
	}));
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

export function groupToolResults(ctx: IExecuteFunctions): ToolResultGroup[] {
	const items = ctx.getInputData();
	const node = ctx.getNode();
	const groups: ToolResultGroup[] = [];
	const byTurn = new Map<string, Entry[]>();

	items.forEach((item, index) => {
		const conversationField = String(ctx.getNodeParameter('conversationField', index, 'messages'));
		const idField = String(ctx.getNodeParameter('toolCallIdField', index, DEFAULT_CALL_ID_FIELD));
		const resultField = String(
			ctx.getNodeParameter('toolResultField', index, DEFAULT_RESULT_FIELD),
		);
		const fail = (message: string, description: string) =>
			groups.push({
				items: [index],
				error: new NodeOperationError(node, message, { itemIndex: index, description }),
			});
		if (
			valueAtPath(item.json, conversationField) === undefined &&
			valueAtPath(item.json, idField) === undefined
		) {
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
