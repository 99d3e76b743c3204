/**
 * The Prompt parameter and its fields, and the Attachments: read by messages.ts, attachments.ts
 * and, for Tool Results From Input, tools/toolResults.ts.
 */
import type { INodeProperties } from 'n8n-workflow';

import { toolResultsProperties } from '../tools/properties';
import { MAPPED_VALUE_HINT } from './text';

export const promptProperties: INodeProperties[] = [
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
		description:
			'A new user message added after the conversation. Leave empty to send the conversation as it is.',
		hint: MAPPED_VALUE_HINT,
		displayOptions: { show: { prompt: ['fromInput'] } },
	},
];

export const attachmentProperties: INodeProperties[] = [
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
