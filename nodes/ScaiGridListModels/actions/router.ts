/**
 * Each input item to its operation's execute, through the item runner (concurrency, pairedItem,
 * re-run memo, continue on fail). One client per run, so all items share its rate-limit pacing.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CallOptions } from '../../shared/transport/client';
import { ScaiGridClient } from '../../shared/transport/client';
import { runItems } from '../../shared/execution/itemRunner';
import type { ItemResult } from '../../shared/execution/itemRunner';
import type { Needed } from '../../shared/api/permissions';
import { callOptionsFor } from '../../shared/descriptions';
import type { CallOptionValues } from '../../shared/descriptions';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

/** Items usually carry one listing each; a few Get calls side by side are plenty. */
const CONCURRENCY = 4;

/** Both operations read models (docs/scaigrid-api.md §3, §6). */
export const MODELS_PERMISSION: Needed[] = [{ permission: 'models:list' }];

/** What an operation gets besides its item: the run's client and the item's call options. */
export interface Run {
	client: ScaiGridClient;
	call: CallOptions;
}

type Execute = (this: IExecuteFunctions, i: number, run: Run) => Promise<ItemResult[]>;

const operations: Record<string, Execute> = { get: get.execute, getAll: getAll.execute };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const client = await ScaiGridClient.create(this);
	return await runItems(this, { outputs: 1, concurrency: CONCURRENCY }, async (i) => {
		const operation = this.getNodeParameter('operation', i) as string;
		const execute = operations[operation];
		if (!execute)
			throw new NodeOperationError(this.getNode(), `Unknown operation "${operation}"`, {
				itemIndex: i,
			});
		const options = this.getNodeParameter('options', i, {}) as CallOptionValues;
		const call = callOptionsFor(this, options);
		return await execute.call(this, i, { client, call });
	});
}
