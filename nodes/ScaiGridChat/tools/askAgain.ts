/**
 * "Ask Model to Fix Invalid Tool Calls": while an answer has invalid tool calls and fixes are
 * left, the assistant turn goes back with one tool message per call (the problem, or "not
 * run") and the model is asked again. Usage is summed over every request of the item.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import type { ChatResponse } from '../../shared/api/schemas';
import type { ChatAnswer } from '../call/call';
import type { ChatMessage } from '../prompt/messages';
import { assistantTurn } from '../result';
import type { ToolSet } from './definitions';
import type { CheckedCall } from './validate';
import { InvalidToolCallError, checkAnswer } from './validate';

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
