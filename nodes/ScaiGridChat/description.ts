/** The Chat node's parameters, in the order the editor shows them. */
import type { INodeProperties } from 'n8n-workflow';

import { modelLocator } from '../shared/descriptions';
import { optionFields } from './options';
import { attachmentProperties, promptProperties } from './prompt/properties';
import { structuredProperties } from './structured/properties';
import { toolsProperty } from './tools/properties';

export const properties: INodeProperties[] = [
	modelLocator('searchChatModels', 'The chat model to use. The list shows every chat model your key can use.'),
	...promptProperties,
	...attachmentProperties,
	toolsProperty,
	...structuredProperties,
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
		options: [...optionFields].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];
