/**
 * The Chat node's tool definitions without the engine: the Tools parameter → API tools (fields
 * and JSON Schema), name checks, Tool Choice, the JSON Schema validator, the call checks, and
 * the outputs function (evaluated from its text, as n8n does, to prove it is self-contained).
 */
import {
	buildToolSet,
	toolChoiceFor,
	ToolDefinitionError,
} from '../../nodes/ScaiGridChat/tools/definitions';
import { schemaFromFields } from '../../nodes/ScaiGridChat/tools/fields';
import type { ToolParameter } from '../../nodes/ScaiGridChat/tools/definitions';
import { checkToolSchema, validateJson } from '../../nodes/ScaiGridChat/tools/jsonSchema';
import {
	configuredOutputs,
	outputIndexForTool,
	outputsExpression,
} from '../../nodes/ScaiGridChat/tools/outputs';
import { fixRequestMessages } from '../../nodes/ScaiGridChat/tools/askAgain';
import { checkCall } from '../../nodes/ScaiGridChat/tools/validate';
import { resultContent } from '../../nodes/ScaiGridChat/tools/toolResultGroup';

const weather: ToolParameter = {
	name: 'get_weather',
	description: 'Weather for a city',
	argumentsMode: 'fields',
	fields: {
		field: [
			{ name: 'location', type: 'string', required: true, description: 'City' },
			{ name: 'days', type: 'integer', required: false, allowedValues: '1, 3, 7' },
			{ name: 'metric', type: 'boolean', required: false },
			{ name: 'tags', type: 'array', required: false },
			{ name: 'filter', type: 'object', required: false },
			{ name: 'ratio', type: 'number', required: false },
		],
	},
};

function definitionError(fn: () => unknown): ToolDefinitionError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(ToolDefinitionError);
		return error as ToolDefinitionError;
	}
	throw new Error('expected a ToolDefinitionError');
}

