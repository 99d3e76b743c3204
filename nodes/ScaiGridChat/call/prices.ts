/**
 * An answer's cost from the model's per-million-token prices (shared/api/modelInfo.ts), as an exact
 * decimal. Without usage or prices the cost is null with the reason, never zero
 * (docs/scaigrid-api.md §4.3).
 */
import type { IDataObject } from 'n8n-workflow';

import { costFromPrices, parseDecimal, toDecimalString, toNumber } from '../../shared/api/decimal';
import type { ChatResponse, Model } from '../../shared/api/schemas';

export interface CostInfo extends IDataObject {
	cost: number | null;
	costDecimal: string | null;
	costNote?: string;
}

/** Exact cost from the model's per-million prices, or null with the reason. */
export function costOf(response: ChatResponse, model: Model | undefined): CostInfo {
	const usage = response.usage;
	if (!usage)
		return {
			cost: null,
			costDecimal: null,
			costNote: 'ScaiGrid reported no token usage for this call',
		};
	const inputPrice = parseDecimal(model?.input_price_per_mtok ?? undefined);
	const outputPrice = parseDecimal(model?.output_price_per_mtok ?? undefined);
	if (inputPrice === undefined || outputPrice === undefined) {
		return {
			cost: null,
			costDecimal: null,
			costNote: model
				? `ScaiGrid shows no prices for ${model.slug}; the cost is in the Usage Summary node`
				: 'The model could not be looked up (GET /v1/models needs models:list); the cost is in the Usage Summary node',
		};
	}
	const cost = costFromPrices(
		usage.prompt_tokens,
		usage.completion_tokens,
		inputPrice,
		outputPrice,
	);
	return { cost: toNumber(cost, 9), costDecimal: toDecimalString(cost) };
}
