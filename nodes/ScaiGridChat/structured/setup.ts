/**
 * Output Format = JSON Schema → one internal tool whose parameters are the schema, and the
 * request's `tools` and `tool_choice` (docs/scaigrid-api.md §4.5):
 *
 * - Without Tools: `tools` is the schema tool alone, forced by name. The answer must be a call
 *   to it.
 * - With Tools: the real tools plus the schema tool, and `tool_choice: "required"`. Forcing the
 *   schema tool by name would forbid the real calls; "auto" would let the model end in text.
 *   "required" lets the model choose between a real tool (its calls leave by their outputs, the
 *   results come back through Prompt = Tool Results From Input) and the schema tool (the final
 *   answer), and never text. Tool Choice "None" forces the schema tool; "Named Tool" forces
 *   that tool, as without Output Format.
 *
 * A backend that ignores `tool_choice` may still answer in text: the answer check
 * (structured/answer.ts) treats that as an invalid answer.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ReadParameter } from '../../shared/execution/parameters';
import type { ApiTool, ToolChoiceOption } from '../tools/definitions';
import { TOOL_NAME_PATTERN, ToolDefinitionError, parseJsonSchema } from '../tools/definitions';
import type { ToolFieldParameter } from '../tools/fields';
import { schemaFromFields } from '../tools/fields';
import type { JsonSchema } from '../tools/jsonSchema';
import type { ToolSetup } from '../tools/setup';
import { DEFAULT_SCHEMA_NAME } from './properties';

export interface StructuredOutput {
	/** The internal tool's name. */
	name: string;
	schema: JsonSchema;
	tool: ApiTool;
}

const DEFAULT_DESCRIPTION =
	'Give your final answer by calling this tool: its arguments are the answer.';

function readSchema(param: ReadParameter, itemIndex: number): StructuredOutput {
	const name =
		String(param('schemaName', itemIndex, DEFAULT_SCHEMA_NAME) ?? '').trim() || DEFAULT_SCHEMA_NAME;
	if (!TOOL_NAME_PATTERN.test(name)) {
		throw new ToolDefinitionError(
			`The Schema Name "${name}" is not a valid name`,
			'Names may only use letters, digits, "_" and "-", up to 64 characters (e.g. order).',
		);
	}
	const schema =
		param<string>('schemaMode', itemIndex, 'fields') === 'jsonSchema'
			? parseJsonSchema(param<string | object>('jsonSchema', itemIndex, ''), 'Output Format')
			: schemaFromFields(
					param<{ field?: ToolFieldParameter[] }>('schemaFields', itemIndex, {}).field ?? [],
					'Output Format',
				);
	if (!schema.properties || Object.keys(schema.properties as object).length === 0) {
		throw new ToolDefinitionError(
			'Output Format is JSON Schema but the schema has no fields',
			'Add the fields the answer should have.',
		);
	}
	const description =
		String(param('schemaDescription', itemIndex, '') ?? '').trim() || DEFAULT_DESCRIPTION;
	return {
		name,
		schema,
		tool: { type: 'function', function: { name, description, parameters: schema } },
	};
}

/**
 * The structured output of item `itemIndex` and the request fields that carry it, replacing
 * `tooling.requestFields`; undefined with Output Format = Text.
 */
export function readStructuredOutput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	tooling: ToolSetup,
	toolChoice: ToolChoiceOption | undefined,
	param: ReadParameter,
): { structured: StructuredOutput; requestFields: IDataObject } | undefined {
	if (param<string>('outputFormat', itemIndex, 'text') !== 'jsonSchema') return undefined;
	try {
		const structured = readSchema(param, itemIndex);
		const forceSchema = { type: 'function', function: { name: structured.name } };
		const toolSet = tooling.toolSet;
		if (!toolSet)
			return { structured, requestFields: { tools: [structured.tool], tool_choice: forceSchema } };
		if (toolSet.schemas.has(structured.name)) {
			throw new ToolDefinitionError(
				`The Schema Name "${structured.name}" is also the name of a tool`,
				'The answer is given through an internal tool of that name: rename the schema or the tool.',
			);
		}
		const tools = [...toolSet.tools, structured.tool];
		let choice: unknown = 'required';
		if (toolChoice === 'none') choice = forceSchema;
		else if (toolChoice === 'named') choice = tooling.requestFields.tool_choice;
		return { structured, requestFields: { tools, tool_choice: choice as IDataObject } };
	} catch (error) {
		const description = error instanceof ToolDefinitionError ? error.description : undefined;
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, {
			itemIndex,
			description,
		});
	}
}