describe('Tools parameter → API tools', () => {
	it('turns fields into a JSON Schema object with types, required and enum', () => {
		const set = buildToolSet({ tool: [weather] })!;
		expect(set.tools).toEqual([
			{
				type: 'function',
				function: {
					name: 'get_weather',
					description: 'Weather for a city',
					parameters: {
						type: 'object',
						properties: {
							location: { type: 'string', description: 'City' },
							days: { type: 'integer', enum: [1, 3, 7] },
							metric: { type: 'boolean' },
							tags: { type: 'array' },
							filter: { type: 'object' },
							ratio: { type: 'number' },
						},
						required: ['location'],
					},
				},
			},
		]);
		expect(set.schemas.get('get_weather')).toBe(set.tools[0].function.parameters);
	});

	it('gives a tool without fields an empty object schema and no description when none is set', () => {
		const set = buildToolSet({ tool: [{ name: 'ping' }] })!;
		expect(set.tools[0]).toEqual({
			type: 'function',
			function: { name: 'ping', parameters: { type: 'object', properties: {} } },
		});
	});

	it('takes a JSON Schema as text or object, and defaults its type to object', () => {
		const schema = { properties: { q: { type: 'string' } }, required: ['q'] };
		const fromText = buildToolSet({
			tool: [{ name: 'search', argumentsMode: 'jsonSchema', jsonSchema: JSON.stringify(schema) }],
		})!;
		const fromObject = buildToolSet({
			tool: [{ name: 'search', argumentsMode: 'jsonSchema', jsonSchema: schema }],
		})!;
		expect(fromText.tools[0].function.parameters).toEqual({ type: 'object', ...schema });
		expect(fromObject.tools[0].function.parameters).toEqual({ type: 'object', ...schema });
	});

	it('returns undefined without tools', () => {
		expect(buildToolSet(undefined)).toBeUndefined();
		expect(buildToolSet({ tool: [] })).toBeUndefined();
	});

	it.each([
		['get weather', 'The tool name "get weather" is not a valid name'],
		['wetter_für_zürich', 'The tool name "wetter_für_zürich" is not a valid name'],
		['x'.repeat(65), /is not a valid name/],
		['', 'Tool 1 is not a valid name'],
	])('rejects the name %j', (name, message) => {
		const error = definitionError(() => buildToolSet({ tool: [{ name }] }));
		expect(error.message).toMatch(message);
		expect(error.description).toMatch(/letters, digits, "_" and "-", up to 64 characters/);
	});

	it('accepts names at the limits of the pattern, trimming spaces around them', () => {
		const set = buildToolSet({
			tool: [{ name: 'a' }, { name: 'A-b_9' }, { name: ` ${'x'.repeat(64)} ` }],
		})!;
		expect(set.tools.map((t) => t.function.name)).toEqual(['a', 'A-b_9', 'x'.repeat(64)]);
	});

	it('rejects duplicate tool names and duplicate field names', () => {
		expect(
			definitionError(() => buildToolSet({ tool: [{ name: 'a' }, { name: 'a ' }] })).message,
		).toBe('Two tools are named "a"');
		const twice = { name: 't', fields: { field: [{ name: 'x' }, { name: 'x' }] } };
		expect(definitionError(() => buildToolSet({ tool: [twice] })).message).toBe(
			'Tool "t" has two fields named "x"',
		);
	});

	it('rejects a field without a name and allowed values that do not fit the type', () => {
		expect(definitionError(() => schemaFromFields([{ name: ' ' }], 'Tool "t"')).message).toBe(
			'Tool "t", field 1 has no name',
		);
		expect(
			definitionError(() =>
				schemaFromFields([{ name: 'n', type: 'integer', allowedValues: '1, 2.5' }], 'Tool "t"'),
			).message,
		).toBe('Tool "t", field "n": allowed value "2.5" is not a whole number');
		expect(
			definitionError(() =>
				schemaFromFields([{ name: 'n', type: 'array', allowedValues: 'a' }], 'Tool "t"'),
			).message,
		).toMatch(/only work for string, number, integer and boolean/);
		expect(
			schemaFromFields([{ name: 'b', type: 'boolean', allowedValues: 'true' }], 'T').properties,
		).toEqual({ b: { type: 'boolean', enum: [true] } });
	});

	it('rejects a JSON Schema that is not JSON, not an object schema, or uses unknown types', () => {
		const tool = (jsonSchema: string): ToolParameter => ({
			name: 't',
			argumentsMode: 'jsonSchema',
			jsonSchema,
		});
		expect(definitionError(() => buildToolSet({ tool: [tool('{type: object}')] })).message).toBe(
			'Tool "t": the JSON Schema is not valid JSON',
		);
		expect(definitionError(() => buildToolSet({ tool: [tool('[]')] })).message).toMatch(
			/must be a JSON object/,
		);
		expect(
			definitionError(() => buildToolSet({ tool: [tool('{"type":"string"}')] })).message,
		).toMatch(/must describe an object/);
		expect(
			definitionError(() => buildToolSet({ tool: [tool('{"properties":{"a":{"type":"text"}}}')] }))
				.message,
		).toBe(
			'Tool "t": the JSON Schema schema.properties.a: unknown type "text" (use string, number, integer, boolean, object, array, null)',
		);
	});
});

describe('Tool Choice', () => {
	const set = buildToolSet({ tool: [weather, { name: 'ping' }] })!;

	it('maps each choice to the API form', () => {
		expect(toolChoiceFor(undefined, undefined, set)).toBeUndefined();
		expect(toolChoiceFor('auto', undefined, set)).toBe('auto');
		expect(toolChoiceFor('none', undefined, set)).toBe('none');
		expect(toolChoiceFor('required', undefined, set)).toBe('required');
		expect(toolChoiceFor('named', ' ping ', set)).toEqual({
			type: 'function',
			function: { name: 'ping' },
		});
	});

	it('rejects a named tool that is empty or not defined', () => {
		expect(definitionError(() => toolChoiceFor('named', '', set)).message).toMatch(
			/Tool Name is empty/,
		);
		const error = definitionError(() => toolChoiceFor('named', 'pong', set));
		expect(error.message).toBe('Tool Choice names the tool "pong", which is not in the Tools list');
		expect(error.description).toBe('Defined tools: get_weather, ping.');
	});
});

