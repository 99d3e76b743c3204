/**
 * Each input item to its operation's execute, through the item runner (concurrency, pairedItem,
 * re-run memo, continue on fail). One client per run, so all items share its rate-limit pacing;
 * notes (execution hints) are collected over all items and shown once.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CallOptions } from '../../shared/transport/client';
import { ScaiGridClient } from '../../shared/transport/client';
import { runItems } from '../../shared/execution/itemRunner';
import type { ItemResult } from '../../shared/execution/itemRunner';
import { callOptionsFor } from '../../shared/descriptions';
import type { CallOptionValues } from '../../shared/descriptions';
import * as exportFile from './export.operation';
import * as getBudgets from './getBudgets.operation';
import * as getRecords from './getRecords.operation';
import * as getSummary from './getSummary.operation';

/** Accounting queries are light; a few items at once, paced by the key's rate limit. */
const CONCURRENCY = 4;

/** What an operation gets besides its item. */
export interface Run {
	client: ScaiGridClient;
	call: Omit<CallOptions, 'qs'>;
	/** Execution hints, shown once for the whole run. */
	notes: Set<string>;
}

type Execute = (this: IExecuteFunctions, i: number, run: Run) => Promise<ItemResult[]>;

const operations: Record<string, Execute> = {
	getSummary: getSummary.execute,
	getRecords: getRecords.execute,
	getBudgets: getBudgets.execute,
	export: exportFile.execute,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const client = await ScaiGridClient.create(this);
	const notes = new Set<string>();
	const output = await runItems(this, { outputs: 1, concurrency: CONCURRENCY }, async (i) => {
		const operation = this.getNodeParameter('operation', i) as string;
		const execute = operations[operation];
		if (!execute)
			throw new NodeOperationError(this.getNode(), `Unknown operation "${operation}"`, {
				itemIndex: i,
			});
		const options = this.getNodeParameter('options', i, {}) as CallOptionValues;
		const call = callOptionsFor(this, options);
		return await execute.call(this, i, { client, call, notes });
	});
	if (notes.size > 0) {
		this.addExecutionHints(
			...[...notes].map((message) => ({ message, location: 'outputPane' as const })),
		);
	}
	return output;
}
