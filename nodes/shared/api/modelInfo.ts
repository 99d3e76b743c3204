/**
 * The model's limits and prices, fetched once per slug and key and kept for PRICE_TTL_MS across
 * executions of this n8n process: a scheduled or busy workflow would otherwise spend one request
 * of its rate limit per run on prices that rarely change. One cache for every node that prices
 * its calls (ScaiGrid Chat, the Chat Model, the ScaiGrid node's embeddings, images and audio).
 * Best effort: a key without `models:list`, or a model whose prices are not shown, still works;
 * the item then says the cost is unknown rather than inventing one. Failed lookups are not kept.
 */
import { getModel } from './models';
import type { CallOptions, ScaiGridClient } from '../transport/client';
import type { Model } from './schemas';

export type ModelLookup = (slug: string) => Promise<Model | undefined>;

/** How long a looked-up model is reused: a price change shows after this at the latest. */
const PRICE_TTL_MS = 10 * 60 * 1000;

interface Cached {
	model: Model;
	expiresAt: number;
}

/** Keyed by instance, key fingerprint and slug: keys of different tenants may see different prices. */
const known = new Map<string, Cached>();

export function modelLookup(client: ScaiGridClient, call: CallOptions): ModelLookup {
	// This run's answers, failures included: a failed lookup is tried once per run, not per item.
	const thisRun = new Map<string, Promise<Model | undefined>>();
	return async (slug) => {
		let model = thisRun.get(slug);
		if (!model) {
			model = keptModel(client, slug, call);
			thisRun.set(slug, model);
		}
		return await model;
	};
}

async function keptModel(
	client: ScaiGridClient,
	slug: string,
	call: CallOptions,
): Promise<Model | undefined> {
	const cacheKey = `${client.keyId} ${slug}`;
	const now = Date.now();
	const cached = known.get(cacheKey);
	if (cached && cached.expiresAt > now) return cached.model;
	const model = await getModel(client, slug, call).then(
		(result) => result.data,
		// Unknown slug, missing permission, network trouble: the chat call itself will tell,
		// and the next run asks again.
		() => undefined,
	);
	if (model) known.set(cacheKey, { model, expiresAt: now + PRICE_TTL_MS });
	return model;
}