describe('JSON Schema validator', () => {
	const schema = {
		type: 'object',
		properties: {
			name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[A-Z]' },
			age: { type: 'integer', minimum: 0, maximum: 150 },
			score: { type: 'number' },
			tags: {
				type: 'array',
				items: { type: 'string', enum: ['a', 'b'] },
				minItems: 1,
				maxItems: 2,
			},
			address: {
				type: 'object',
				properties: { city: { type: 'string' } },
				required: ['city'],
				additionalProperties: false,
			},
			note: { type: ['string', 'null'] },
			legacy: { type: 'string', nullable: true, enum: ['x'] },
			kind: { const: 'user' },
			extra: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
			one: { oneOf: [{ type: 'number' }, { type: 'integer' }] },
		},
		required: ['name'],
		additionalProperties: { type: 'boolean' },
	};

	it('accepts a valid value', () => {
		const valid = {
			name: 'Ann',
			age: 30,
			score: 1.5,
			tags: ['a'],
			address: { city: 'Bern' },
			note: null,
			legacy: null,
			kind: 'user',
			extra: 3,
			flag: true,
		};
		expect(validateJson(schema, valid)).toEqual([]);
	});

	it.each<[string, unknown, string[]]>([
		['a missing required property', {}, ['arguments.name: is required']],
		['a wrong type', { name: 7 }, ['arguments.name: must be string, got number 7']],
		[
			'a number for an integer',
			{ name: 'Ann', age: 1.5 },
			['arguments.age: must be integer, got number 1.5'],
		],
		['an integer is a number', { name: 'Ann', score: 2 }, []],
		[
			'bounds',
			{ name: 'A', age: -1 },
			[
				'arguments.name: must have at least 2 characters',
				'arguments.age: must be at least 0, got -1',
			],
		],
		['a pattern', { name: 'ann' }, ['arguments.name: must match the pattern ^[A-Z], got "ann"']],
		[
			'array items and size',
			{ name: 'Ann', tags: ['a', 'c', 'b'] },
			[
				'arguments.tags: must have at most 2 items',
				'arguments.tags[1]: must be one of "a", "b", got "c"',
			],
		],
		[
			'a nested object',
			{ name: 'Ann', address: { town: 'Bern' } },
			[
				'arguments.address.city: is required',
				'arguments.address.town: is not an allowed argument (allowed: city)',
			],
		],
		[
			'additionalProperties as a schema',
			{ name: 'Ann', flag: 'yes' },
			['arguments.flag: must be boolean, got string "yes"'],
		],
		[
			'null where the type list does not allow it',
			{ name: null },
			['arguments.name: must be string, got null null'],
		],
		[
			'nullable: an enum value other than null',
			{ name: 'Ann', legacy: 'y' },
			['arguments.legacy: must be one of "x", got "y"'],
		],
		['const', { name: 'Ann', kind: 'admin' }, ['arguments.kind: must be "user", got "admin"']],
		[
			'anyOf',
			{ name: 'Ann', extra: true },
			['arguments.extra: matches none of the allowed forms (anyOf)'],
		],
		[
			'oneOf with two matches',
			{ name: 'Ann', one: 3 },
			['arguments.one: matches more than one of the allowed forms (oneOf)'],
		],
	])('reports %s', (_what, value, problems) => {
		expect(validateJson(schema, value)).toEqual(problems);
	});

	it('ignores keywords it does not know and patterns JavaScript cannot read', () => {
		expect(
			validateJson({ type: 'string', format: 'email', pattern: '(?<' }, 'not an email'),
		).toEqual([]);
	});

	it('checks a tool schema for an object type and known types', () => {
		expect(
			checkToolSchema({
				type: 'object',
				properties: { a: { type: 'array', items: { type: 'integer' } } },
			}),
		).toEqual([]);
		expect(
			checkToolSchema({ properties: { a: { type: 'array', items: { type: 'int' } } } }),
		).toEqual([
			'schema.properties.a.items: unknown type "int" (use string, number, integer, boolean, object, array, null)',
		]);
		expect(checkToolSchema({ required: 'a' })).toEqual([
			'schema.required: must be a list of property names',
		]);
	});
});

