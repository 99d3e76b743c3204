/**
 * The simplified item for one model: camelCase keys, the documented fields only, prices as
 * numbers beside the API's own decimal strings. Fields the API leaves out are never invented:
 * the core fields become null, prices and the description are simply absent.
 */
import type { IDataObject } from 'n8n-workflow';

import { itemJson } from '../shared/api/itemJson';
import type { Model } from '../shared/api/schemas';
import { decimalText } from '../shared/api/schemas';

/** The contract gives prices per million tokens but names no currency. */
export const PRICE_UNIT = 'per 1M tokens';

/** "2.50" → 2.5; anything that is not a plain decimal stays out rather than becoming 0 or NaN. */
function priceNumber(text: string): number | undefined {
	if (text.trim() === '') return undefined;
	const value = Number(text);
	return Number.isFinite(value) ? value : undefined;
}

function addPrices(item: IDataObject, model: Model): void {
	const input = decimalText(model.input_price_per_mtok) ?? undefined;
	const output = decimalText(model.output_price_per_mtok) ?? undefined;
	if (input === undefined && output === undefined) return;
	if (input !== undefined) item.inputPricePerMillionTokens = priceNumber(input) ?? null;
	if (output !== undefined) item.outputPricePerMillionTokens = priceNumber(output) ?? null;
	item.priceUnit = PRICE_UNIT;
	// The exact decimal strings too: 0.075 and friends survive spreadsheets and sums unrounded.
	if (input !== undefined) item.inputPrice = input;
	if (output !== undefined) item.outputPrice = output;
}

export function simplifyModel(model: Model): IDataObject {
	const item: IDataObject = {
		slug: model.slug,
		displayName: model.display_name ?? null,
	};
	if (model.description) item.description = model.description;
	Object.assign(item, {
		modality: model.modality ?? null,
		status: model.status ?? null,
		health: model.health_status ?? null,
		contextWindow: model.context_window ?? null,
		maxOutputTokens: model.max_output_tokens ?? null,
		activeBackendCount: model.active_backend_count ?? null,
		totalBackendCount: model.total_backend_count ?? null,
	});
	addPrices(item, model);
	return item;
}

/** One model as an output item's json: simplified, or as ScaiGrid sent it. */
export function modelItem(model: Model, simplify: boolean): IDataObject {
	return simplify ? simplifyModel(model) : itemJson(model);
}
