/**
 * Many items' texts, few requests: items are put in batches of up to Batch Size texts (items
 * with the same model and dimensions together, in input order), and a batch is sent when the
 * first of its items is asked for. Each item still ends alone: its vector, its share of the
 * usage, or its own error.
 *
 * A text ScaiGrid rejects (empty, too long: a VALIDATION_ERROR whose details name `input[k]`)
 * fails only its item: the batch is sent again without it. A failure that names no input (rate
 * limit after the retries, budget, auth) is every item's of the batch.
 */
import { settle } from '../../shared/execution/settle';
import { ScaiGridError } from '../../shared/transport/errors';
import type { EmbedRequest, Embedded } from '../api/embeddings';

export interface EmbedItem {
	index: number;
	text: string;
	model: string;
	dimensions?: number;
}

export interface EmbeddingResult {
	embedding: number[];
	model: string;
	/** The model slug asked for (prices are looked up by it; `model` is what ScaiGrid says answered). */
	requestedModel: string;
	/** This item's share of the batch's prompt tokens (by text length); undefined when not reported. */
	promptTokens?: number;
	batchPromptTokens?: number;
	batchSize: number;
	requestId?: string;
	attempts: number;
}

type Outcome = { ok: true; value: EmbeddingResult } | { ok: false; error: Error };

interface Batch {
	items: EmbedItem[];
	sent?: Promise<Map<number, Outcome>>;
}

/** Rounds of "send, drop the rejected texts, send the rest": each round drops at least one text. */
const MAX_ROUNDS = 4;

/** `input[3]`, `input.3` or `input/3` → 3. */
function inputPosition(field: string | undefined): number | undefined {
	const match = /^input(?:\[(\d+)\]|[./](\d+))/.exec(field ?? '');
	return match ? Number(match[1] ?? match[2]) : undefined;
}

/** The texts a validation error rejects, by position in the request; empty when it names none. */
function rejectedInputs(error: unknown, count: number): Map<number, string> {
	const rejected = new Map<number, string>();
	if (!(error instanceof ScaiGridError) || error.code !== 'VALIDATION_ERROR') return rejected;
	for (const detail of error.details ?? []) {
		const position = inputPosition(detail.field);
		if (position !== undefined && position < count)
			rejected.set(position, detail.message ?? 'rejected');
	}
	return rejected;
}

function itemRejection(batchError: ScaiGridError, message: string): ScaiGridError {
	const error = new ScaiGridError({
		code: batchError.code,
		httpStatus: batchError.httpStatus,
		requestId: batchError.requestId,
		message: `ScaiGrid rejected this item's text: it ${message}`,
		details: [{ field: 'text', message }],
		hint: 'Only this item failed: the other texts of its batch were sent again without it.',
	});
	return error;
}

/** Whole tokens per item in proportion to text length, summing exactly to `total` (largest remainder). */
export function apportion(total: number, weights: number[]): number[] {
	const sum = weights.reduce((a, b) => a + b, 0);
	if (sum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
	const exact = weights.map((w) => (total * w) / sum);
	const shares = exact.map(Math.floor);
	let left = total - shares.reduce((a, b) => a + b, 0);
	const order = exact
		.map((value, i) => ({ i, rest: value - Math.floor(value) }))
		.sort((a, b) => b.rest - a.rest || a.i - b.i);
	for (const { i } of order) {
		if (left-- <= 0) break;
		shares[i]++;
	}
	return shares;
}

export class EmbeddingBatcher {
	private readonly batchOf = new Map<number, Batch>();

	private readonly open = new Map<string, Batch>();

	constructor(
		private readonly batchSize: number,
		private readonly send: (request: EmbedRequest) => Promise<Embedded>,
	) {}

	add(item: EmbedItem): void {
		const key = `${item.model}\n${item.dimensions ?? ''}`;
		let batch = this.open.get(key);
		if (!batch) {
			batch = { items: [] };
			this.open.set(key, batch);
		}
		batch.items.push(item);
		this.batchOf.set(item.index, batch);
		if (batch.items.length >= this.batchSize) this.open.delete(key);
	}

	/** The item's vector; sends its batch if no item of it has asked yet. */
	async result(index: number): Promise<EmbeddingResult> {
		const batch = this.batchOf.get(index);
		if (!batch) throw new Error(`Item ${index} was not put in a batch`);
		batch.sent ??= this.run(batch);
		const outcome = (await batch.sent).get(index);
		if (!outcome) throw new Error(`Item ${index} got no answer from its batch`);
		if (!outcome.ok) throw outcome.error;
		return outcome.value;
	}

	private async run(batch: Batch): Promise<Map<number, Outcome>> {
		const outcomes = new Map<number, Outcome>();
		const { model, dimensions } = batch.items[0];
		let pending = batch.items;
		for (let round = 1; pending.length > 0; round++) {
			const sent = await settle(
				this.send({ model, dimensions, input: pending.map((item) => item.text) }),
			);
			if (sent.ok) {
				const answer = sent.value;
				const shares =
					answer.promptTokens === undefined
						? undefined
						: apportion(
								answer.promptTokens,
								pending.map((item) => item.text.length),
							);
				pending.forEach((item, position) => {
					outcomes.set(item.index, {
						ok: true,
						value: {
							embedding: answer.vectors[position],
							model: answer.model ?? model,
							requestedModel: model,
							promptTokens: shares?.[position],
							batchPromptTokens: answer.promptTokens,
							batchSize: pending.length,
							requestId: answer.requestId,
							attempts: answer.attempts,
						},
					});
				});
				break;
			}
			const error = sent.error instanceof Error ? sent.error : new Error(String(sent.error));
			const rejected =
				round < MAX_ROUNDS ? rejectedInputs(error, pending.length) : new Map<number, string>();
			if (rejected.size === 0) {
				for (const item of pending) outcomes.set(item.index, { ok: false, error });
				break;
			}
			for (const [position, message] of rejected) {
				outcomes.set(pending[position].index, {
					ok: false,
					error: itemRejection(error as ScaiGridError, message),
				});
			}
			pending = pending.filter((_, position) => !rejected.has(position));
		}
		return outcomes;
	}
}
