/** The Chat node's tool parameters: the Tools list, the tool options, and the tool results fields. */
import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_CALL_ID_FIELD, DEFAULT_RESULT_FIELD } from './toolResultGroup';

/**
 * The simple Fields list (name, type, description, required, allowed values) of a tool's
 * arguments; also the Fields of a structured answer's schema (structured/properties.ts).
 */
export const argumentFieldsCollection: INodeProperties = {
	displayName: 'Fields',
	name: 'fields',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	default: {},
	placeholder: 'Add Field',
	options: [
		{
			displayName: 'Field',
			name: 'field',
			values: [
				{
					displayName: 'Allowed Values',
					name: 'allowedValues',
					type: 'string',
					default: '',
					placeholder: 'e.g. celsius, fahrenheit',
					description: 'Comma-separated values the argument may take. Leave empty to allow any.',
				},
				{
					displayName: 'Description',
					name: 'description',
					type: 'string',
					default: '',
					placeholder: 'e.g. City name, e.g. Zürich',
				},
				{
					displayName: 'Name',
					name: 'name',
					type: 'string',
					default: '',
					placeholder: 'e.g. location',
				},
				{
					displayName: 'Required',
					name: 'required',
					type: 'boolean',
					default: true,
					description: 'Whether the model must always give this argument',
				},
				{
					displayName: 'Type',
					name: 'type',
					type: 'options',
					default: 'string',
					options: [
						{ name: 'Array', value: 'array' },
						{ name: 'Boolean', value: 'boolean' },
						{ name: 'Integer', value: 'integer' },
						{ name: 'Number', value: 'number' },
						{ name: 'Object', value: 'object' },
						{ name: 'String', value: 'string' },
					],
				},
			],
		},
	],
};

export const toolsProperty: INodeProperties = {
	displayName: 'Tools',
	name: 'tools',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	default: {},
	placeholder: 'Add Tool',
	description:
		'Functions the model may ask the workflow to run. Each tool becomes an output of this node: its calls leave there with their arguments, for the branch that does the work.',
	options: [
		{
			displayName: 'Tool',
			name: 'tool',
			// Alphabetical, as n8n's guidelines want for five or more values.
			values: [
				{
					displayName: 'Define Arguments',
					name: 'argumentsMode',
					type: 'options',
					default: 'fields',
					options: [
						{ name: 'Fields', value: 'fields', description: 'A list of named arguments' },
						{
							name: 'JSON Schema',
							value: 'jsonSchema',
							description: 'A JSON Schema object, for nested arguments',
						},
					],
				},
				{
					displayName: 'Description',
					name: 'description',
					type: 'string',
					typeOptions: { rows: 2 },
					default: '',
					placeholder: 'e.g. Current weather for a city',
					description: 'What the tool does and when to use it; the model reads this',
				},
				{
					...argumentFieldsCollection,
					displayName: 'Fields',
					name: 'fields',
					displayOptions: { show: { argumentsMode: ['fields'] } },
				},
				{
					displayName: 'JSON Schema',
					name: 'jsonSchema',
					type: 'json',
					default:
						'{\n  "type": "object",\n  "properties": {\n    "location": { "type": "string", "description": "City name" }\n  },\n  "required": ["location"]\n}',
					description:
						'The arguments as a JSON Schema object; calls are checked against it before they leave the node',
					displayOptions: { show: { argumentsMode: ['jsonSchema'] } },
				},
				{
					displayName: 'Name',
					name: 'name',
					type: 'string',
					default: '',
					required: true,
					noDataExpression: true,
					placeholder: 'e.g. get_weather',
					description:
						'Letters, digits, "_" and "-", up to 64 characters. Also the label of the output.',
				},
			],
		},
	],
};

/** Entries of the Options collection (sorted there with the others). */
export const toolOptionFields: INodeProperties[] = [
	{
		displayName: 'Ask Model to Fix Invalid Tool Calls',
		name: 'fixInvalidToolCalls',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 5 },
		default: 0,
		description:
			'How many times an invalid tool call (unknown tool, arguments that are not JSON or break the schema), or with Output Format = JSON Schema an answer that does not fit the schema, is sent back to the model with the problem, asking it again. 0 fails the item at once.',
	},
	{
		displayName: 'Route Tool Calls To',
		name: 'routeToolCalls',
		type: 'options',
		noDataExpression: true,
		default: 'perTool',
		options: [
			{
				name: 'One Output per Tool',
				value: 'perTool',
				description: 'Each tool has its own output',
			},
			{
				name: 'Single Output',
				value: 'single',
				description: 'All calls leave by one "Tool Calls" output, with the tool\'s name in "tool"',
			},
		],
	},
	{
		displayName: 'Tool Choice',
		name: 'toolChoice',
		type: 'options',
		default: 'auto',
		description: 'Whether and which tool the model must call',
		options: [
			{ name: 'Auto', value: 'auto', description: 'The model decides' },
			{
				name: 'Named Tool',
				value: 'named',
				description: 'The model must call the tool named below',
			},
			{ name: 'None', value: 'none', description: 'The model must answer in text' },
			{ name: 'Required', value: 'required', description: 'The model must call at least one tool' },
		],
	},
	{
		displayName: 'Tool Name',
		name: 'toolChoiceName',
		type: 'string',
		default: '',
		placeholder: 'e.g. get_weather',
		description: 'The tool the model must call, when Tool Choice is Named Tool',
		displayOptions: { show: { toolChoice: ['named'] } },
	},
];

/** Fields of Prompt = Tool Results From Input. */
export const toolResultsProperties: INodeProperties[] = [
	{
		displayName: 'Tool Call ID Field',
		name: 'toolCallIdField',
		type: 'string',
		default: DEFAULT_CALL_ID_FIELD,
		required: true,
		description:
			'Field of the incoming item holding the ID of the tool call it answers (the "callId" of the tool call item)',
		displayOptions: { show: { prompt: ['toolResults'] } },
	},
	{
		displayName: 'Tool Result Field',
		name: 'toolResultField',
		type: 'string',
		default: DEFAULT_RESULT_FIELD,
		required: true,
		description:
			"Field of the incoming item holding the tool's result: text, or an object that is sent as JSON",
		displayOptions: { show: { prompt: ['toolResults'] } },
	},
];
