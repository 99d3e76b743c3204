/**
 * Checking the model's tool calls (docs/scaigrid-api.md §4.3): a call that names no defined
 * tool, whose arguments are not a JSON object, or whose arguments break the tool's schema never
 * reaches a branch: the item fails with the raw arguments and what was wrong (askAgain.ts may
 * first send the problems back to the model).
 */
import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ChatResponse, ToolCall } from '../../shared/api/schemas';
import type { ToolSet } from './definitions';
import { validateJson } from './jsonSchema';

export interface CheckedCall {
	tool: string;
	callId: string;
	rawArguments: string | null;
	/** Parsed and valid arguments; undefined when the call is invalid. */
	arguments?: IDataObject;
	problem?: string;
}

function isPlainObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Checks one call against the defined tools. */
export function checkCall(call: ToolCall, toolSet: ToolSet): CheckedCall {
	const tool = call.function.name;
	const rawArguments = call.function.arguments ?? null;
	const checked: CheckedCall = { tool, callId: call.id, rawArguments };
	const schema = toolSet.schemas.get(tool);
	if (!schema) {
		checked.problem = `there is no tool "${tool}" (defined tools: ${[...toolSet.schemas.keys()].join(', ')})`;
		return checked;
	}
	// Some backends send "" for a call without arguments; that is the empty object.
	const text = rawArguments === null || rawArguments.trim() === '' ? '{}' : rawArguments;
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		checked.problem = `the arguments are not valid JSON (${(error as Error).message})`;
		return checked;
	}
	if (!isPlainObject(parsed)) {
		checked.problem = `the arguments must be a JSON object, got ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}`;
		return checked;
	}
	const problems = validateJson(schema, parsed);
	if (problems.length) {
		checked.problem = `the arguments do not match the tool's schema: ${problems.join('; ')}`;
		return checked;
	}
	checked.arguments = parsed;
	return checked;
}

/** The calls of an answer, checked; [] when the model answered in text. */
export function checkAnswer(response: ChatResponse, toolSet: ToolSet | undefined): CheckedCall[] {
	const calls = response.choices[0].message.tool_calls ?? [];
	if (!toolSet || calls.length === 0) return [];
	return calls.map((call) => checkCall(call, toolSet));
}

/** An invalid tool call as an item error: its json shows the call, the raw arguments and the problem. */
export class InvalidToolCallError extends NodeOperationError {
	readonly calls: CheckedCall[];

	constructor(node: INode, invalid: CheckedCall[], itemIndex: number, fixAttempts: number) {
		const first = invalid[0];
		super(node, `The model made an invalid call to the tool "${first.tool}": ${first.problem}`, {
			itemIndex,
			description: [
				...invalid.map(
					(call) =>
						`Call ${call.callId} to "${call.tool}": ${call.problem}. Raw arguments: ${call.rawArguments ?? '(none)'}`,
				),
				fixAttempts > 0
					? `The model was asked ${fixAttempts} time${fixAttempts === 1 ? '' : 's'} to fix it.`
					: 'The option "Ask Model to Fix Invalid Tool Calls" sends the problem back to the model and asks again.',
			].join('\n'),
		});
		this.calls = invalid;
		this.fixAttempts = fixAttempts;
	}

	readonly fixAttempts: number;

	/** The error item's json (the item runner uses it with continue on fail). */
	toJson(): IDataObject {
		const first = this.calls[0];
		return {
			error: this.message,
			description: this.description ?? null,
			tool: first.tool,
			callId: first.callId,
			rawArguments: first.rawArguments,
			problem: first.problem ?? null,
			invalidCalls: this.calls.map((call) => ({
				tool: call.tool,
				callId: call.callId,
				rawArguments: call.rawArguments,
				problem: call.problem ?? null,
			})),
			fixAttempts: this.fixAttempts,
		};
	}
}
