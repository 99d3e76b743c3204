/** Input items for a run: plain objects or full items, and in-memory binary data. */

import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';

/** Plain objects become `{ json }`; objects that already have `json` are items (binary kept). */
export function toItems(items: IDataObject[] | INodeExecutionData[]): INodeExecutionData[] {
	return (items as Array<IDataObject | INodeExecutionData>).map((item, index) => {
		const isItem = typeof item === 'object' && item !== null && 'json' in item;
		const full = (
			isItem ? { ...(item as INodeExecutionData) } : { json: item as IDataObject }
		) as INodeExecutionData;
		full.pairedItem ??= { item: index };
		return full;
	});
}

/**
 * An in-memory binary property for an item, the shape n8n's 'default' binary mode uses:
 * `{ json: {}, binary: { image: binaryData(buffer, 'image/png', 'cat.png') } }`.
 */
export function binaryData(
	content: Buffer | string,
	mimeType: string,
	fileName?: string,
): IBinaryData {
	const buffer = typeof content === 'string' ? Buffer.from(content) : content;
	const extension = fileName?.includes('.') ? fileName.split('.').pop() : undefined;
	return {
		data: buffer.toString('base64'),
		mimeType,
		...(fileName && { fileName }),
		...(extension && { fileExtension: extension }),
		fileSize: `${buffer.length} B`,
		bytes: buffer.length,
	} as IBinaryData;
}
