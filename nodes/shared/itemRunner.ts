/**
 * Runs a node's items: concurrently up to a limit, back in input order, each with its
 * `pairedItem`, and each ending as output items, an error item (continue on fail) or a thrown
 * error naming the item. Nothing is lost and nothing is paid for twice:
 *
 * n8n's own Retry On Fail re-runs the whole node with every item. The outcome of each item in
 * this execution is remembered, so a re-run answers finished items from memory instead of
 * sending their requests again (a non-retryable failure costs exactly one request).
 */
import { createHash } from 'crypto';
import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ScaiGridError, toNodeApiError } from './errors';
import { settle } from './settle';

export interface ItemResult {
	/** Index of the node output the item leaves by (0 = the first). */
	output: number;
	json: IDataObject;
	binary?: IBinaryKeyData;
}

export interface RunItemsOptions {
	outputs: number;
	concurrency: number;
	/** Output for error items with continue on fail (n8n moves them to the Error output itself). */
	errorOutput?: number;
}

type Outcome = { results: ItemResult[] } | { error: Error };

// ---------------------------------------------------------------------------------------------
// Outcomes remembered across n8n's re-runs of the same node run.

const MEMO_LIMIT = 50_000;
const MEMO_TTL_MS = 30 * 60_000;
const memo = new Map<string, { outcome: Outcome; storedAt: number }>();

function remember(key: string, outcome: Outcome): void {
	const now = Date.now();
	memo.set(key, { outcome, storedAt: now });
	// Leftovers of runs that ended in failure are dropped oldest first (Map keeps insertion order).
	for (const [oldKey, entry] of memo) {
		if (memo.size <= MEMO_LIMIT && now - entry.storedAt < MEMO_TTL_MS) break;
		memo.delete(oldKey);
	}
}

function forget(prefix: string): void {
	for (const key of memo.keys()) if (key.startsWith(prefix)) memo.delete(key);
}

function runPrefix(ctx: IExecuteFunctions): string | undefined {
	const executionId = ctx.getExecutionId();
	// Without an execution ID (e.g. a single-node test run) there is no re-run to serve.
	if (!executionId) return undefined;
	const node = ctx.getNode();
	// A node inside a loop runs several times per execution; n8n's context knows which run this
	// is, though IExecuteFunctions does not declare it.
	const runIndex = Number((ctx as unknown as { runIndex?: number }).runIndex ?? 0);
	return `${executionId}:${node.id}:${runIndex}:`;
}

function itemKey(prefix: string, index: number, item: INodeExecutionData): string {
	const fingerprint = createHash('sha256').update(JSON.stringify(item.json)).digest('hex').slice(0, 16);
	return `${prefix}${index}:${fingerprint}`;
}

// ---------------------------------------------------------------------------------------------

function errorJson(error: Error): IDataObject {
	if (error instanceof ScaiGridError) return error.toJson();
	const description = (error as NodeOperationError).description;
	return description ? { error: error.message, description } : { error: error.message };
}

function asNodeError(ctx: IExecuteFunctions, error: Error, itemIndex: number): Error {
	if (error instanceof ScaiGridError) return toNodeApiError(ctx.getNode(), error, itemIndex);
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	return new NodeOperationError(ctx.getNode(), error, { itemIndex });
}

export async function runItems(
	ctx: IExecuteFunctions,
	options: RunItemsOptions,
	processItem: (itemIndex: number) => Promise<ItemResult[]>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const prefix = runPrefix(ctx);
	const outcomes: Outcome[] = new Array(items.length);
	let stopped: { index: number; error: Error } | undefined;
	let next = 0;

	const runOne = async (index: number): Promise<void> => {
		const key = prefix ? itemKey(prefix, index, items[index]) : undefined;
		const known = key ? memo.get(key)?.outcome : undefined;
		let outcome: Outcome;
		if (known) {
			outcome = known;
		} else {
			const settled = await settle(processItem(index));
			if (!settled.ok && ctx.getExecutionCancelSignal()?.aborted) throw settled.error;
			outcome = settled.ok
				? { results: settled.value }
				: { error: settled.error instanceof Error ? settled.error : new Error(String(settled.error)) };
			if (key) remember(key, outcome);
		}
		outcomes[index] = outcome;
		if ('error' in outcome && !continueOnFail && (!stopped || index < stopped.index)) {
			stopped = { index, error: outcome.error };
		}
	};

	const worker = async (): Promise<void> => {
		while (!stopped && next < items.length) {
			await runOne(next++);
		}
	};
	const workers = Math.max(1, Math.min(options.concurrency, items.length));
	const willRerun = ctx.getNode().retryOnFail === true;
	const ran = await settle(Promise.all(Array.from({ length: workers }, worker)));
	if (!ran.ok) {
		// Cancelled mid-run: n8n stops the execution, there is no re-run to serve.
		if (prefix) forget(prefix);
		throw ran.error;
	}
	if (stopped) {
		if (prefix && !willRerun) forget(prefix);
		throw asNodeError(ctx, stopped.error, stopped.index);
	}

	const output: INodeExecutionData[][] = Array.from({ length: options.outputs }, () => []);
	outcomes.forEach((outcome, index) => {
		const pairedItem = { item: index };
		if ('error' in outcome) {
			output[options.errorOutput ?? 0].push({ json: errorJson(outcome.error), pairedItem });
			return;
		}
		for (const result of outcome.results) {
			const item: INodeExecutionData = { json: result.json, pairedItem };
			if (result.binary) item.binary = result.binary;
			output[result.output].push(item);
		}
	});
	// n8n re-runs a node whose first output starts with an error item: keep the outcomes for it.
	if (prefix && !(willRerun && output[0][0]?.json.error)) forget(prefix);
	return output;
}
