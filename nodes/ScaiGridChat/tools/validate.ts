/**
 * A model answer with tool calls → output items: each valid call on its tool's output (or on
 * Tool Calls), text answers on Message. A call that names no defined tool, whose arguments are
 * not a JSON object, or whose arguments break the tool's schema never reaches a branch: the
 * item fails with the raw arguments and what was wrong. With "Ask Model to Fix Invalid Tool
 * Calls" the node first sends the problems back as tool messages and asks again.
 */
import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ItemResult } from '../../shared/execution/itemRunner';
import type { ChatResponse, Model, ToolCall } from '../../shared/api/schemas';
import type { ChatAnswer } from '../call/call';
import type { ChatMessage } from '../prompt/messages';
import { costOf } from '../call/prices';
import { assistantTurn, usageJson } from '../result';
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
				...invalid.map((call) => `Call ${call.callId} to "${call.tool}": ${call.problem}. Raw arguments: ${call.rawArguments ?? '(none)'}`),
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

/** The tool messages that tell the model what was wrong with its turn. */
export function fixRequestMessages(checked: CheckedCall[]): ChatMessage[] {
	return checked.map((call) => ({
		role: 'tool',
		tool_call_id: call.callId,
		content: call.problem
			? `Error: invalid call to "${call.tool}": ${call.problem}. Call the tool again with corrected arguments.`
			: 'Not run, because another tool call in the same turn was invalid. Call it again together with the corrected calls.',
	}));
}

export interface AskResult {
	/** The last answer, with usage summed over every request made for the item. */
	answer: ChatAnswer;
	/** The messages of the last request. */
	messages: ChatMessage[];
	/** Valid calls of the last answer; [] for a text answer. */
	calls: CheckedCall[];
	requests: number;
}

function addUsage(total: ChatResponse['usage'], usage: ChatResponse['usage']): ChatResponse['usage'] {
	if (!total || !usage) return undefined;
	return {
		prompt_tokens: total.prompt_tokens + usage.prompt_tokens,
		completion_tokens: total.completion_tokens + usage.completion_tokens,
		total_tokens:
			(total.total_tokens ?? total.prompt_tokens + total.completion_tokens) +
			(usage.total_tokens ?? usage.prompt_tokens + usage.completion_tokens),
	};
}

/**
 * Sends the request; while the answer has invalid tool calls and fixes are left, sends the
 * assistant turn plus one tool message per call (the problem, or "not run") and asks again.
 * Throws InvalidToolCallError when the calls are still invalid.
 */
export async function askModel(input: {
	node: INode;
	itemIndex: number;
	body: IDataObject;
	messages: ChatMessage[];
	toolSet: ToolSet | undefined;
	maxFixes: number;
	send: (body: IDataObject) => Promise<ChatAnswer>;
}): Promise<AskResult> {
	let messages = input.messages;
	let usage: ChatResponse['usage'];
	for (let request = 1; ; request++) {
		const answer = await input.send({ ...input.body, messages });
		usage = request === 1 ? answer.response.usage : addUsage(usage, answer.response.usage);
		const checked = checkAnswer(answer.response, input.toolSet);
		const invalid = checked.filter((call) => call.problem);
		if (invalid.length === 0) {
			return { answer: { ...answer, response: { ...answer.response, usage } }, messages, calls: checked, requests: request };
		}
		if (request > input.maxFixes) {
			throw new InvalidToolCallError(input.node, invalid, input.itemIndex, request - 1);
		}
		messages = [...messages, assistantTurn(answer.response), ...fixRequestMessages(checked)];
	}
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
		if (!input.simplify) json.response = response as IDataObject;
		return { output: input.outputFor(call.tool), json };
	});
}
