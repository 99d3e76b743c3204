/**
 * Image → Generate (docs/scaigrid-api.md §7.2): one request per item; the images come back as
 * binary files on the item (asked for as `b64_json`), or as links to ScaiGrid's media proxy,
 * which expire after about an hour.
 */
import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ItemResult } from '../../../shared/execution/itemRunner';
import { modelLocator } from '../../../shared/descriptions';
import { generateImages } from '../../api/images';
import type { Run } from '../router';
import {
	callOptions,
	fileStamp,
	modelOf,
	operationOptions,
	outputField,
	outputFieldOption,
	requiredText,
	usageAndCost,
} from '../common';

/** Image calls take seconds each; a few at once, paced by the key's limit. */
const CONCURRENCY = 4;

export const URL_EXPIRY_NOTE =
	'Image URLs point at ScaiGrid’s media proxy and expire after about an hour: download them (e.g. HTTP Request node) if you keep them.';

const properties: INodeProperties[] = [
	modelLocator('searchImageModels', 'The image model, e.g. openai/dall-e-3'),
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		placeholder: 'e.g. A ceramic mug on a wooden table, soft morning light, product photo',
		description: 'What the image should show',
	},
	{
		displayName: 'Return',
		name: 'returnAs',
		type: 'options',
		default: 'binary',
		options: [
			{
				name: 'Binary Files',
				value: 'binary',
				description: 'The images as files on the item (PNG), ready to upload or attach',
			},
			{
				name: 'URLs',
				value: 'url',
				description: 'Links to ScaiGrid’s media proxy; they expire after about an hour',
			},
		],
	},
	operationOptions([
		{
			displayName: 'Number of Images',
			name: 'n',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10 },
			default: 1,
			description:
				'How many images to generate for the item (some models make one per request only)',
		},
		outputFieldOption(
			'Put Output Files in Field',
			'The first image goes in this field, the next ones in data_1, data_2…',
		),
		{
			displayName: 'Quality',
			name: 'quality',
			type: 'options',
			default: 'standard',
			options: [
				{ name: 'Standard', value: 'standard' },
				{ name: 'HD', value: 'hd', description: 'Finer detail; costs more' },
			],
		},
		{
			displayName: 'Size',
			name: 'size',
			type: 'string',
			default: '1024x1024',
			placeholder: 'e.g. 1024x1024',
			description:
				'Width x height in pixels; which sizes a model takes depends on the model (e.g. DALL-E 3: 1024x1024, 1792x1024, 1024x1792)',
		},
		{
			displayName: 'Style',
			name: 'style',
			type: 'options',
			default: 'vivid',
			options: [
				{ name: 'Vivid', value: 'vivid' },
				{ name: 'Natural', value: 'natural' },
			],
			description: 'For models that have styles (DALL-E 3)',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['image'], operation: ['generate'] } },
	properties,
);

interface ImageOptions {
	n?: number;
	size?: string;
	quality?: string;
	style?: string;
	binaryPropertyName?: string;
}

export function concurrency(): number {
	return CONCURRENCY;
}

/** PNG, JPEG or WebP from the first bytes; PNG when unsure (the format ScaiGrid sends by default). */
function imageType(bytes: Buffer): { mimeType: string; extension: string } {
	if (bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])))
		return { mimeType: 'image/jpeg', extension: 'jpg' };
	if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP')
		return { mimeType: 'image/webp', extension: 'webp' };
	return { mimeType: 'image/png', extension: 'png' };
}

export async function execute(this: IExecuteFunctions, i: number, run: Run): Promise<ItemResult[]> {
	const model = modelOf(this, i, 'openai/dall-e-3');
	const prompt = requiredText(this, i, 'prompt', 'The prompt', 'Say what the image should show.');
	const returnAs = this.getNodeParameter('returnAs', i, 'binary') as 'binary' | 'url';
	const options = this.getNodeParameter('options', i, {}) as ImageOptions;
	const answer = await generateImages(
		run.client,
		{
			model,
			prompt,
			n: options.n,
			size: options.size?.trim(),
			quality: options.quality,
			style: options.style,
			response_format: returnAs === 'url' ? 'url' : 'b64_json',
		},
		callOptions(this, i),
	);
	const property = outputField(options);
	const stamp = fileStamp(answer.requestId, i);
	const binary: IBinaryKeyData = {};
	const images: IDataObject[] = [];
	for (const [k, image] of answer.data.data.entries()) {
		const entry: IDataObject = {};
		if (returnAs === 'binary' && image.b64_json !== undefined) {
			const bytes = Buffer.from(image.b64_json, 'base64');
			const { mimeType, extension } = imageType(bytes);
			const field = k === 0 ? property : `${property}_${k}`;
			const fileName = `scaigrid-image-${stamp}-${k + 1}.${extension}`;
			binary[field] = await this.helpers.prepareBinaryData(bytes, fileName, mimeType);
			Object.assign(entry, { binaryProperty: field, fileName, mimeType, bytes: bytes.length });
		} else if (image.url !== undefined) {
			entry.url = image.url;
		}
		if (image.revised_prompt) entry.revisedPrompt = image.revised_prompt;
		images.push(entry);
	}
	if (returnAs === 'url') run.notes.add(URL_EXPIRY_NOTE);
	const json: IDataObject = {
		images,
		count: images.length,
		model: answer.data.model ?? model,
		prompt,
		...(returnAs === 'url' ? { urlsExpire: 'after about an hour' } : {}),
		...usageAndCost(answer.data.usage, await run.prices(model)),
		requestId: answer.requestId ?? null,
		attempts: answer.attempts,
	};
	return [{ output: 0, json, ...(Object.keys(binary).length ? { binary } : {}) }];
}
