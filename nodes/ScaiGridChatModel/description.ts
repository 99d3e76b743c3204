/**
 * The sub-node's parameters: the Chat node's model picker, and the sampling, timeout and retry
 * options an agent's model needs. An option left out is not sent: ScaiGrid's model defaults apply.
 */
import type { INodeProperties } from 'n8n-workflow';

import type { CallOptionValues } from './scaigrid';
import { callOptionFields, modelLocator, samplingFields as sharedSamplingFields } from './scaigrid';

const samplingFields: INodeProperties[] = [
	...sharedSamplingFields,
	{
		displayName: 'Max Tokens',
		name: 'maxTokens',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1024,
		description: "The most tokens one answer may have. Capped by the model's max output.",
	},
];

export const chatModelProperties: INodeProperties[] = [
	modelLocator(
		'searchChatModels',
		'The chat model the agent uses. The list shows every chat model your key can use, with its context window and max output.',
	),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...samplingFields, ...callOptionFields].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	},
];

/** The Options collection as the node reads it. */
export interface ChatModelOptions extends CallOptionValues {
	maxTokens?: number;
	seed?: number;
	stop?: string;
	temperature?: number;
	topP?: number;
	timeout?: number;
}
