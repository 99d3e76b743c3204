import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties } from './description';
import { execute } from './execute';
import * as listSearch from './methods/listSearch';
import { outputsExpression } from './tools/outputs';

export class ScaiGridChat implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ScaiGrid Chat',
		name: 'scaiGridChat',
		icon: { light: 'file:../../icons/scaigrid.svg', dark: 'file:../../icons/scaigrid.dark.svg' },
		group: ['transform'],
		version: 1,
		// n8n hands a subtitle a resource locator's plain value (the model's slug), not the
		// locator object, so its cachedResultName is out of reach here.
		subtitle: '={{ $parameter["model"] }}',
		description: 'Chat with AI models through ScaiGrid, with cost and usage on every item',
		defaults: { name: 'ScaiGrid Chat' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		// Message, then one output per tool (or one Tool Calls output): see tools/outputs.ts.
		outputs: outputsExpression,
		credentials: [{ name: 'scaiGridApi', required: true }],
		properties,
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await execute.call(this);
	}
}
