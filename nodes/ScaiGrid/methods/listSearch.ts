import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { searchModels } from '../../shared/api/models';

/** Model pickers per modality: GET /v1/models?modality=... (docs/scaigrid-api.md §3, §7). */
export async function searchEmbeddingModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await searchModels(this, 'embedding', filter);
}

export async function searchImageModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await searchModels(this, 'image', filter);
}

/** Transcription and speech models share the `audio` modality; their descriptions say which is which. */
export async function searchAudioModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await searchModels(this, 'audio', filter);
}
