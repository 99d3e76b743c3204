import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { searchModels as searchAllModels } from '../../shared/api/models';

/** The Get operation's model picker: every model the key can see, of any modality. */
export async function searchModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await searchAllModels(this, undefined, filter);
}
