/**
 * The sub-node's parameters: the Chat node's model picker, and the sampling, timeout and retry
 * options an agent's model needs. An option left out is not sent: ScaiGrid's model defaults apply.
 */
import type { INodeProperties } from 'n8n-workflow';

import type { CallOptionValues } from './scaigrid';
import { callOptionFields, modelLocator } from './scaigrid';

const samplingFields: INodeProperties[] = [
	{
		displayName: 'Max Tokens',
		name: 'maxTokens',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1024,
		description: "The most tokens one answer may have. Capped by the model's max output.",
	},
	{
		displayName: 'Seed',
		name: 'seed',
		type: 'number',
		default: 0,
		description: 'For repeatable answers, where the model supports it',
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
