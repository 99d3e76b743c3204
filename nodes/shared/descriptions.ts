/**
 * Parameters several nodes share: the Options every call takes (retries and timeout), the
 * Options collection itself, Return All with Limit, Simplify, and the model picker.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CallOptions } from './transport/client';
import type { RetryOptionValues } from './retry/options';
import { retryOptionFields, retryPolicyFor } from './retry/options';

export const DEFAULT_TIMEOUT_MS = 120_000;

/** The fields of a node's "Options" collection that shape every request: retries and timeout. */
export const callOptionFields: INodeProperties[] = [
	...retryOptionFields,
	{
		displayName: 'Timeout',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_TIMEOUT_MS,
		description:
			'How long to wait, in milliseconds, for ScaiGrid to answer one request before it counts as a timeout',
	},
];

export type CallOptionValues = RetryOptionValues & { timeout?: number };

/** The one place a node's options become a call's retry policy and timeout. */
export function callOptionsFor(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	options: CallOptionValues,
): Required<Pick<CallOptions, 'retry' | 'timeoutMs'>> {
	return { retry: retryPolicyFor(ctx, options), timeoutMs: options.timeout ?? DEFAULT_TIMEOUT_MS };
}

/** The "Options" collection, its fields in alphabetical order as n8n lists them. */
export function optionsCollection(fields: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...fields].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/** Return All, and Limit while it is off: n8n's usual pair for lists. */
export const returnAllFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

/** Sampling options every chat call takes (Max Tokens stays with each node: what it says of a cut reply differs). */
export const samplingFields: INodeProperties[] = [
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

/** A model picker: searchable list of the key's models, or a slug typed or mapped by expression. */
export function modelLocator(searchListMethod: string, description: string): INodeProperties {
	return {
		displayName: 'Model',
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. scailabs/poolnoodle-omni',
			},
		],
	};
}
