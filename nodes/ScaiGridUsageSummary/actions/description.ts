/**
 * The node's parameters: the operation, the range and filters three operations share
 * (common.ts), each operation's own (its <op>.operation.ts) and one Options collection.
 */
import type { INodeProperties } from 'n8n-workflow';

import { callOptionFields, optionsCollection } from '../../shared/descriptions';
import { filtersDescription, rangeDescription } from './common';
import * as exportFile from './export.operation';
import * as getBudgets from './getBudgets.operation';
import * as getRecords from './getRecords.operation';
import * as getSummary from './getSummary.operation';

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'getSummary',
	options: [
		{
			name: 'Export',
			value: 'export',
			action: 'Export usage records as a file',
			description: 'CSV, NDJSON or JSON file of the raw records of a range, as binary data',
		},
		{
			name: 'Get Budgets',
			value: 'getBudgets',
			action: 'Get budgets and their utilisation',
			description: 'Each budget with its limits, current usage and utilisation in percent',
		},
		{
			name: 'Get Records',
			value: 'getRecords',
			action: 'Get usage records',
			description: 'Raw usage records: one item per inference call',
		},
		{
			name: 'Get Summary',
			value: 'getSummary',
			action: 'Get a usage summary',
			description: 'Requests, tokens and cost per model, user, backend or tenant',
		},
	],
};

const optionsProperty = optionsCollection([...getSummary.summaryOptionFields, ...callOptionFields]);

export const properties: INodeProperties[] = [
	operationProperty,
	...rangeDescription,
	...getSummary.description,
	...filtersDescription,
	...getRecords.description,
	...getBudgets.description,
	...exportFile.description,
	optionsProperty,
];
