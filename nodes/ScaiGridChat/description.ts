/** The Chat node's parameters. Names here are read by messages.ts, attachments.ts and request.ts. */
import type { INodeProperties } from 'n8n-workflow';

import { modelLocator, retryOptionFields } from '../shared/descriptions';
import type { StreamingMode } from './call/call';
import { MAPPED_VALUE_HINT } from './prompt/text';
import { toolOptionFields, toolResultsProperties, toolsProperty } from './tools/properties';

export const DEFAULT_CONCURRENCY = 5;
export const DEFAULT_MAX_ATTACHMENT_MB = 20;

const promptProperties: INodeProperties[] = [
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'options',
		noDataExpression: true,
		default: 'simple',
		options: [
			{
				name: 'Simple',
				value: 'simple',
				description: 'A system message and a user message',
			},
			{
				name: 'Message List',
				value: 'messages',
				description: 'Messages with roles, e.g. few-shot examples before the question',
			},
			{
				name: 'Conversation From Input',
				value: 'fromInput',
				description:
					'An array of messages taken from the incoming item, to continue a conversation (e.g. the output of an earlier Chat node)',
			},
			{
				name: 'Tool Results From Input',
				value: 'toolResults',
				description:
					'Results of tool calls from the incoming items, sent back with their conversation: all results of one turn go in one request',
			},
		],
	},
	{
		displayName: 'System Message',
		name: 'systemMessage',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'e.g. You are a concise assistant. Answer in one sentence.',
		description: 'Instructions for the model. Leave empty to send none.',
		hint: MAPPED_VALUE_HINT,
		displayOptions: { show: { prompt: ['simple'] } },
	},
	{
		displayName: 'User Message',
		name: 'userMessage',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. What is the capital of Switzerland?',
		hint: MAPPED_VALUE_HINT,
		displayOptions: { show: { prompt: ['simple'] } },
	},
	{
		displayName: 'Messages',
		name: 'messages',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: { message: [{ role: 'user', content: '' }] },
		placeholder: 'Add Message',
		displayOptions: { show: { prompt: ['messages'] } },
		options: [
			{
				displayName: 'Message',
				name: 'message',
				values: [
					{
						displayName: 'Role',
						name: 'role',
						type: 'options',
						default: 'user',
						options: [
							{ name: 'Assistant', value: 'assistant' },
							{ name: 'System', value: 'system' },
							{ name: 'User', value: 'user' },
						],
					},
					{
						displayName: 'Content',
						name: 'content',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						hint: MAPPED_VALUE_HINT,
					},
				],
			},
		],
	},
	{
		displayName: 'Conversation Field',
		name: 'conversationField',
		type: 'string',
		default: 'messages',
		required: true,
		description:
			'Field of the incoming item holding the conversation: an array of {role, content} messages. A Chat node with this prompt puts the continued conversation in the same field of its output.',
		displayOptions: { show: { prompt: ['fromInput', 'toolResults'] } },
	},
	...toolResultsProperties,
	{
		displayName: 'Append User Message',
		name: 'appendUserMessage',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: 'A new user message added after the conversation. Leave empty to send the conversation as it is.',
		hint: MAPPED_VALUE_HINT,
		displayOptions: { show: { prompt: ['fromInput'] } },
	},
];

