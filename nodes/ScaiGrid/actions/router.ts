/**
 * Every input item to its operation, through the item runner (concurrency, pairedItem, re-run
 * memo, continue on fail): one client per run, so all items share its rate-limit pacing, and
 * prices from the shared model lookup (a request per model and key every 10 minutes at most).
 * Resource and operation are the same for every item (they take no expressions), so they are
 * read once; an operation may prepare the run first (embeddings plan their batches).
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runItems } from '../../shared/execution/itemRunner';
import type { ItemResult } from '../../shared/execution/itemRunner';
import { ScaiGridClient } from '../../shared/transport/client';
import type { PriceLookup } from '../prices';
import { priceLookup } from '../prices';
import * as transcribe from './audio/transcribe.operation';
import * as generateSpeech from './audio/generateSpeech.operation';
import * as createEmbedding from './embedding/create.operation';
import * as generateImage from './image/generate.operation';
import { callOptions } from './common';

/** What an operation gets besides its item. */
export interface Run {
	client: ScaiGridClient;
	prices: PriceLookup;
	/** Execution hints, shown once for the whole run. */
	notes: Set<string>;
	/** An operation's own state for this run (the embedding batches). */
	state?: unknown;
}

export interface Operation {
	execute(this: IExecuteFunctions, i: number, run: Run): Promise<ItemResult[]>;
	/** Items in flight at once (a function of the run, e.g. Batch Size). */
	concurrency(this: IExecuteFunctions): number;
	prepare?(this: IExecuteFunctions, run: Run): Promise<unknown>;
}

const operations: Record<string, Operation> = {
	'embedding:create': createEmbedding,
	'image:generate': generateImage,
	'audio:transcribe': transcribe,
	'audio:generateSpeech': generateSpeech,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[`${resource}:${operationName}`];
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`Unknown operation "${operationName}" of resource "${resource}"`,
		);
	}
	const client = await ScaiGridClient.create(this);
	const run: Run = { client, prices: priceLookup(client, callOptions(this, 0)), notes: new Set() };
	if (operation.prepare) run.state = await operation.prepare.call(this, run);
	const output = await runItems(
		this,
		{ outputs: 1, concurrency: operation.concurrency.call(this) },
		async (i) => await operation.execute.call(this, i, run),
	);
	if (run.notes.size > 0) {
		this.addExecutionHints(
			...[...run.notes].map((message) => ({ message, location: 'outputPane' as const })),
		);
	}
	return output;
}
