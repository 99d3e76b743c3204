/**
 * Embedding → Create: each item's text becomes a vector. Texts travel in batches (Batch Size per
 * request, docs/scaigrid-api.md §7.1: "one call for many texts is much cheaper"); each item
 * gets its own vector, usage share, cost and request ID, or its own error.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { ItemResult } from '../../../shared/execution/itemRunner';
import { valueAtPath } from '../../../shared/execution/path';
import { modelLocator } from '../../../shared/descriptions';
import { embed } from '../../api/embeddings';
import { EmbeddingBatcher } from '../../embedding/batcher';
import { costFields } from '../../prices';
import type { Run } from '../router';
import { callOptions, modelOf, optionsCollection } from '../common';

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
		displayName: 'Text From',
		name: 'textFrom',
		type: 'options',
		noDataExpression: true,
		default: 'field',
		options: [
			{ name: 'Field', value: 'field', description: 'A field of each item, read as it is: the fastest way for many items' },
			{ name: 'Text or Expression', value: 'expression', description: 'Any text; an expression is evaluated for each item' },
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
		description: 'The item field that holds the text; dots reach into nested fields (row.description)',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '={{ $json.text }}',
		required: true,
		displayOptions: { show: { textFrom: ['expression'] } },
		description: 'The text to embed, one per item. Empty texts and texts longer than the model takes fail their item only.',
	},
	optionsCollection([
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
	const read = itemReader(this);
	const items = this.getInputData();
	for (let i = 0; i < items.length; i++) {
		try {
			batcher.add({ index: i, ...read(i) });
		} catch (error) {
			invalid.set(i, error instanceof Error ? error : new Error(String(error)));
		}
	}
	return { batcher, invalid };
}

type ItemRequest = { text: string; model: string; dimensions?: number };

/**
 * The reader of an item's text, model and dimensions. Parameters without an expression are the
 * same for every item: they are read once, so 10,000 items do not ask n8n 10,000 times for each
 * (bench B8). In Field mode the text is read from the item itself, with no expression at all.
 */
function itemReader(ctx: IExecuteFunctions): (i: number) => ItemRequest {
	const items = ctx.getInputData();
	const perItem = <T>(name: string, read: (i: number) => T): ((i: number) => T) => {
		if (hasExpression(ctx.getNode().parameters[name])) return read;
		let first: { value: T } | undefined;
		return (i) => (first ??= { value: read(i) }).value;
	};
	const model = perItem('model', (i) => modelOf(ctx, i, 'openai/text-embedding-3-small'));
	const dimensions = perItem('options', (i) => {
		const value = Number((ctx.getNodeParameter('options', i, {}) as EmbeddingOptions).dimensions ?? 0);
		return value > 0 ? Math.floor(value) : undefined;
	});
	const fromField = ctx.getNodeParameter('textFrom', 0, 'field') === 'field';
	const field = perItem('textField', (i) => String(ctx.getNodeParameter('textField', i, 'text')).trim() || 'text');
	const text = fromField
		? (i: number) => textOf(ctx, i, valueAtPath(items[i].json, field(i)), `the field "${field(i)}"`)
		: (i: number) => textOf(ctx, i, ctx.getNodeParameter('text', i, '') as unknown, 'the Text expression');
	return (i) => ({ text: text(i), model: model(i), dimensions: dimensions(i) });
}

/** Whether a parameter value (or any value inside it) is an expression, i.e. may differ per item. */
function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}

function textOf(ctx: IExecuteFunctions, i: number, raw: unknown, source: string): string {
	const text = typeof raw === 'string' ? raw : raw === null || raw === undefined ? '' : typeof raw === 'object' ? undefined : String(raw);
	if (text === undefined) {
		throw new NodeOperationError(ctx.getNode(), 'The text to embed is not text', {
			itemIndex: i,
			description: `${source} holds ${Array.isArray(raw) ? 'a list' : 'an object'}; objects and lists cannot be embedded as they are. Point it at a field that holds a string.`,
		});
	}
	if (text.trim() === '') {
		throw new NodeOperationError(ctx.getNode(), 'The text to embed is empty', {
			itemIndex: i,
			description: `Only this item failed: ${source} is ${raw === undefined ? 'missing' : 'empty'}. Filter out empty rows before this node, or check the name.`,
		});
	}
	return text;
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