describe('checking a call', () => {
	const set = buildToolSet({ tool: [weather, { name: 'ping' }] })!;
	const call = (name: string, args: string | null) => ({
		id: 'call_9',
		type: 'function',
		function: { name, arguments: args },
	});

	it('parses and validates good arguments, with empty arguments as {}', () => {
		expect(checkCall(call('get_weather', '{"location":"Bern","days":3}'), set)).toEqual({
			tool: 'get_weather',
			callId: 'call_9',
			rawArguments: '{"location":"Bern","days":3}',
			arguments: { location: 'Bern', days: 3 },
		});
		expect(checkCall(call('ping', ''), set).arguments).toEqual({});
		expect(checkCall(call('ping', null), set).arguments).toEqual({});
	});

	it.each([
		[
			'an unknown tool',
			call('pong', '{}'),
			'there is no tool "pong" (defined tools: get_weather, ping)',
		],
		['arguments that are not JSON', call('ping', '{oops'), /^the arguments are not valid JSON \(/],
		[
			'arguments that are not an object',
			call('ping', '42'),
			'the arguments must be a JSON object, got 42',
		],
		[
			'arguments that break the schema',
			call('get_weather', '{"days":2}'),
			"the arguments do not match the tool's schema: arguments.location: is required; arguments.days: must be one of 1, 3, 7, got 2",
		],
	])('names the problem with %s', (_what, toolCall, problem) => {
		const checked = checkCall(toolCall, set);
		expect(checked.arguments).toBeUndefined();
		expect(checked.problem).toMatch(problem);
		expect(checked.rawArguments).toBe(toolCall.function.arguments);
	});

	it('words the fix request for invalid and valid calls', () => {
		expect(
			fixRequestMessages([
				{ tool: 'ping', callId: 'c1', rawArguments: '{}', arguments: {} },
				{ tool: 'pong', callId: 'c2', rawArguments: '{}', problem: 'there is no tool "pong"' },
			]),
		).toEqual([
			{
				role: 'tool',
				tool_call_id: 'c1',
				content: expect.stringMatching(/^Not run, because another tool call/),
			},
			{
				role: 'tool',
				tool_call_id: 'c2',
				content:
					'Error: invalid call to "pong": there is no tool "pong". Call the tool again with corrected arguments.',
			},
		]);
	});

	it('sends text results as they are and anything else as JSON', () => {
		expect(resultContent('14:05')).toBe('14:05');
		expect(resultContent({ t: 7 })).toBe('{"t":7}');
		expect(resultContent(3)).toBe('3');
		expect(resultContent(null)).toBe('null');
	});
});

describe('outputs', () => {
	/** The outputs expression evaluated from its text alone, the way n8n's expression engine gets it. */
	function evaluate(parameters: unknown): unknown {
		const body = outputsExpression.slice('={{'.length, -'}}'.length);
		// eslint-disable-next-line @typescript-eslint/no-implied-eval
		return new Function('$parameter', `return ${body};`)(parameters);
	}

	const tools = { tool: [{ name: 'get_weather' }, { name: ' get_time ' }, { name: '' }] };

	it('is one expression n8n can cut out of its {{ }} (no "}}" inside)', () => {
		expect(outputsExpression.startsWith('={{(')).toBe(true);
		expect(outputsExpression.slice(3, -2)).not.toContain('}}');
	});

	it('has Message only without tools', () => {
		expect(evaluate({})).toEqual([{ type: 'main', displayName: 'Message' }]);
		expect(evaluate({ tools: {} })).toEqual([{ type: 'main', displayName: 'Message' }]);
	});

	it('has one output per tool, labelled with its name, in the order of the Tools list', () => {
		expect(evaluate({ tools })).toEqual([
			{ type: 'main', displayName: 'Message' },
			{ type: 'main', displayName: 'get_weather' },
			{ type: 'main', displayName: 'get_time' },
			{ type: 'main', displayName: 'Tool 3' },
		]);
	});

	it('has one Tool Calls output with Single Output', () => {
		expect(evaluate({ tools, options: { routeToolCalls: 'single' } })).toEqual([
			{ type: 'main', displayName: 'Message' },
			{ type: 'main', displayName: 'Tool Calls' },
		]);
	});

	it('routes at run time with the same function', () => {
		expect(evaluate({ tools })).toEqual(configuredOutputs({ tools }));
		expect(outputIndexForTool({ tools }, 'get_time')).toBe(2);
		expect(outputIndexForTool({ tools, options: { routeToolCalls: 'single' } }, 'get_time')).toBe(
			1,
		);
		expect(outputIndexForTool({ tools: { tool: [{ name: 'Message' }] } }, 'Message')).toBe(1);
		expect(outputIndexForTool({ tools }, 'nope')).toBe(-1);
	});
});
