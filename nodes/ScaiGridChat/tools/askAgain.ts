/**
 * "Ask Model to Fix Invalid Tool Calls": while an answer has invalid tool calls (or, with Output
 * Format = JSON Schema, is not a valid structured answer) and fixes are left, the assistant turn
 * goes back with what was wrong (one tool message per call: the problem, or "not run"; a user
 * message after a text answer) and the model is asked again. Usage is summed over every request
 * of the item.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import type { ChatResponse } from '../../shared/api/schemas';
import type { ChatAnswer } from '../call/call';
import type { ChatMessage } from '../prompt/messages';
import { assistantTurn } from '../result';
import type { StructuredOutput } from '../structured/setup';
import { InvalidStructuredAnswerError, judgeStructured } from '../structured/answer';
import type { ToolSet } from './definitions';
import type { CheckedCall } from './validate';
import { InvalidToolCallError, checkAnswer, checkCall } from './validate';

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
	/** With Output Format = JSON Schema and no tool calls: the answer, parsed and valid. */
	structured?: IDataObject;
}

function addUsage(
	total: ChatResponse['usage'],
	usage: ChatResponse['usage'],
): ChatResponse['usage'] {
	if (!total || !usage) return undefined;
	return {
		prompt_tokens: total.prompt_tokens + usage.prompt_tokens,
		completion_tokens: total.completion_tokens + usage.completion_tokens,
		total_tokens:
			(total.total_tokens ?? total.prompt_tokens + total.completion_tokens) +
			(usage.total_tokens ?? usage.prompt_tokens + usage.completion_tokens),
	};
}

type Verdict =
	| { ok: true; response: ChatResponse; calls: CheckedCall[]; structured?: IDataObject }
	| { ok: false; fix: ChatMessage[]; error: (fixAttempts: number) => Error };

/** The answer's calls to real tools, checked; an invalid one fails the turn (with "not run" for the rest). */
function judgeCalls(input: AskInput, response: ChatResponse): Verdict {
	const checked = checkAnswer(response, input.toolSet);
	const invalid = checked.filter((call) => call.problem);
	if (invalid.length === 0) return { ok: true, response, calls: checked };
	return {
		ok: false,
		fix: fixRequestMessages(checked),
		error: (fixAttempts) =>
			new InvalidToolCallError(input.node, invalid, input.itemIndex, fixAttempts),
	};
}

/**
 * With Output Format = JSON Schema: calls to real tools win (they leave by their outputs, and
 * a premature call to the schema's tool in the same turn is dropped from the turn, so the tool
 * results that come back answer every call of it); otherwise the answer must be the schema's
 * tool call with a valid object.
 */
function judgeWithSchema(
	input: AskInput,
	structured: StructuredOutput,
	response: ChatResponse,
): Verdict {
	const message = response.choices[0].message;
	const calls = message.tool_calls ?? [];
	const real = calls.filter((call) => call.function.name !== structured.name);
	if (real.length && input.toolSet) {
		const checked = real.map((call) => checkCall(call, input.toolSet!));
		const invalid = checked.filter((call) => call.problem);
		if (invalid.length === 0) {
			const turn = { ...message, tool_calls: real };
			return {
				ok: true,
				response: { ...response, choices: [{ ...response.choices[0], message: turn }] },
				calls: checked,
			};
		}
		const answers = calls.filter((call) => call.function.name === structured.name);
		const notRun = answers.map((call) => ({
			tool: call.function.name,
			callId: call.id,
			rawArguments: call.function.arguments ?? null,
		}));
		return {
			ok: false,
			fix: fixRequestMessages([...checked, ...notRun]),
			error: (fixAttempts) =>
				new InvalidToolCallError(input.node, invalid, input.itemIndex, fixAttempts),
		};
	}
	const verdict = judgeStructured(response, structured);
	if ('value' in verdict) return { ok: true, response, calls: [], structured: verdict.value };
	return {
		ok: false,
		fix: verdict.fix,
		error: (fixAttempts) =>
			new InvalidStructuredAnswerError(input.node, verdict.invalid, input.itemIndex, fixAttempts),
	};
}

interface AskInput {
	node: INode;
	itemIndex: number;
	body: IDataObject;
	messages: ChatMessage[];
	toolSet: ToolSet | undefined;
	/** Output Format = JSON Schema: the answer must be a valid call to this tool. */
	structured?: StructuredOutput;
	maxFixes: number;
	send: (body: IDataObject) => Promise<ChatAnswer>;
}

/**
 * Sends the request; while the answer is invalid and fixes are left, sends the assistant turn
 * plus what was wrong and asks again. Throws InvalidToolCallError (or, for a structured answer,
 * InvalidStructuredAnswerError) when it is still invalid.
 */
export async function askModel(input: AskInput): Promise<AskResult> {
	let messages = input.messages;
	let usage: ChatResponse['usage'];
	for (let request = 1; ; request++) {
		const answer = await input.send({ ...input.body, messages });
		usage = request === 1 ? answer.response.usage : addUsage(usage, answer.response.usage);
		const verdict = input.structured
			? judgeWithSchema(input, input.structured, answer.response)
			: judgeCalls(input, answer.response);
		if (verdict.ok) {
			return {
				answer: { ...answer, response: { ...verdict.response, usage } },
				messages,
				calls: verdict.calls,
				requests: request,
				...(verdict.structured ? { structured: verdict.structured } : {}),
			};
		}
		if (request > input.maxFixes) throw verdict.error(request - 1);
		messages = [...messages, assistantTurn(answer.response), ...verdict.fix];
	}
}
