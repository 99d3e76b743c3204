import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { ScaiGridError } from '../../shared/transport/errors';
import type { ItemResult } from '../../shared/execution/itemRunner';
import { getModel } from '../../shared/api/models';
import { explainDenied } from '../../shared/api/permissions';
import { modelLocator } from '../../shared/descriptions';
import { modelItem } from '../simplify';
import type { Run } from './router';
import { MODELS_PERMISSION } from './router';

const properties: INodeProperties[] = [
	modelLocator('searchModels', 'The model to get, e.g. scailabs/poolnoodle-omni'),
];

export const description = updateDisplayOptions({ show: { operation: ['get'] } }, properties);

/** ScaiGrid's message may not repeat the slug: the error names the one that was sent. */
async function namingSlug<T>(work: Promise<T>, slug: string): Promise<T> {
	return await work.catch(async (error: unknown) => {
		if (error instanceof ScaiGridError && error.code === 'MODEL_NOT_FOUND') {
			if (!error.message.includes(slug)) error.message = `${error.message} (slug "${slug}")`;
			error.hint = `The slug sent was "${slug}".`;
		}
		return await Promise.reject(error);
	});
}

export async function execute(this: IExecuteFunctions, i: number, run: Run): Promise<ItemResult[]> {
	const slug = String(this.getNodeParameter('model', i, '', { extractValue: true })).trim();
	if (!slug) {
		// GET /v1/models/ would be a different endpoint: say what is missing instead.
		throw new NodeOperationError(this.getNode(), 'No model chosen', {
			description: 'Pick a model from the list or enter its slug, e.g. scailabs/poolnoodle-omni.',
			itemIndex: i,
		});
	}
	const answer = await namingSlug(
		explainDenied(MODELS_PERMISSION, getModel(run.client, slug, run.call)),
		slug,
	);
	const simplify = this.getNodeParameter('simplify', i, true) as boolean;
	return [{ output: 0, json: modelItem(answer.data, simplify) }];
}
