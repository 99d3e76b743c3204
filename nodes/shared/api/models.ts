/**
 * Reading models: every page of `GET /v1/models`, one model by slug, and the model picker's
 * search. Shared by the Chat node (picker, limits, prices) and the List Models node.
 */
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { z } from 'zod/v4';

import type { CallOptions, ScaiGridClient } from '../transport/client';
import { ScaiGridClient as Client } from '../transport/client';
import { cursorPages } from './pagination';
import { listItems, modelSchema } from './schemas';
import type { Model } from './schemas';

/** Both documented list shapes (`data.items` or `data` itself), each item a model. */
const modelListSchema = z
	.unknown()
	.transform((data, ctx) => {
		const items = listItems(data);
		if (!items) {
			ctx.addIssue({ code: 'custom', message: 'expected a list of models' });
			return z.NEVER;
		}
		return items;
	})
	.pipe(z.array(modelSchema));

export interface ModelFilter {
	modality?: string;
	status?: string;
}

/**
 * Every page of `GET /v1/models` (docs/scaigrid-api.md §3); `models` that do not parse are a
 * clear error, not a crash. No `limit` is sent: the largest accepted page size is not
 * documented, and the server's own page size is always valid.
 */
export function modelPages(client: ScaiGridClient, filter: ModelFilter, options: CallOptions = {}) {
	return cursorPages(
		async ({ cursor }) =>
			await client.get('/v1/models', modelListSchema, {
				...options,
				qs: { ...filter, ...(cursor ? { cursor } : {}) },
			}),
	);
}

/** Every model the filter admits, all pages read. */
export async function listAllModels(
	client: ScaiGridClient,
	filter: ModelFilter,
	options: CallOptions = {},
): Promise<Model[]> {
	const all: Model[] = [];
	for await (const page of modelPages(client, filter, options)) all.push(...page.data);
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
	if (model.health_status && model.health_status !== 'healthy')
		parts.push(`health: ${model.health_status}`);
	return parts.join(' · ');
}

/** Whether the model's slug or display name contains the search text (any case); no text matches all. */
export function modelMatches(model: Model, search: string | undefined): boolean {
	const needle = search?.trim().toLowerCase();
	if (!needle) return true;
	return (
		model.slug.toLowerCase().includes(needle) ||
		(model.display_name ?? '').toLowerCase().includes(needle)
	);
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
