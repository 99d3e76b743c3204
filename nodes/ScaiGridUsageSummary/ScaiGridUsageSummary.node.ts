import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ScaiGridClient } from '../shared/client';
import { runItems } from '../shared/itemRunner';
import { properties } from './description';
import type { Notes } from './operations';
import { runOperation } from './operations';

/** Accounting queries are light; a few items at once, paced by the key's rate limit. */
const CONCURRENCY = 4;

export class ScaiGridUsageSummary implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ScaiGrid Usage Summary',
		name: 'scaiGridUsageSummary',
		icon: { light: 'file:../../icons/scaigrid.svg', dark: 'file:../../icons/scaigrid.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ $parameter["operation"] === "getSummary" ? "Summary by " + $parameter["groupBy"] : $parameter["operation"] === "getRecords" ? "Get records" : $parameter["operation"] === "getBudgets" ? "Get budgets" : "Export " + $parameter["format"] }}',
		description: 'Usage and cost by model, user, backend or tenant; usage records, budgets and exports: the scheduled usage report',
		defaults: { name: 'ScaiGrid Usage Summary' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'scaiGridApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const client = await ScaiGridClient.create(this);
		const notes: Notes = new Set();
		const output = await runItems(this, { outputs: 1, concurrency: CONCURRENCY }, async (itemIndex) =>
			await runOperation(this, client, itemIndex, notes),
		);
		if (notes.size > 0) {
			this.addExecutionHints(...[...notes].map((message) => ({ message, location: 'outputPane' as const })));
		}
		return output;
	}
}
