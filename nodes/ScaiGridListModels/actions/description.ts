/**
 * The node's parameters: the operation, each operation's own (in its <op>.operation.ts) and
 * those both share.
 */
import type { INodeProperties } from 'n8n-workflow';

import { callOptionFields, optionsCollection, simplifyField } from '../../shared/descriptions';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const properties: INodeProperties[] = [
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
	...get.description,
	...getAll.description,
	simplifyField,
	optionsCollection(callOptionFields),
];
