import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeListSearchResult,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { CallOptions } from '../shared/client';
import { ScaiGridClient } from '../shared/client';
import { runItems } from '../shared/itemRunner';
import type { ItemResult } from '../shared/itemRunner';
import { getModel, searchModels } from '../shared/models';
import type { ModelFilter } from '../shared/models';
import { DEFAULT_TIMEOUT_MS, modelLocator, retryOptionFields, retryPolicyFor } from '../shared/properties';
import type { RetryOptionValues } from '../shared/properties';
import type { Model } from '../shared/schemas';
import { collectModels } from './collect';
import { explained } from './explain';
import { simplifyModel } from './simplify';

/** Items usually carry one listing each; a few Get calls side by side are plenty. */
const CONCURRENCY = 4;

interface Filters {
	modality?: string;
	search?: string;
	status?: string;
}

type Options = RetryOptionValues & { timeout?: number };

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
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Get',
						value: 'get',
						action: 'Get a model',
						description: 'Get one model by its slug',
					},
					{
						name: 'Get Many',
						value: 'getAll',
						action: 'Get many models',
						description: 'Get many models',
					},
				],
				default: 'getAll',
			},
			{
				...modelLocator('searchModels', 'The model to get, e.g. scailabs/poolnoodle-omni'),
				displayOptions: { show: { operation: ['get'] } },
			},
			{
				displayName: 'Return All',
				name: 'returnAll',
				type: 'boolean',
				default: false,
				description: 'Whether to return all results or only up to a given limit',
				displayOptions: { show: { operation: ['getAll'] } },
			},
			{
				displayName: 'Limit',
				name: 'limit',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 50,
				description: 'Max number of results to return',
				displayOptions: { show: { operation: ['getAll'], returnAll: [false] } },
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				displayOptions: { show: { operation: ['getAll'] } },
				options: [
					{
						displayName: 'Modality',
						name: 'modality',
						type: 'options',
						options: [
							{ name: 'Audio', value: 'audio' },
							{ name: 'Chat', value: 'chat' },
							{ name: 'Embedding', value: 'embedding' },
							{ name: 'Image', value: 'image' },
						],
						default: 'chat',
						description: 'Only models of this kind',
					},
					{
						displayName: 'Search',
						name: 'search',
						type: 'string',
						default: '',
						placeholder: 'e.g. gpt',
						description: 'Only models whose slug or display name contains this text (not case-sensitive)',
					},
					{
						displayName: 'Status',
						name: 'status',
						type: 'options',
						options: [
							{ name: 'Active', value: 'active' },
							{ name: 'Deprecated', value: 'deprecated' },
						],
						default: 'active',
						description: 'Only active or only deprecated models',
					},
				],
			},
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: true,
				description: 'Whether to return a simplified version of the response instead of the raw data',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [...retryOptionFields],
			},
		],
	};

	methods = {
		listSearch: {
			async searchModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				return await searchModels(this, undefined, filter);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const client = await ScaiGridClient.create(this);
		return await runItems(this, { outputs: 1, concurrency: CONCURRENCY }, async (i): Promise<ItemResult[]> => {
			const operation = this.getNodeParameter('operation', i) as string;
			const simplify = this.getNodeParameter('simplify', i, true) as boolean;
			const options = this.getNodeParameter('options', i, {}) as Options;
			const call: CallOptions = {
				retry: retryPolicyFor(this, options),
				timeoutMs: options.timeout ?? DEFAULT_TIMEOUT_MS,
			};

			let models: Model[];
			if (operation === 'get') {
				const slug = String(this.getNodeParameter('model', i, '', { extractValue: true })).trim();
				if (!slug) {
					// GET /v1/models/ would be a different endpoint: say what is missing instead.
					throw new NodeOperationError(this.getNode(), 'No model chosen', {
						description: 'Pick a model from the list or enter its slug, e.g. scailabs/poolnoodle-omni.',
						itemIndex: i,
					});
				}
				models = [(await explained(getModel(client, slug, call), slug)).data];
			} else {
				const filters = this.getNodeParameter('filters', i, {}) as Filters;
				const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
				const filter: ModelFilter = {};
				if (filters.modality) filter.modality = filters.modality;
				if (filters.status) filter.status = filters.status;
				const query = {
					filter,
					search: filters.search,
					limit: returnAll ? undefined : (this.getNodeParameter('limit', i, 50) as number),
				};
				models = await explained(collectModels(client, query, call));
			}
			return models.map((model) => ({ output: 0, json: simplify ? simplifyModel(model) : (model as IDataObject) }));
		});
	}
}
