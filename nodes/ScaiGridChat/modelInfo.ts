/**
 * The model's limits and prices, fetched once per slug per node run (not once per item).
 * Best effort: a key without `models:list`, or a model whose prices are not shown, still chats;
 * the item then says the cost is unknown rather than inventing one.
 */
import { getModel } from '../shared/models';
import type { ScaiGridClient } from '../shared/client';
import type { RetryPolicy } from '../shared/retry';
import type { Model } from '../shared/schemas';

export type ModelLookup = (slug: string) => Promise<Model | undefined>;

export function modelLookup(client: ScaiGridClient, retry: RetryPolicy, timeoutMs: number): ModelLookup {
	const cache = new Map<string, Promise<Model | undefined>>();
	return async (slug) => {
		let pending = cache.get(slug);
		if (!pending) {
			pending = getModel(client, slug, { retry, timeoutMs }).then(
				(result) => result.data,
				// Unknown slug, missing permission, network trouble: the chat call itself will tell.
				() => undefined,
			);
			cache.set(slug, pending);
		}
		return await pending;
	};
}
