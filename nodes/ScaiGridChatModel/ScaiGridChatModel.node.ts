import type {
	ILoadOptionsFunctions,
	INode,
	INodeListSearchResult,
	INodeType,
	INodeTypeDescription,
	ISupplyDataFunctions,
	SupplyData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { ChatModelOptions } from './description';
import { chatModelProperties } from './description';
import { ScaiGridClient, callOptionsFor, modelLookup, searchModels } from './scaigrid';
import type * as Supply from './supply';

/** The n8n version that brought @n8n/ai-node-sdk, which n8n's agents and chains take models from. */
export const MIN_N8N_VERSION = '2.16';

function isMissingSdk(error: unknown): boolean {
	const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
	return code === 'MODULE_NOT_FOUND' && /@n8n\/ai-(node-sdk|utilities)/.test(String(message));
}

/**
 * The model class and n8n's wrapper need @n8n/ai-node-sdk. They are loaded here, when a workflow
 * uses the model, not when n8n loads the package: n8n loads a package's node files one after the
 * other and drops the whole package when one fails, so on an n8n without the SDK the other
 * ScaiGrid nodes keep loading and this one fails its runs with what to do.
 */
async function loadSupply(node: INode): Promise<typeof Supply> {
	try {
		return await import('./supply');
	} catch (error) {
		if (!isMissingSdk(error)) throw new NodeOperationError(node, error as Error);
		throw new NodeOperationError(
			node,
			`ScaiGrid Chat Model needs n8n ${MIN_N8N_VERSION} or newer`,
			{
				description: `This n8n has no @n8n/ai-node-sdk, through which the AI Agent and chains take models from community nodes (n8n ${MIN_N8N_VERSION} and newer). Update n8n, or call ScaiGrid with the ScaiGrid Chat node, which works without it.`,
			},
		);
	}
}

export class ScaiGridChatModel implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ScaiGrid Chat Model',
		name: 'scaiGridChatModel',
		icon: { light: 'file:../../icons/scaigrid.svg', dark: 'file:../../icons/scaigrid.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["model"]}}',
		description:
			'ScaiGrid models for the AI Agent and chains, with the retry table and the cost of each call',
		defaults: { name: 'ScaiGrid Chat Model' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiLanguageModel],
		outputNames: ['Model'],
		credentials: [{ name: 'scaiGridApi', required: true }],
		properties: chatModelProperties,
	};

	methods = {
		listSearch: {
			async searchChatModels(
				this: ILoadOptionsFunctions,
				filter?: string,
			): Promise<INodeListSearchResult> {
				return await searchModels(this, 'chat', filter);
			},
		},
	};

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		const { supplyScaiGridModel } = await loadSupply(this.getNode());
		const modelId = String(this.getNodeParameter('model', itemIndex, '', { extractValue: true }));
		const options = this.getNodeParameter('options', itemIndex, {}) as ChatModelOptions;
		const client = await ScaiGridClient.create(this);
		const call = callOptionsFor(this, options);
		const stop = (options.stop ?? '')
			.split(',')
			.map((text) => text.trim())
			.filter((text) => text !== '');
		return supplyScaiGridModel(
			this,
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
	}
}
