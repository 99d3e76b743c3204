import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties } from './actions/description';
import { router } from './actions/router';
import * as listSearch from './methods/listSearch';

export class ScaiGridListModels implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ScaiGrid List Models',
		name: 'scaiGridListModels',
		icon: { light: 'file:../../icons/scaigrid.svg', dark: 'file:../../icons/scaigrid.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "get" ? "Get a model" : "Get many models" }}',
		description:
			'List the AI models this ScaiGrid API key can use, or get one by slug: modality (chat, embedding, image, audio), status, health, context window, max output tokens, description and prices per 1M tokens. Use it to find which models exist, which are healthy, which fit a long input, which suit a task such as vision (see their descriptions), or which cost least.',
		defaults: { name: 'ScaiGrid List Models' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'scaiGridApi', required: true }],
		properties,
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
