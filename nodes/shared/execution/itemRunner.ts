/**
 * Runs a node's items: concurrently up to a limit (slots.ts), back in input order, each with
 * its `pairedItem`, and each ending as output items, an error item (continue on fail) or a
 * thrown error naming the item. Nothing is lost and nothing is paid for twice:
 *
 * n8n's own Retry On Fail re-runs the whole node with every item. The outcome of each item in
 * this execution is remembered, so a re-run answers finished items from memory instead of
 * sending their requests again (a non-retryable failure costs exactly one request).
 */
import { createHash } from 'crypto';
import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ScaiGridError, toNodeApiError } from '../transport/errors';
import { inNodeRetriesEnabled } from '../retry/options';
import { ruleFor } from '../retry/table';
import { settle } from './settle';
import { runInSlots } from './slots';

export interface ItemResult {
	/** Index of the node output the item leaves by (0 = the first). */
	output: number;
	json: IDataObject;
	binary?: IBinaryKeyData;
}

export interface RunItemsOptions {
	outputs: number;
	concurrency: number;
	/**
	 * Items answered together, e.g. all tool results of one assistant turn. Each group is
	 * processed once (called with its first item), its output items pair with every item of the
	 * group, and its error names the first item. Groups are disjoint and listed by first item.
	 * Default: each item alone.
	 */
	groups?: number[][];
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
	const node = ctx.getNode();
	// Only Retry On Fail re-runs a node; without it (or without an execution ID, e.g. a
	// single-node test run) there is no re-run to serve, and no fingerprint worth computing.
	if (!executionId || node.retryOnFail !== true) return undefined;
	// A node inside a loop runs several times per execution; n8n's context knows which run this
	// is, though IExecuteFunctions does not declare it.
	const runIndex = Number((ctx as unknown as { runIndex?: number }).runIndex ?? 0);
	return `${executionId}:${node.id}:${runIndex}:`;
}

/** One memo key per group of items (a single item is a group of one). */
function groupKey(prefix: string, group: number[], items: INodeExecutionData[]): string {
	const json = group.length === 1 ? items[group[0]].json : group.map((index) => items[index].json);
	const fingerprint = createHash('sha256').update(JSON.stringify(json)).digest('hex').slice(0, 16);
	return `${prefix}${group.join(',')}:${fingerprint}`;
}

// ---------------------------------------------------------------------------------------------

function isRetryable(outcome: Outcome): boolean {
	return (
		'error' in outcome &&
		outcome.error instanceof ScaiGridError &&
		ruleFor(outcome.error.code, outcome.error.httpStatus).strategy !== 'never'
	);
}

function errorJson(error: Error): IDataObject {
	if (error instanceof ScaiGridError) return error.toJson();
	// Errors that know their item's json (e.g. an invalid tool call with its raw arguments).
	const own = (error as { toJson?: unknown }).toJson;
	if (typeof own === 'function') return own.call(error) as IDataObject;
	const description = (error as NodeOperationError).description;
	return description ? { error: error.message, description } : { error: error.message };
}

function asNodeError(ctx: IExecuteFunctions, error: Error, itemIndex: number): Error {
	if (error instanceof ScaiGridError) return toNodeApiError(ctx.getNode(), error, itemIndex);
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	return new NodeOperationError(ctx.getNode(), error, { itemIndex });
}

/**
 * n8n moves a continue-on-fail item to the Error output (onError = continueErrorOutput) only
 * when its json has no keys but `error`, `message` and `details`; the rest goes under `details`.
 */
function errorOutputJson(json: IDataObject): IDataObject {
	const { error, message, ...details } = json;
	const shaped: IDataObject = { error: error ?? message ?? 'Error' };
	if (message !== undefined) shaped.message = message;
	if (Object.keys(details).length) shaped.details = details;
	return shaped;
}

export async function runItems(
	ctx: IExecuteFunctions,
	options: RunItemsOptions,
	processItem: (itemIndex: number) => Promise<ItemResult[]>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const groups = options.groups ?? items.map((_, index) => [index]);
	const continueOnFail = ctx.continueOnFail();
	const toErrorOutput = ctx.getNode().onError === 'continueErrorOutput';
	const prefix = runPrefix(ctx);
	const retriedInNode = inNodeRetriesEnabled(ctx);
	const outcomes: Outcome[] = new Array(groups.length);
	// `index` is the group's position; with default groups it is the item's index.
	let stopped: { index: number; error: Error } | undefined;

	const runOne = async (index: number): Promise<void> => {
		const group = groups[index];
		const key = prefix ? groupKey(prefix, group, items) : undefined;
		const known = key ? memo.get(key)?.outcome : undefined;
		let outcome: Outcome;
		if (known) {
			outcome = known;
		} else {
			const settled = await settle(processItem(group[0]));
			if (!settled.ok && ctx.getExecutionCancelSignal()?.aborted) throw settled.error;
			outcome = settled.ok
				? { results: settled.value }
				: {
						error:
							settled.error instanceof Error ? settled.error : new Error(String(settled.error)),
					};
			// A retryable failure the node did not retry itself (its retries switched off) is left
			// for n8n's Retry On Fail to resend; every other outcome is answered from memory.
			if (key && (retriedInNode || !isRetryable(outcome))) remember(key, outcome);
		}
		outcomes[index] = outcome;
		if ('error' in outcome && !continueOnFail && (!stopped || index < stopped.index)) {
			stopped = { index, error: outcome.error };
		}
	};

	const willRerun = ctx.getNode().retryOnFail === true;
	const ran = await settle(
		runInSlots({
			count: groups.length,
			slots: options.concurrency,
			task: runOne,
			stopped: () => stopped !== undefined,
		}),
	);
	if (!ran.ok) {
		// Cancelled mid-run: n8n stops the execution, there is no re-run to serve.
		if (prefix) forget(prefix);
		throw ran.error;
	}
	if (stopped) {
		if (prefix && !willRerun) forget(prefix);
		throw asNodeError(ctx, stopped.error, groups[stopped.index][0]);
	}

	const output: INodeExecutionData[][] = Array.from({ length: options.outputs }, () => []);
	outcomes.forEach((outcome, index) => {
		const group = groups[index];
		const pairedItem = group.length === 1 ? { item: group[0] } : group.map((item) => ({ item }));
		if ('error' in outcome) {
			const json = errorJson(outcome.error);
			// Error items leave by the first output; n8n moves them to its Error output itself.
			output[0].push({ json: toErrorOutput ? errorOutputJson(json) : json, pairedItem });
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
