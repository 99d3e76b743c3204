/** What a run returns: outputs, errors, chunks, hints, metadata and logs of the engine's IRun. */

import type { INodeExecutionData, IRun, IRunData, NodeExecutionHint } from 'n8n-workflow';

export interface Chunk {
	type: string;
	itemIndex?: number;
	content?: unknown;
	nodeName?: string;
}

export interface RunResult {
	/** n8n's execution status: 'success' | 'error' | 'canceled' | 'waiting' | ... */
	status: string;
	/** The workflow-level error, when the run failed (a copy: see `toError`). */
	error?: Error;
	runData: IRunData;
	/** Items of a node's output (default first output of the last run). [] when none. */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** The error a node's last run ended with, if any. */
	nodeError(nodeName: string): Error | undefined;
	/** `sendChunk` calls in order (streaming runs only), including the engine's own 'error' chunks. */
	chunks: Chunk[];
	/** Execution hints a node added (`this.addExecutionHints`), all runs. */
	hints(nodeName: string): NodeExecutionHint[];
	durationMs: number;
	/** runData metadata of a node's last run, e.g. `{ tokenUsage }` from accumulateTokenUsage. */
	metadata(nodeName: string): unknown;
	/** Messages nodes sent to the editor console (`this.logNodeOutput` in manual mode). */
	logs: unknown[][];
	/** The raw IRun the engine returned. */
	run: IRun;
}

/**
 * The engine stores errors as plain copies (`{...error, message, stack}`); this gives them back
 * as Error instances with the same own properties (description, httpCode, context, node...).
 * `instanceof NodeApiError` does not survive; check `.message`, `.description`, `.httpCode`.
 */
function toError(value: unknown): Error | undefined {
	if (value === undefined || value === null) return undefined;
	const plain = value as { message?: string; name?: string };
	const error = new Error(plain.message ?? String(value));
	Object.assign(error, plain);
	return error;
}

export function buildResult(
	run: IRun,
	chunks: Chunk[],
	logs: unknown[][],
	durationMs: number,
): RunResult {
	const runData = run.data.resultData.runData ?? {};
	const lastRun = (nodeName: string) => runData[nodeName]?.at(-1);
	return {
		status: run.status,
		error: toError(run.data.resultData.error),
		runData,
		output: (nodeName, outputIndex = 0) => lastRun(nodeName)?.data?.main?.[outputIndex] ?? [],
		nodeError: (nodeName) => toError(lastRun(nodeName)?.error),
		chunks,
		hints: (nodeName) => (runData[nodeName] ?? []).flatMap((task) => task.hints ?? []),
		durationMs,
		metadata: (nodeName) => lastRun(nodeName)?.metadata,
		logs,
		run,
	};
}
