/**
 * Get Many: pages of `GET /v1/models` until the wanted number of models is found or the pages
 * run out. The search text is matched here, client side (the API has no search parameter), so
 * with a search the node keeps paging until Limit matches are found.
 */
import type { CallOptions, ScaiGridClient } from '../shared/transport/client';
import type { ModelFilter } from '../shared/api/models';
import { modelMatches, modelPages } from '../shared/api/models';
import type { Model } from '../shared/api/schemas';

export interface ModelQuery {
	filter: ModelFilter;
	search?: string;
	/** How many models to return at most; undefined = all. */
	limit?: number;
}

export async function collectModels(
	client: ScaiGridClient,
	query: ModelQuery,
	options: CallOptions,
): Promise<Model[]> {
	const found: Model[] = [];
	for await (const page of modelPages(client, query.filter, options)) {
		for (const model of page.data) {
			if (!modelMatches(model, query.search)) continue;
			found.push(model);
			if (query.limit !== undefined && found.length >= query.limit) return found;
		}
	}
	return found;
}
