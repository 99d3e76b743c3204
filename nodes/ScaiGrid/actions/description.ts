/**
 * The node's parameters: the resource, each resource's operations, and each operation's own
 * parameters (in its <resource>/<op>.operation.ts).
 */
import type { INodeProperties } from 'n8n-workflow';

import * as generateSpeech from './audio/generateSpeech.operation';
import * as transcribe from './audio/transcribe.operation';
import * as createEmbedding from './embedding/create.operation';
import * as generateImage from './image/generate.operation';

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	default: 'embedding',
	options: [
		{
			name: 'Audio',
			value: 'audio',
			description: 'Transcribe audio files, or turn text into speech',
		},
		{
			name: 'Embedding',
			value: 'embedding',
			description: 'Vectors of texts, for search, clustering and deduplication',
		},
		{ name: 'Image', value: 'image', description: 'Images generated from a prompt' },
	],
};

const operationProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['embedding'] } },
		default: 'create',
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create embeddings',
				description: 'Turn each item’s text into a vector; many items per request',
			},
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['image'] } },
		default: 'generate',
		options: [
			{
				name: 'Generate',
				value: 'generate',
				action: 'Generate an image',
				description: 'Create images from a text prompt, as files or as URLs',
			},
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['audio'] } },
		default: 'transcribe',
		options: [
			{
				name: 'Generate Speech',
				value: 'generateSpeech',
				action: 'Generate speech from text',
				description: 'Turn text into an audio file',
			},
			{
				name: 'Transcribe',
				value: 'transcribe',
				action: 'Transcribe a recording',
				description: 'Turn an audio file into text or subtitles',
			},
		],
	},
];

export const properties: INodeProperties[] = [
	resourceProperty,
	...operationProperties,
	...createEmbedding.description,
	...generateImage.description,
	...transcribe.description,
	...generateSpeech.description,
];