const attachmentProperties: INodeProperties[] = [
	{
		displayName: 'Attachments',
		name: 'attachments',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Image or Audio',
		description: 'Images and audio sent with the last user message, for multimodal models',
		options: [
			{
				displayName: 'Attachment',
				name: 'attachment',
				values: [
					{
						displayName: 'Source',
						name: 'source',
						type: 'options',
						default: 'binaryImage',
						options: [
							{ name: 'Audio From Binary Field', value: 'binaryAudio' },
							{ name: 'Audio URL', value: 'audioUrl' },
							{ name: 'Image From Binary Field', value: 'binaryImage' },
							{ name: 'Image URL', value: 'imageUrl' },
						],
					},
					{
						displayName: 'Input Binary Field',
						name: 'binaryProperty',
						type: 'string',
						default: 'data',
						hint: 'The name of the input binary field holding the file',
						displayOptions: { show: { source: ['binaryImage', 'binaryAudio'] } },
					},
					{
						displayName: 'URL',
						name: 'url',
						type: 'string',
						default: '',
						placeholder: 'https://example.com/photo.png',
						displayOptions: { show: { source: ['imageUrl', 'audioUrl'] } },
					},
					{
						displayName: 'Detail',
						name: 'detail',
						type: 'options',
						default: 'auto',
						description: 'How closely the model looks at the image; low is cheaper',
						options: [
							{ name: 'Auto', value: 'auto' },
							{ name: 'High', value: 'high' },
							{ name: 'Low', value: 'low' },
						],
						displayOptions: { show: { source: ['imageUrl'] } },
					},
				],
			},
		],
	},
];

const optionFields: INodeProperties[] = [
	{
		displayName: 'Max Attachment Size (MB)',
		name: 'maxAttachmentMb',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: DEFAULT_MAX_ATTACHMENT_MB,
		description: 'Binary attachments larger than this fail the item before anything is sent',
	},
	{
		displayName: 'Max Concurrent Requests',
		name: 'maxConcurrency',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_CONCURRENCY,
		description:
			'How many items are sent to ScaiGrid at the same time. Output keeps the input order. The node also slows down on its own when the rate limit is near.',
	},
	{
		displayName: 'Max Tokens',
		name: 'maxTokens',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1024,
		description: "The most tokens the reply may have. Capped by the model's max output; a reply cut short is flagged.",
	},
	{
		displayName: 'Metadata',
		name: 'metadata',
		type: 'json',
		default: '{}',
		description: 'A JSON object passed through to the backends, e.g. {"ticket": "T-123"}',
	},
	{
		displayName: 'Seed',
		name: 'seed',
		type: 'number',
		default: 0,
		description: 'For repeatable answers, where the model supports it',
	},
	{
		displayName: 'Streaming',
		name: 'streaming',
		type: 'options',
		default: 'auto',
		description:
			'Stream the answer from ScaiGrid as it is written. The output item is the same either way; when the workflow streams its response (Chat Trigger or Webhook with response mode "Streaming"), the text reaches the caller as it is written.',
		options: [
			{
				name: 'Auto',
				value: 'auto',
				description: 'Stream when the workflow streams its response to the caller',
			},
			{
				name: 'Off',
				value: 'off',
				description: 'Wait for the whole answer',
			},
			{
				name: 'On',
				value: 'on',
				description: 'Always stream from ScaiGrid (text reaches the caller only when the workflow streams its response)',
			},
		],
	},
	{
		displayName: 'Stop Sequences',
		name: 'stop',
		type: 'string',
		default: '',
		placeholder: 'e.g. END, ###',
		description: 'Comma-separated texts at which the model stops writing',
	},
	{
		displayName: 'Temperature',
		name: 'temperature',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
		default: 1,
		description: 'Randomness of the answer, 0 to 2. Lower is more focused and deterministic.',
	},
	{
		displayName: 'Top P',
		name: 'topP',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 1,
		description: 'Nucleus sampling, 0 to 1: the probability mass of tokens considered',
	},
	...retryOptionFields,
	...toolOptionFields,
];

export const chatProperties: INodeProperties[] = [
	modelLocator('searchChatModels', 'The chat model to use. The list shows every chat model your key can use.'),
	...promptProperties,
	...attachmentProperties,
	toolsProperty,
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...optionFields].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];

/** The Options collection as the node reads it. */
export interface ChatOptions {
	maxAttachmentMb?: number;
	maxConcurrency?: number;
	maxTokens?: number;
	metadata?: string | object;
	seed?: number;
	stop?: string;
	temperature?: number;
	topP?: number;
	streaming?: StreamingMode;
	retryTransient?: boolean;
	maxRetryWait?: number;
	maxRateLimitWait?: number;
	timeout?: number;
}
