import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { itemJson } from '../../shared/api/itemJson';
import type { ItemResult } from '../../shared/execution/itemRunner';
import { recordPages, simplifyRecord } from '../api/records';
import { readFilters, readRange } from './common';
import type { Run } from './router';
import { returnAllFields, simplifyField } from '../../shared/descriptions';

const properties: INodeProperties[] = [...returnAllFields, simplifyField];

export const description = updateDisplayOptions(
	{ show: { operation: ['getRecords'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, i: number, run: Run): Promise<ItemResult[]> {
	const { range } = readRange.call(this, i, run);
	const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
	const limit = returnAll
		? undefined
		: Math.max(1, Math.trunc(this.getNodeParameter('limit', i, 50) as number));
	const simplify = this.getNodeParameter('simplify', i, true) as boolean;
	const query = { range, filters: readFilters.call(this, i), limit };
	const results: ItemResult[] = [];
	// Each page becomes items as it arrives, so its records are not all held twice at the end.
	for await (const records of recordPages(run.client, query, run.call)) {
		for (const record of records) {
			results.push({ output: 0, json: simplify ? simplifyRecord(record) : itemJson(record) });
		}
	}
	return results;
}
