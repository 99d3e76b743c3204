/**
 * Get Many: pages of `GET /v1/models`, followed by `next_cursor`, until the wanted number of
 * models is found or the pages run out. The search text is matched here, client side (the API
 * has no search parameter), so with a search the node keeps paging until Limit matches are found.
 *
 * No `limit` is sent: the API's largest accepted page size is not documented, and the server's
 * own page size is always valid. Limit is applied to what comes back.
 */
import type { CallOptions, ScaiGridClient } from '../shared/transport/client';
import type { ModelFilter } from '../shared/api/models';
import { listModelsPage, modelMatches } from '../shared/api/models';
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
	const seenCursors = new Set<string>();
	let cursor: string | undefined;
	do {
		const page = await listModelsPage(client, query.filter, undefined, cursor, options);
		for (const model of page.models) {
			if (!modelMatches(model, query.search)) continue;
			found.push(model);
			if (query.limit !== undefined && found.length >= query.limit) return found;
		}
		cursor = page.nextCursor;
		// A server that hands back a cursor it already gave would loop forever.
		if (cursor && seenCursors.has(cursor)) break;
		if (cursor) seenCursors.add(cursor);
	} while (cursor);
	return found;
}
