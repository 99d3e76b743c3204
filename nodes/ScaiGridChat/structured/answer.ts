/**
 * Checking a structured answer: the model must call the schema's tool once, with arguments
 * that are a JSON object fitting the schema (checked by the package's validator,
 * tools/jsonSchema.ts). Anything else (text instead of the call, arguments that are not JSON or
 * not an object, schema violations) is an invalid answer: sent back to the model while fixes
 * are left (askAgain.ts), then an item error showing the raw text and every violation.
 */
import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ChatResponse, ToolCall } from '../../shared/api/schemas';
import type { ChatMessage } from '../prompt/messages';
import type { Violation } from '../tools/jsonSchema';
import { describeViolation, findViolations } from '../tools/jsonSchema';
import type { StructuredOutput } from './setup';

export interface InvalidAnswer {
	/** What was wrong, in one sentence (also what the model is told). */
	problem: string;
	/** The arguments the model wrote, or its text when it did not call the tool. */
	raw: string;
	violations: Violation[];
	/** Whether the answer was cut off at Max Tokens (a likely cause of broken JSON). */
	truncated: boolean;
}

export type StructuredVerdict =
	{ value: IDataObject } | { invalid: InvalidAnswer; fix: ChatMessage[] };

function isPlainObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function textOf(response: ChatResponse): string {
	const content = response.choices[0].message.content;
	if (typeof content === 'string') return content;
	if (Array.isArray(content))
		return content
			.map((part) => (isPlainObject(part) && 'text' in part ? String(part.text) : ''))
			.join('');
	return '';
}

/** Problems with the arguments of the schema's tool call, or the parsed object. */
function checkArguments(
	raw: string,
	structured: StructuredOutput,
): { value: IDataObject } | { problem: string; violations: Violation[] } {
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw.trim() === '' ? '{}' : raw);
	} catch (error) {
		return {
			problem: `the answer is not valid JSON (${(error as Error).message})`,
			violations: [],
		};
	}
	if (!isPlainObject(parsed)) {
		const got = Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed);
		return {
			problem: `the answer must be a JSON object, got ${got}`,
			violations: [{ path: 'answer', expected: 'must be object', got }],
		};
	}
	const violations = findViolations(structured.schema, parsed, 'answer');
	if (violations.length)
		return {
			problem: `the answer does not match the schema: ${violations.map(describeViolation).join('; ')}`,
			violations,
		};
	return { value: parsed };
}

/**
 * Judges an answer that has no real tool calls (those are routed, see askAgain.ts): the first
 * call to the schema's tool is the answer; further calls to it are told they were not used.
 */
export function judgeStructured(
	response: ChatResponse,
	structured: StructuredOutput,
): StructuredVerdict {
	const calls: ToolCall[] = (response.choices[0].message.tool_calls ?? []).filter(
		(call) => call.function.name === structured.name,
	);
	const truncated = response.choices[0].finish_reason === 'length';
	const [answer, ...extra] = calls;
	const others: ToolCall[] = (response.choices[0].message.tool_calls ?? []).filter(
		(call) => call.function.name !== structured.name,
	);
	if (!answer && others.length) {
		// Only the schema's tool was offered, and the model called another one.
		const named = others.map((call) => `"${call.function.name}"`).join(', ');
		return {
			invalid: {
				problem: `the model called ${named} instead of "${structured.name}"`,
				raw: others
					.map((call) => `${call.function.name}(${call.function.arguments ?? ''})`)
					.join('; '),
				violations: [],
				truncated,
			},
			fix: others.map((call): ChatMessage => ({
				role: 'tool',
				tool_call_id: call.id,
				content: `Error: there is no tool "${call.function.name}". Give your answer by calling "${structured.name}" with arguments that match its schema.`,
			})),
		};
	}
	if (!answer) {
		const raw = textOf(response);
		return {
			invalid: {
				problem: `the model answered in text instead of calling "${structured.name}"`,
				raw,
				violations: [],
				truncated,
			},
			fix: [
				{
					role: 'user',
					content: `Do not answer in text. Give your answer by calling the tool "${structured.name}" with arguments that match its schema.`,
				},
			],
		};
	}
	const raw = answer.function.arguments ?? '';
	const checked = checkArguments(raw, structured);
	if ('value' in checked) return checked;
	return {
		invalid: { problem: checked.problem, raw, violations: checked.violations, truncated },
		fix: [
			{
				role: 'tool',
				tool_call_id: answer.id,
				content: `Error: ${checked.problem}. Call "${structured.name}" again with corrected arguments.`,
			},
			...extra.map((call): ChatMessage => ({
				role: 'tool',
				tool_call_id: call.id,
				content: `Not used: only the first call to "${structured.name}" is the answer.`,
			})),
		],
	};
}

/** An invalid structured answer as an item error: the raw text and each violation. */
export class InvalidStructuredAnswerError extends NodeOperationError {
	constructor(
		node: INode,
		readonly invalid: InvalidAnswer,
		itemIndex: number,
		readonly fixAttempts: number,
	) {
		super(node, `The model's answer does not fit the JSON Schema: ${invalid.problem}`, {
			itemIndex,
			description: [
				`Raw answer: ${invalid.raw === '' ? '(empty)' : invalid.raw}`,
				...invalid.violations.map(
					(v) => `${v.path}: ${v.expected}${v.got === undefined ? '' : ` (got ${v.got})`}`,
				),
				...(invalid.truncated
					? ['The answer was cut off at Max Tokens: raise Max Tokens in the options.']
					: []),
				fixAttempts > 0
					? `The model was asked ${fixAttempts} time${fixAttempts === 1 ? '' : 's'} to fix it.`
					: 'The option "Ask Model to Fix Invalid Tool Calls" (it covers structured answers too) sends the problem back to the model and asks again.',
			].join('\n'),
		});
	}

	/** The error item's json (the item runner uses it with continue on fail). */
	toJson(): IDataObject {
		return {
			error: this.message,
			description: this.description ?? null,
			problem: this.invalid.problem,
			rawAnswer: this.invalid.raw,
			violations: this.invalid.violations.map((v) => ({
				path: v.path,
				expected: v.expected,
				got: v.got ?? null,
			})),
			truncated: this.invalid.truncated,
			fixAttempts: this.fixAttempts,
		};
	}
}
