import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ItemResult } from '../../shared/execution/itemRunner';
import { budgetView, fetchBudgets } from '../api/budgets';
import type { Run } from './router';

/** Get Budgets has no parameters of its own: the key's scope decides which budgets it sees. */
export const description: INodeProperties[] = [];

export async function execute(
	this: IExecuteFunctions,
	_i: number,
	run: Run,
): Promise<ItemResult[]> {
	const { budgets } = await fetchBudgets(run.client, run.call);
	return budgets.map((budget) => ({ output: 0, json: budgetView(budget) }));
}
