import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { searchModels } from '../../shared/api/models';

/** The model picker: the chat models the key can see. */
export async function searchChatModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await searchModels(this, 'chat', filter);
}
