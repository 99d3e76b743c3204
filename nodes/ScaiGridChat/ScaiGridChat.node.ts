import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeListSearchResult,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ScaiGridClient } from '../shared/transport/client';
import { runItems } from '../shared/execution/itemRunner';
import { searchModels } from '../shared/api/models';
import { parameterReader } from '../shared/execution/parameters';
import { DEFAULT_TIMEOUT_MS, retryPolicyFor } from '../shared/descriptions';
import type { ChatRun } from './item';
import { chatItem } from './item';
import type { ChatOptions } from './description';
import { DEFAULT_CONCURRENCY, chatProperties } from './description';
import { modelLookup } from './call/modelInfo';
import { outputsExpression } from './tools/outputs';
import { outputCount } from './tools/outputs';
import { groupToolResults } from './tools/toolResults';

export class ScaiGridChat implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ScaiGrid Chat',
		name: 'scaiGridChat',
		icon: { light: 'file:../../icons/scaigrid.svg', dark: 'file:../../icons/scaigrid.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["model"].cachedResultName || $parameter["model"].value}}',
		description: 'Chat with AI models through ScaiGrid, with cost and usage on every item',
		defaults: { name: 'ScaiGrid Chat' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		// Message, then one output per tool (or one Tool Calls output): see tools/outputs.ts.
		outputs: outputsExpression,
		credentials: [{ name: 'scaiGridApi', required: true }],
		properties: chatProperties,
	};

	methods = {
		listSearch: {
			async searchChatModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				return await searchModels(this, 'chat', filter);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const client = await ScaiGridClient.create(this);
		const nodeOptions = this.getNodeParameter('options', 0, {}) as ChatOptions;
		// Tool results of one assistant turn are answered together: one request per group.
		const groups = this.getNodeParameter('prompt', 0) === 'toolResults' ? groupToolResults(this) : undefined;
		const run: ChatRun = {
			client,
			lookup: modelLookup(client, retryPolicyFor(this, nodeOptions), nodeOptions.timeout ?? DEFAULT_TIMEOUT_MS),
			resultGroups: groups && new Map(groups.map((group) => [group.items[0], group])),
			ended: { length: 0, contentFilter: 0 },
			param: parameterReader(this),
		};

		const output = await runItems(
			this,
			{
				outputs: outputCount(this),
				concurrency: nodeOptions.maxConcurrency ?? DEFAULT_CONCURRENCY,
				groups: groups?.map((group) => group.items),
			},
			async (itemIndex) => await chatItem(this, run, itemIndex),
		);

		const { length, contentFilter } = run.ended;
		if (length) {
			this.addExecutionHints({
				message: `${length} ${length === 1 ? 'reply was' : 'replies were'} cut off at Max Tokens (finish reason "length", flagged as truncated). Raise Max Tokens in the options.`,
				type: 'warning',
				location: 'outputPane',
			});
		}
		if (contentFilter) {
			this.addExecutionHints({
				message: `${contentFilter} ${contentFilter === 1 ? 'reply was' : 'replies were'} stopped by a content filter (finish reason "content_filter", flagged as contentFiltered).`,
				type: 'warning',
				location: 'outputPane',
			});
		}
		return output;
	}
}
