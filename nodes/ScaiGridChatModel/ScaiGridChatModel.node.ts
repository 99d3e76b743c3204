import { supplyModel } from '@n8n/ai-node-sdk';
import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodeType,
	INodeTypeDescription,
	ISupplyDataFunctions,
	SupplyData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { ChatModelOptions } from './description';
import { chatModelProperties } from './description';
import { ScaiGridChatModel as ScaiGridModel } from './model';
import { ScaiGridClient, callOptionsFor, modelLookup, searchModels } from './scaigrid';

export class ScaiGridChatModel implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ScaiGrid Chat Model',
		name: 'scaiGridChatModel',
		icon: { light: 'file:../../icons/scaigrid.svg', dark: 'file:../../icons/scaigrid.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["model"]}}',
		description: 'ScaiGrid models for the AI Agent and chains, with the retry table and the cost of each call',
		defaults: { name: 'ScaiGrid Chat Model' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiLanguageModel],
		outputNames: ['Model'],
		credentials: [{ name: 'scaiGridApi', required: true }],
		properties: chatModelProperties,
	};

	methods = {
		listSearch: {
			async searchChatModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				return await searchModels(this, 'chat', filter);
			},
		},
	};

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		const modelId = String(this.getNodeParameter('model', itemIndex, '', { extractValue: true }));
		const options = this.getNodeParameter('options', itemIndex, {}) as ChatModelOptions;
		const client = await ScaiGridClient.create(this);
		const call = callOptionsFor(this, options);
		const stop = (options.stop ?? '')
			.split(',')
			.map((text) => text.trim())
			.filter((text) => text !== '');
		const model = new ScaiGridModel(
			modelId,
			{
				client,
				retry: call.retry,
				timeoutMs: call.timeoutMs,
				lookup: modelLookup(client, call),
				node: this.getNode(),
				addHint: (hint) => this.addExecutionHints(hint),
			},
			{
				maxTokens: options.maxTokens,
				temperature: options.temperature,
				topP: options.topP,
				seed: options.seed,
				stopSequences: stop.length ? stop : undefined,
			},
			this.getExecutionCancelSignal(),
		);
		return supplyModel(this, model);
	}
}
