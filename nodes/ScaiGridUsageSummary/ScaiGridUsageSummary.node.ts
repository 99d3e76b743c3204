import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties } from './actions/description';
import { router } from './actions/router';

export class ScaiGridUsageSummary implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ScaiGrid Usage Summary',
		name: 'scaiGridUsageSummary',
		icon: { light: 'file:../../icons/scaigrid.svg', dark: 'file:../../icons/scaigrid.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ $parameter["operation"] === "getSummary" ? "Summary by " + $parameter["groupBy"] : $parameter["operation"] === "getRecords" ? "Get records" : $parameter["operation"] === "getBudgets" ? "Get budgets" : "Export " + $parameter["format"] }}',
		description:
			'Usage and cost by model, user, backend or tenant; usage records, budgets and exports: the scheduled usage report',
		defaults: { name: 'ScaiGrid Usage Summary' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'scaiGridApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
