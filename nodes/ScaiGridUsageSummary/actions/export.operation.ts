import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ItemResult } from '../../shared/execution/itemRunner';
import type { ExportFormat } from '../api/export';
import { exportRecords } from '../api/export';
import { iso } from '../report/range';
import { readFilters, readRange } from './common';
import type { Run } from './router';

const properties: INodeProperties[] = [
	{
		displayName: 'Format',
		name: 'format',
		type: 'options',
		default: 'csv',
		options: [
			{ name: 'CSV', value: 'csv' },
			{ name: 'JSON', value: 'json' },
			{ name: 'NDJSON', value: 'ndjson', description: 'One JSON record per line' },
		],
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
	},
];

export const description = updateDisplayOptions({ show: { operation: ['export'] } }, properties);

export async function execute(this: IExecuteFunctions, i: number, run: Run): Promise<ItemResult[]> {
	const { range } = readRange.call(this, i, run);
	const format = this.getNodeParameter('format', i, 'csv') as ExportFormat;
	const property =
		(this.getNodeParameter('binaryPropertyName', i, 'data') as string).trim() || 'data';
	const file = await exportRecords(run.client, range, format, readFilters.call(this, i), run.call);
	const binary = await this.helpers.prepareBinaryData(
		Buffer.from(file.text, 'utf8'),
		file.fileName,
		file.mimeType,
	);
	const json = {
		format,
		records: file.records,
		fileName: file.fileName,
		rangeStart: iso(range.startMs),
		rangeEnd: iso(range.endMs),
		requestId: file.requestId ?? null,
	};
	return [{ output: 0, json, binary: { [property]: binary } }];
}
