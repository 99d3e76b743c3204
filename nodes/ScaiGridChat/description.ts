/** The Chat node's parameters, in the order the editor shows them. */
import type { INodeProperties } from 'n8n-workflow';

import { modelLocator, optionsCollection, simplifyField } from '../shared/descriptions';
import { optionFields } from './options';
import { attachmentProperties, promptProperties } from './prompt/properties';
import { structuredProperties } from './structured/properties';
import { toolsProperty } from './tools/properties';

export const properties: INodeProperties[] = [
	modelLocator(
		'searchChatModels',
		'The chat model to use. The list shows every chat model your key can use.',
	),
	...promptProperties,
	...attachmentProperties,
	toolsProperty,
	...structuredProperties,
	simplifyField,
	optionsCollection(optionFields),
];
