/**
 * Cost of a media call from its token usage and the model's per-million-token prices
 * (docs/scaigrid-api.md §3, §5.1), exact decimals. The prices come from the model lookup the Chat
 * node uses (shared/api/modelInfo.ts: once per model and key, kept 10 minutes across runs); a key
 * without `models:list`, or a model without prices, gives a null cost and the reason.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Decimal } from '../shared/api/decimal';
import { costFromPrices, parseDecimal, toDecimalString, toNumber } from '../shared/api/decimal';
import { modelLookup } from '../shared/api/modelInfo';
import type { Model } from '../shared/api/schemas';
import type { CallOptions, ScaiGridClient } from '../shared/transport/client';

export interface Prices {
	input: Decimal;
	output: Decimal;
}

export type PriceLookup = (slug: string) => Promise<Prices | string>;

export interface CostFields extends IDataObject {
	cost: number | null;
	costDecimal: string | null;
	costNote?: string;
}

function pricesOf(model: Model): Prices | string {
	const input = parseDecimal(model.input_price_per_mtok ?? undefined);
	const output = parseDecimal(model.output_price_per_mtok ?? undefined);
	if (input === undefined && output === undefined)
		return `ScaiGrid shows no prices for ${model.slug}; the cost is in the Usage Summary node`;
	return { input: input ?? 0n, output: output ?? 0n };
}

const NOT_LOOKED_UP =
	'The model could not be looked up (GET /v1/models needs models:list); the cost is in the Usage Summary node';

/** Prices by slug, from the shared model lookup, one object per model and run; a failed lookup is its reason. */
export function priceLookup(client: ScaiGridClient, call: CallOptions): PriceLookup {
	const lookup = modelLookup(client, call);
	const thisRun = new Map<string, Promise<Prices | string>>();
	return async (slug) => {
		let prices = thisRun.get(slug);
		if (!prices) {
			prices = lookup(slug).then((model) => (model ? pricesOf(model) : NOT_LOOKED_UP));
			thisRun.set(slug, prices);
		}
		return await prices;
	};
}

export function costFields(
	prices: Prices | string,
	promptTokens: number | undefined,
	completionTokens = 0,
): CostFields {
	if (typeof prices === 'string') return { cost: null, costDecimal: null, costNote: prices };
	if (promptTokens === undefined)
		return {
			cost: null,
			costDecimal: null,
			costNote: 'ScaiGrid reported no token usage for this call',
		};
	const cost = costFromPrices(promptTokens, completionTokens, prices.input, prices.output);
	return { cost: toNumber(cost, 9), costDecimal: toDecimalString(cost) };
}

/**
 * costFields for the many items of one run: the same prices and tokens give the same fields, so
 * each pair is computed once (10,000 embeddings have a few dozen distinct token shares, and the
 * exact decimal arithmetic took a tenth of the node's own time in bench B8).
 */
export function costCache(): (
	prices: Prices | string,
	promptTokens: number | undefined,
) => CostFields {
	const known = new Map<Prices | string, Map<number | undefined, CostFields>>();
	return (prices, promptTokens) => {
		let byTokens = known.get(prices);
		if (!byTokens) known.set(prices, (byTokens = new Map()));
		let fields = byTokens.get(promptTokens);
		if (!fields) byTokens.set(promptTokens, (fields = costFields(prices, promptTokens)));
		return fields;
	};
}
