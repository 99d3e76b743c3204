/**
 * Reading models: every page of `GET /v1/models`, one model by slug, and the model picker's
 * search. Shared by the Chat node (picker, limits, prices) and the List Models node.
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { z } from 'zod';

import type { CallOptions, ScaiGridClient } from '../transport/client';
import { ScaiGridClient as Client } from '../transport/client';
import { listItems, modelSchema } from './schemas';
import type { Model } from './schemas';

/** Both documented list shapes (`data.items` or `data` itself), each item a model. */
const modelListSchema = z
	.unknown()
	.transform((data, ctx) => {
		const items = listItems(data);
		if (!items) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected a list of models' });
			return z.NEVER;
		}
		return items;
	})
	.pipe(z.array(modelSchema));

const PAGE_SIZE = 100;

export interface ModelFilter {
	modality?: string;
	status?: string;
}

export interface ModelPage {
	models: Model[];
	nextCursor?: string;
	attempts: number;
}

/**
 * One page; `models` that do not parse are a clear error, not a crash. Without `limit` the
 * server picks its own page size (the API's largest accepted `limit` is not documented).
 */
export async function listModelsPage(
	client: ScaiGridClient,
	filter: ModelFilter,
	limit: number | undefined,
	cursor: string | undefined,
	options: CallOptions = {},
): Promise<ModelPage> {
	const qs: IDataObject = { ...filter };
	if (limit !== undefined) qs.limit = limit;
	if (cursor) qs.cursor = cursor;
	const result = await client.get('/v1/models', modelListSchema, { ...options, qs });
	return {
		models: result.data,
		nextCursor: result.pagination?.hasMore ? result.pagination.nextCursor : undefined,
		attempts: result.attempts,
	};
}

/** Every page, following `next_cursor` until `has_more` is false. */
export async function listAllModels(
	client: ScaiGridClient,
	filter: ModelFilter,
	options: CallOptions = {},
): Promise<Model[]> {
	const all: Model[] = [];
	let cursor: string | undefined;
	const seen = new Set<string>();
	do {
		const page = await listModelsPage(client, filter, PAGE_SIZE, cursor, options);
		all.push(...page.models);
		cursor = page.nextCursor;
		// A server that hands back the same cursor would loop forever.
		if (cursor && seen.has(cursor)) break;
		if (cursor) seen.add(cursor);
	} while (cursor);
	return all;
}

/** The `/` inside a slug travels as `%2F` [doc]. */
export function modelPath(slug: string): string {
	return `/v1/models/${encodeURIComponent(slug)}`;
}

export async function getModel(client: ScaiGridClient, slug: string, options: CallOptions = {}) {
	return await client.get(modelPath(slug), modelSchema, options);
}

function thousands(tokens: number | null | undefined): string | undefined {
	if (tokens === null || tokens === undefined) return undefined;
	return tokens >= 1000 ? `${Math.round(tokens / 1000)}k` : String(tokens);
}

/** "Poolnoodle Omni · 128k context · 8k max output", with deprecated/unhealthy marked, not hidden. */
export function pickerLabel(model: Model): string {
	const parts = [model.display_name || model.slug];
	const context = thousands(model.context_window);
	if (context) parts.push(`${context} context`);
	const output = thousands(model.max_output_tokens);
	if (output) parts.push(`${output} max output`);
	if (model.status && model.status !== 'active') parts.push(model.status.toUpperCase());
	if (model.health_status && model.health_status !== 'healthy') parts.push(`health: ${model.health_status}`);
	return parts.join(' · ');
}

/** Whether the model's slug or display name contains the search text (any case); no text matches all. */
export function modelMatches(model: Model, search: string | undefined): boolean {
	const needle = search?.trim().toLowerCase();
	if (!needle) return true;
	return model.slug.toLowerCase().includes(needle) || (model.display_name ?? '').toLowerCase().includes(needle);
}

/** The resource locator's search: all models of a modality, filtered by slug or name. */
export async function searchModels(
	ctx: ILoadOptionsFunctions,
	modality: string | undefined,
	filter?: string,
): Promise<INodeListSearchResult> {
	const client = await Client.create(ctx);
	const models = await listAllModels(client, modality ? { modality } : {});
	const matching = models.filter((model) => modelMatches(model, filter));
	return {
		results: matching.map((model) => ({
			name: pickerLabel(model),
			value: model.slug,
			description: model.description ?? model.slug,
		})),
	};
}
