import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ItemResult } from '../../shared/execution/itemRunner';
import type { ModelFilter } from '../../shared/api/models';
import { explainDenied } from '../../shared/api/permissions';
import { collectModels } from '../collect';
import { modelItem } from '../simplify';
import type { Run } from './router';
import { MODELS_PERMISSION } from './router';
import { returnAllFields } from '../../shared/descriptions';

const properties: INodeProperties[] = [
	...returnAllFields,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
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
				description:
					'Only models whose slug or display name contains this text (not case-sensitive)',
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
];

export const description = updateDisplayOptions({ show: { operation: ['getAll'] } }, properties);

interface Filters {
	modality?: string;
	search?: string;
	status?: string;
}

export async function execute(this: IExecuteFunctions, i: number, run: Run): Promise<ItemResult[]> {
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
	const models = await explainDenied(MODELS_PERMISSION, collectModels(run.client, query, run.call));
	const simplify = this.getNodeParameter('simplify', i, true) as boolean;
	return models.map((model) => ({ output: 0, json: modelItem(model, simplify) }));
}
