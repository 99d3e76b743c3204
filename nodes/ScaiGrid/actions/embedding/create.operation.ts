/**
 * Embedding → Create: each item's text becomes a vector. Texts travel in batches (Batch Size per
 * request, docs/scaigrid-api.md §7.1: "one call for many texts is much cheaper"); each item
 * gets its own vector, usage share, cost and request ID, or its own error.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { ItemResult } from '../../../shared/execution/itemRunner';
import { modelLocator, callOptionFields } from '../../../shared/descriptions';
import { embed } from '../../api/embeddings';
import { EmbeddingBatcher } from '../../embedding/batcher';
import { costFields } from '../../prices';
import type { Run } from '../router';
import { callOptions } from '../router';

/**
 * Texts per request. The docs say most models take over 1,000 texts per call; 200 keeps a
 * request of 1536-dimension vectors near 3 MB of JSON, and 10,000 texts in 50 requests, under
 * the default key limit of 60 per minute. Bench B8 times 10,000 texts at this size; other sizes
 * have not been compared yet.
 */
export const DEFAULT_BATCH_SIZE = 200;
/** Batches in flight at once: requests of a run overlap while each answer is parsed. */
const BATCHES_IN_FLIGHT = 3;

const properties: INodeProperties[] = [
	modelLocator('searchEmbeddingModels', 'The embedding model, e.g. openai/text-embedding-3-small'),
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '={{ $json.text }}',
		required: true,
		description: 'The text to embed, one per item. Empty texts and texts longer than the model takes fail their item only.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
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
			...callOptionFields,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['embedding'], operation: ['create'] } }, properties);

interface EmbeddingOptions {
	batchSize?: number;
	dimensions?: number;
}

function batchSizeOf(ctx: IExecuteFunctions): number {
	const size = Number((ctx.getNodeParameter('options', 0, {}) as EmbeddingOptions).batchSize ?? DEFAULT_BATCH_SIZE);
	return Number.isFinite(size) && size >= 1 ? Math.floor(size) : DEFAULT_BATCH_SIZE;
}

export function concurrency(this: IExecuteFunctions): number {
	return batchSizeOf(this) * BATCHES_IN_FLIGHT;
}

/** Reads every item's text, model and dimensions and plans the batches; bad texts fail at their item. */
export async function prepare(this: IExecuteFunctions, run: Run): Promise<{ batcher: EmbeddingBatcher; invalid: Map<number, Error> }> {
	const call = callOptions(this, 0);
	const batcher = new EmbeddingBatcher(batchSizeOf(this), async (request) => await embed(run.client, request, call));
	const invalid = new Map<number, Error>();
	const items = this.getInputData();
	for (let i = 0; i < items.length; i++) {
		const planned = await settleItem(() => readItem(this, i));
		if (planned instanceof Error) invalid.set(i, planned);
		else batcher.add({ index: i, ...planned });
	}
	return { batcher, invalid };
}

async function settleItem<T>(read: () => T): Promise<T | Error> {
	return await Promise.resolve()
		.then(read)
		.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
}

function readItem(ctx: IExecuteFunctions, i: number): { text: string; model: string; dimensions?: number } {
	const raw = ctx.getNodeParameter('text', i, '') as unknown;
	const text = typeof raw === 'string' ? raw : raw === null || raw === undefined ? '' : typeof raw === 'object' ? undefined : String(raw);
	if (text === undefined) {
		throw new NodeOperationError(ctx.getNode(), 'The text to embed is not text', {
			itemIndex: i,
			description: 'Map a field that holds a string, e.g. {{ $json.text }}; objects and lists cannot be embedded as they are.',
		});
	}
	if (text.trim() === '') {
		throw new NodeOperationError(ctx.getNode(), 'The text to embed is empty', {
			itemIndex: i,
			description: 'Only this item failed. Filter out empty rows before this node, or check the Text expression.',
		});
	}
	const model = String(ctx.getNodeParameter('model', i, '', { extractValue: true })).trim();
	if (!model) {
		throw new NodeOperationError(ctx.getNode(), 'No model chosen', {
			itemIndex: i,
			description: 'Pick an embedding model from the list or enter its slug, e.g. openai/text-embedding-3-small.',
		});
	}
	const dimensions = Number((ctx.getNodeParameter('options', i, {}) as EmbeddingOptions).dimensions ?? 0);
	return { text, model, dimensions: dimensions > 0 ? Math.floor(dimensions) : undefined };
}

export async function execute(this: IExecuteFunctions, i: number, run: Run): Promise<ItemResult[]> {
	const state = run.state as Awaited<ReturnType<typeof prepare>>;
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
				...costFields(prices, result.promptTokens),
				requestId: result.requestId ?? null,
				attempts: result.attempts,
			},
		},
	];
}
