/** The Options collection: its fields (sorted in description.ts) and the values as the node reads them. */
import type { INodeProperties } from 'n8n-workflow';

import { callOptionFields, samplingFields } from '../shared/descriptions';
import type { StreamingMode } from './call/forward';
import { toolOptionFields } from './tools/properties';

export const DEFAULT_CONCURRENCY = 5;
export const DEFAULT_MAX_ATTACHMENT_MB = 20;

export const optionFields: INodeProperties[] = [
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
		description:
			"The most tokens the reply may have. Capped by the model's max output; a reply cut short is flagged.",
	},
	{
		displayName: 'Metadata',
		name: 'metadata',
		type: 'json',
		default: '{}',
		description: 'A JSON object passed through to the backends, e.g. {"ticket": "T-123"}',
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
				description:
					'Always stream from ScaiGrid (text reaches the caller only when the workflow streams its response)',
			},
		],
	},
	...samplingFields,
	...callOptionFields,
	...toolOptionFields,
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
