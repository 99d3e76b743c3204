/**
 * The Tools parameter → the API's `tools` entries and `tool_choice`, plus each tool's argument
 * schema for validating the model's calls. Pure functions: every mistake comes back as a
 * ToolDefinitionError whose message names the tool and the parameter, so the node can turn it
 * into an item error before anything is sent.
 */
import type { ToolFieldParameter } from './fields';
import { schemaFromFields } from './fields';
import type { JsonSchema } from './jsonSchema';
import { SCHEMA_TYPES, checkToolSchema } from './jsonSchema';
import { ToolDefinitionError } from './definitionError';

export { ToolDefinitionError };

/** The API's pattern for a function name (docs/scaigrid-api.md §4.3, OpenAI function shape). */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

export interface ToolParameter {
	name?: string;
	description?: string;
	argumentsMode?: 'fields' | 'jsonSchema';
	fields?: { field?: ToolFieldParameter[] };
	jsonSchema?: string | object;
}

export interface ToolsParameter {
	tool?: ToolParameter[];
}

export type ToolChoiceOption = 'auto' | 'none' | 'required' | 'named';

export interface ApiTool {
	type: 'function';
	function: { name: string; description?: string; parameters: JsonSchema };
	[key: string]: unknown;
}

export type ApiToolChoice =
	'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export interface ToolSet {
	/** The API's `tools`, in the order of the parameter (= the order of the outputs). */
	tools: ApiTool[];
	/** Argument schemas by tool name. */
	schemas: Map<string, JsonSchema>;
}

function label(tool: ToolParameter, index: number): string {
	const name = String(tool.name ?? '').trim();
	return name ? `Tool "${name}"` : `Tool ${index + 1}`;
}

function checkName(name: string, what: string, hint: string): void {
	if (!TOOL_NAME_PATTERN.test(name)) {
		throw new ToolDefinitionError(
			`${what} ${name ? `"${name}" ` : ''}is not a valid name`,
			`${name ? '' : 'The name is empty. '}Names may only use letters, digits, "_" and "-", up to 64 characters (e.g. get_weather). ${hint}`.trim(),
		);
	}
}

export function parseJsonSchema(raw: ToolParameter['jsonSchema'], toolLabel: string): JsonSchema {
	let value: unknown = raw;
	if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) {
		return { type: 'object', properties: {} };
	}
	if (typeof raw === 'string') {
		let syntaxError: string | undefined;
		try {
			value = JSON.parse(raw);
		} catch (error) {
			syntaxError = (error as Error).message;
		}
		if (syntaxError !== undefined)
			throw new ToolDefinitionError(`${toolLabel}: the JSON Schema is not valid JSON`, syntaxError);
	}
	const problems = checkToolSchema(value);
	if (problems.length) {
		throw new ToolDefinitionError(
			`${toolLabel}: the JSON Schema ${problems[0]}`,
			`${problems.length > 1 ? `Also: ${problems.slice(1).join('; ')}. ` : ''}Types: ${SCHEMA_TYPES.join(', ')}.`,
		);
	}
	const schema = { ...(value as JsonSchema) };
	schema.type = 'object';
	return schema;
}

/** The Tools parameter → API tools and schemas; undefined when no tool is defined. */
export function buildToolSet(parameter: ToolsParameter | undefined): ToolSet | undefined {
	const list = parameter?.tool ?? [];
	if (list.length === 0) return undefined;
	const tools: ApiTool[] = [];
	const schemas = new Map<string, JsonSchema>();
	list.forEach((tool, index) => {
		const name = String(tool.name ?? '').trim();
		checkName(
			name,
			name ? 'The tool name' : `Tool ${index + 1}`,
			`Rename tool ${index + 1} in the Tools list.`,
		);
		if (schemas.has(name)) {
			throw new ToolDefinitionError(
				`Two tools are named "${name}"`,
				'Tool names must be unique: each tool is its own output of the node.',
			);
		}
		const toolLabel = label(tool, index);
		const parameters =
			tool.argumentsMode === 'jsonSchema'
				? parseJsonSchema(tool.jsonSchema, toolLabel)
				: schemaFromFields(tool.fields?.field ?? [], toolLabel);
		const description = String(tool.description ?? '').trim();
		tools.push({
			type: 'function',
			function: { name, ...(description ? { description } : {}), parameters },
		});
		schemas.set(name, parameters);
	});
	return { tools, schemas };
}

/** Tool Choice → the API's `tool_choice`; undefined leaves the API default (auto). */
export function toolChoiceFor(
	choice: ToolChoiceOption | undefined,
	namedTool: string | undefined,
	toolSet: ToolSet,
): ApiToolChoice | undefined {
	if (choice === undefined) return undefined;
	if (choice === 'named') {
		const name = String(namedTool ?? '').trim();
		if (!name)
			throw new ToolDefinitionError(
				'Tool Choice is "Named Tool" but Tool Name is empty',
				'Enter the name of one of the tools.',
			);
		if (!toolSet.schemas.has(name)) {
			throw new ToolDefinitionError(
				`Tool Choice names the tool "${name}", which is not in the Tools list`,
				`Defined tools: ${[...toolSet.schemas.keys()].join(', ')}.`,
			);
		}
		return { type: 'function', function: { name } };
	}
	if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
	throw new ToolDefinitionError(`Unknown Tool Choice "${String(choice)}"`);
}
