/**
 * Output Format: Text (a reply on Message) or JSON Schema (an object that fits the schema, on
 * Message, in `json`). The schema is defined as tool arguments are: Fields, or a JSON Schema
 * object for nested data; its name and description are what the model reads.
 */
import type { INodeProperties } from 'n8n-workflow';

import { argumentFieldsCollection } from '../tools/properties';

export const DEFAULT_SCHEMA_NAME = 'structured_answer';

const showForSchema = { show: { outputFormat: ['jsonSchema'] } };

export const structuredProperties: INodeProperties[] = [
	{
		displayName: 'Output Format',
		name: 'outputFormat',
		type: 'options',
		noDataExpression: true,
		default: 'text',
		options: [
			{ name: 'Text', value: 'text', description: 'The reply as text, in "text"' },
			{
				name: 'JSON Schema',
				value: 'jsonSchema',
				description: 'An object that fits your schema, checked before it leaves the node',
			},
		],
	},
	{
		displayName: 'Define Schema',
		name: 'schemaMode',
		type: 'options',
		noDataExpression: true,
		default: 'fields',
		displayOptions: showForSchema,
		options: [
			{ name: 'Fields', value: 'fields', description: 'A list of named fields' },
			{
				name: 'JSON Schema',
				value: 'jsonSchema',
				description: 'A JSON Schema object, for nested objects and lists',
			},
		],
	},
	{
		...argumentFieldsCollection,
		displayName: 'Fields',
		name: 'schemaFields',
		description: 'The fields of the answer object',
		displayOptions: { show: { outputFormat: ['jsonSchema'], schemaMode: ['fields'] } },
	},
	{
		displayName: 'JSON Schema',
		name: 'jsonSchema',
		type: 'json',
		default:
			'{\n  "type": "object",\n  "properties": {\n    "customer": { "type": "string" },\n    "items": {\n      "type": "array",\n      "items": {\n        "type": "object",\n        "properties": { "sku": { "type": "string" }, "quantity": { "type": "integer" } },\n        "required": ["sku", "quantity"]\n      }\n    }\n  },\n  "required": ["customer", "items"]\n}',
		description:
			'The answer as a JSON Schema object; the answer is checked against it before it leaves the node',
		displayOptions: { show: { outputFormat: ['jsonSchema'], schemaMode: ['jsonSchema'] } },
	},
	{
		displayName: 'Schema Name',
		name: 'schemaName',
		type: 'string',
		default: DEFAULT_SCHEMA_NAME,
		placeholder: 'e.g. order',
		description:
			'What the answer is, for the model (letters, digits, "_" and "-"). It is the name of the tool the model is asked to call; that tool never becomes an output.',
		displayOptions: showForSchema,
	},
	{
		displayName: 'Schema Description',
		name: 'schemaDescription',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'e.g. The order in the e-mail',
		description: 'What the answer should hold; the model reads this',
		displayOptions: showForSchema,
	},
];
