/**
 * Options → the optional fields of a chat request, checked before anything is sent. The ranges
 * of docs/scaigrid-api.md §4.1 (temperature 0–2, top_p 0–1, max_tokens ≤ the model's max
 * output) are enforced here so the user gets the parameter's name, not a 422 from the gateway.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, jsonParse } from 'n8n-workflow';

import type { Model } from '../../shared/api/schemas';
import type { ChatOptions } from '../options';
import { fail } from './fail';

function parseMetadata(
	ctx: IExecuteFunctions,
	itemIndex: number,
	raw: ChatOptions['metadata'],
): IDataObject | undefined {
	if (raw === undefined || raw === '') return undefined;
	let value: unknown = raw;
	if (typeof raw === 'string') {
		try {
			value = jsonParse(raw);
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), 'Metadata is not valid JSON', {
				itemIndex,
				description: (error as Error).message,
			});
		}
	}
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		fail(ctx, itemIndex, 'Metadata must be a JSON object', 'For example {"ticket": "T-123"}.');
	}
	return Object.keys(value).length ? (value as IDataObject) : undefined;
}

/** The generation settings of the request body; only options the user set are sent. */
export function generationFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: ChatOptions,
	model: Model | undefined,
): IDataObject {
	const body: IDataObject = {};
	if (options.maxTokens !== undefined) {
		const limit = model?.max_output_tokens;
		if (!Number.isInteger(options.maxTokens) || options.maxTokens < 1) {
			fail(ctx, itemIndex, 'Max Tokens must be a whole number of at least 1');
		}
		if (limit && options.maxTokens > limit) {
			fail(
				ctx,
				itemIndex,
				`Max Tokens (${options.maxTokens}) is above the model's max output of ${limit} tokens`,
				`Lower Max Tokens to ${limit} or less, or pick a model with a larger output.`,
			);
		}
		body.max_tokens = options.maxTokens;
	}
	if (options.temperature !== undefined) {
		if (options.temperature < 0 || options.temperature > 2)
			fail(ctx, itemIndex, 'Temperature must be between 0 and 2');
		body.temperature = options.temperature;
	}
	if (options.topP !== undefined) {
		if (options.topP < 0 || options.topP > 1) fail(ctx, itemIndex, 'Top P must be between 0 and 1');
		body.top_p = options.topP;
	}
	if (options.stop !== undefined && options.stop.trim() !== '') {
		const sequences = options.stop
			.split(',')
			.map((s) => s.trim())
			.filter(Boolean);
		body.stop = sequences.length === 1 ? sequences[0] : sequences;
	}
	if (options.seed !== undefined) body.seed = options.seed;
	const metadata = parseMetadata(ctx, itemIndex, options.metadata);
	if (metadata) body.metadata = metadata;
	return body;
}
