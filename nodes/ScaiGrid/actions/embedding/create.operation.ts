/**
 * Embedding → Create: each item's text becomes a vector. Texts travel in batches (Batch Size per
 * request, docs/scaigrid-api.md §7.1: "one call for many texts is much cheaper"); each item
 * gets its own vector, usage share, cost and request ID, or its own error.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ItemResult } from '../../../shared/execution/itemRunner';
import { modelLocator } from '../../../shared/descriptions';
import { embed } from '../../api/embeddings';
import { EmbeddingBatcher } from '../../embedding/batcher';
import { itemReader } from '../../embedding/items';
import { costCache } from '../../prices';
import type { Run } from '../router';
import { callOptions, operationOptions } from '../common';

/**
 * Texts per request. The docs say most models take over 1,000 texts per call and that each call
 * counts against the key's limit (60 a minute by default): at 200, 10,000 texts take 50 requests,
 * so no wait; at 100 they wait a minute. Larger sizes were no faster (bench/b8-batch-sizes.js:
 * 50, 100, 200, 500 compared) but make each answer, retry and resend larger. README says more.
 */
export const DEFAULT_BATCH_SIZE = 200;
/** Batches in flight at once: requests of a run overlap while each answer is parsed. */
const BATCHES_IN_FLIGHT = 3;

const properties: INodeProperties[] = [
	modelLocator('searchEmbeddingModels', 'The embedding model, e.g. openai/text-embedding-3-small'),
	{
		displayName: 'Text From',
		name: 'textFrom',
		type: 'options',
		noDataExpression: true,
		default: 'field',
		options: [
			{
				name: 'Field',
				value: 'field',
				description: 'A field of each item, read as it is: the fastest way for many items',
			},
			{
				name: 'Text or Expression',
				value: 'expression',
				description: 'Any text; an expression is evaluated for each item',
			},
		],
	},
	{
		displayName: 'Text Field',
		name: 'textField',
		type: 'string',
		default: 'text',
		required: true,
		placeholder: 'e.g. text or row.description',
		displayOptions: { show: { textFrom: ['field'] } },
		description:
			'The item field that holds the text; dots reach into nested fields (row.description)',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '={{ $json.text }}',
		required: true,
		displayOptions: { show: { textFrom: ['expression'] } },
		description:
			'The text to embed, one per item. Empty texts and texts longer than the model takes fail their item only.',
	},
	operationOptions([
		{
			displayName: 'Batch Size',
			name: 'batchSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 2048 },
			default: DEFAULT_BATCH_SIZE,
			description:
				'How many items’ texts go in one request. Larger batches mean fewer requests (each counts against the rate limit) and larger answers.',
		},
		{
			displayName: 'Dimensions',
			name: 'dimensions',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 0,
			description:
				'Length of the vectors, for models that can shorten them (e.g. openai/text-embedding-3-small: up to 1536). 0 = the model’s own size.',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['embedding'], operation: ['create'] } },
	properties,
);

interface EmbeddingOptions {
	batchSize?: number;
}

function batchSizeOf(ctx: IExecuteFunctions): number {
	const size = Number(
		(ctx.getNodeParameter('options', 0, {}) as EmbeddingOptions).batchSize ?? DEFAULT_BATCH_SIZE,
	);
	return Number.isFinite(size) && size >= 1 ? Math.floor(size) : DEFAULT_BATCH_SIZE;
}

export function concurrency(this: IExecuteFunctions): number {
	return batchSizeOf(this) * BATCHES_IN_FLIGHT;
}

interface EmbeddingRun {
	batcher: EmbeddingBatcher;
	/** Items whose text, model or dimensions could not be read: their errors. */
	invalid: Map<number, Error>;
	cost: ReturnType<typeof costCache>;
}

/** Reads every item's text, model and dimensions and plans the batches; bad texts fail at their item. */
export async function prepare(this: IExecuteFunctions, run: Run): Promise<EmbeddingRun> {
	const call = callOptions(this, 0);
	const batcher = new EmbeddingBatcher(
		batchSizeOf(this),
		async (request) => await embed(run.client, request, call),
	);
	const invalid = new Map<number, Error>();
	const read = itemReader(this);
	const items = this.getInputData();
	for (let i = 0; i < items.length; i++) {
		try {
			batcher.add({ index: i, ...read(i) });
		} catch (error) {
			invalid.set(i, error instanceof Error ? error : new Error(String(error)));
		}
	}
	return { batcher, invalid, cost: costCache() };
}

export async function execute(this: IExecuteFunctions, i: number, run: Run): Promise<ItemResult[]> {
	const state = run.state as EmbeddingRun;
	const invalid = state.invalid.get(i);
	if (invalid) throw invalid;
	const result = await state.batcher.result(i);
	const prices = await run.prices(result.requestedModel);
	return [
		{
			output: 0,
			json: {
				embedding: result.embedding,
				dimensions: result.embedding.length,
				model: result.model,
				usage: {
					promptTokens: result.promptTokens ?? null,
					batchPromptTokens: result.batchPromptTokens ?? null,
					batchSize: result.batchSize,
				},
				...state.cost(prices, result.promptTokens),
				requestId: result.requestId ?? null,
				attempts: result.attempts,
			},
		},
	];
}
