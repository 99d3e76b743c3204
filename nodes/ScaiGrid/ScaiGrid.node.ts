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

export class ScaiGrid implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ScaiGrid',
		name: 'scaiGrid',
		icon: { light: 'file:../../icons/scaigrid.svg', dark: 'file:../../icons/scaigrid.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ { embedding: "Create embeddings", image: "Generate an image", audio: $parameter["operation"] === "transcribe" ? "Transcribe audio" : "Generate speech" }[$parameter["resource"]] }}',
		description:
			'ScaiGrid beyond chat: embeddings of texts (batched), images generated from a prompt, audio transcribed to text or subtitles, and text turned into speech',
		defaults: { name: 'ScaiGrid' },
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
