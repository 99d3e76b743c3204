/**
 * Parameters several nodes share: the Options every call takes (retries and timeout) and the
 * model picker.
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
		description: 'How long to wait, in milliseconds, for ScaiGrid to answer one request before it counts as a timeout',
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
