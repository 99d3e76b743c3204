/**
 * What the operations of the ScaiGrid node share: the Options collection (each operation's own
 * options, then the call options), the item's model and request options, a required text, the
 * output binary field, and the usage and cost fields of an answer.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { callOptionFields, callOptionsFor, optionsCollection } from '../../shared/descriptions';
import type { CallOptionValues } from '../../shared/descriptions';
import type { CallOptions } from '../../shared/transport/client';
import type { MediaUsage } from '../api/usage';
import type { CostFields, Prices } from '../prices';
import { costFields } from '../prices';

/** An operation's "Options": its own fields with retries and timeout, in n8n's sorted collection. */
export function operationOptions(own: INodeProperties[]): INodeProperties {
	return optionsCollection([...own, ...callOptionFields]);
}

/** "Put Output File(s) in Field": the binary field an operation writes. */
export function outputFieldOption(displayName: string, hint?: string): INodeProperties {
	return {
		displayName,
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		...(hint ? { hint } : {}),
	};
}

/** The output binary field the item's Options name, `data` when left blank. */
export function outputField(options: { binaryPropertyName?: string }): string {
	return (options.binaryPropertyName ?? 'data').trim() || 'data';
}

/** The item's request options: retry policy and timeout from its Options. */
export function callOptions(ctx: IExecuteFunctions, i: number): CallOptions {
	return callOptionsFor(ctx, ctx.getNodeParameter('options', i, {}) as CallOptionValues);
}

/** The item's model slug; none is an error of the item, with an example of the modality. */
export function modelOf(ctx: IExecuteFunctions, i: number, example: string): string {
	const model = String(ctx.getNodeParameter('model', i, '', { extractValue: true })).trim();
	if (!model) {
		throw new NodeOperationError(ctx.getNode(), 'No model chosen', {
			itemIndex: i,
			description: `Pick a model from the list or enter its slug, e.g. ${example}.`,
		});
	}
	return model;
}

/** A text parameter that must not be blank (`what` names it: "The prompt", "The text to speak"). */
export function requiredText(
	ctx: IExecuteFunctions,
	i: number,
	name: string,
	what: string,
	advice: string,
): string {
	const text = String(ctx.getNodeParameter(name, i, '') ?? '');
	if (text.trim() === '')
		throw new NodeOperationError(ctx.getNode(), `${what} is empty`, {
			itemIndex: i,
			description: advice,
		});
	return text;
}

/** A piece of a file name from the request ID (or the item), safe in any file system. */
export function fileStamp(requestId: string | undefined, i: number): string {
	return (requestId ?? `item${i}`).replace(/[^A-Za-z0-9_-]/g, '');
}

/** `usage` as the item shows it, and the cost from the model's prices. */
export function usageAndCost(
	usage: MediaUsage | undefined,
	prices: Prices | string,
): { usage: IDataObject | null } & CostFields {
	return {
		usage: usage
			? {
					promptTokens: usage.prompt_tokens ?? null,
					completionTokens: usage.completion_tokens ?? null,
					totalTokens: usage.total_tokens ?? null,
				}
			: null,
		...costFields(prices, usage?.prompt_tokens, usage?.completion_tokens),
	};
}
