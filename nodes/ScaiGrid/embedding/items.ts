/**
 * Each item's text, model and dimensions for Embedding → Create. The text comes from a field of
 * the item (Text From: Field, a dotted path read with shared/execution/path.ts) or from the Text
 * parameter (an expression per item); a text that is missing, empty or not text is an error of
 * its item only.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { valueAtPath } from '../../shared/execution/path';
import { modelOf } from '../actions/common';

interface DimensionsOption {
	dimensions?: number;
}

export type ItemRequest = { text: string; model: string; dimensions?: number };

/**
 * The reader of an item's text, model and dimensions. Parameters without an expression are the
 * same for every item: they are read once, so 10,000 items do not ask n8n 10,000 times for each
 * (bench B8). In Field mode the text is read from the item itself, with no expression at all.
 */
export function itemReader(ctx: IExecuteFunctions): (i: number) => ItemRequest {
	const items = ctx.getInputData();
	const perItem = <T>(name: string, read: (i: number) => T): ((i: number) => T) => {
		if (hasExpression(ctx.getNode().parameters[name])) return read;
		let first: { value: T } | undefined;
		return (i) => (first ??= { value: read(i) }).value;
	};
	const model = perItem('model', (i) => modelOf(ctx, i, 'openai/text-embedding-3-small'));
	const dimensions = perItem('options', (i) => {
		const value = Number(
			(ctx.getNodeParameter('options', i, {}) as DimensionsOption).dimensions ?? 0,
		);
		return value > 0 ? Math.floor(value) : undefined;
	});
	const fromField = ctx.getNodeParameter('textFrom', 0, 'field') === 'field';
	const field = perItem(
		'textField',
		(i) => String(ctx.getNodeParameter('textField', i, 'text')).trim() || 'text',
	);
	const text = fromField
		? (i: number) => textOf(ctx, i, valueAtPath(items[i].json, field(i)), `the field "${field(i)}"`)
		: (i: number) =>
				textOf(ctx, i, ctx.getNodeParameter('text', i, '') as unknown, 'the Text expression');
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
	const text =
		typeof raw === 'string'
			? raw
			: raw === null || raw === undefined
				? ''
				: typeof raw === 'object'
					? undefined
					: String(raw);
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
