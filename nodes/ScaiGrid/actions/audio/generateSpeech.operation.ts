/**
 * Audio → Generate Speech (docs/scaigrid-api.md §7.4): text in, an audio file out on the item.
 * The answer is raw audio bytes; errors are still the JSON error envelope, and a JSON success
 * is an error saying so (api/audio.ts).
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ItemResult } from '../../../shared/execution/itemRunner';
import { modelLocator } from '../../../shared/descriptions';
import { synthesize } from '../../api/audio';
import type { Run } from '../router';
import {
	callOptions,
	fileStamp,
	modelOf,
	operationOptions,
	outputField,
	outputFieldOption,
	requiredText,
} from '../common';

const CONCURRENCY = 4;

const MIME_TYPES: Record<string, string> = {
	mp3: 'audio/mpeg',
	opus: 'audio/opus',
	aac: 'audio/aac',
	flac: 'audio/flac',
	wav: 'audio/wav',
	pcm: 'audio/pcm',
};

const properties: INodeProperties[] = [
	modelLocator('searchAudioModels', 'The speech model, e.g. openai/tts-1'),
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		description: 'The text to speak',
	},
	{
		displayName: 'Voice',
		name: 'voice',
		type: 'options',
		default: 'alloy',
		// [ours] the OpenAI voices; a model may have others: pick "Expression" to send any name.
		options: [
			{ name: 'Alloy', value: 'alloy' },
			{ name: 'Echo', value: 'echo' },
			{ name: 'Fable', value: 'fable' },
			{ name: 'Nova', value: 'nova' },
			{ name: 'Onyx', value: 'onyx' },
			{ name: 'Shimmer', value: 'shimmer' },
		],
	},
	operationOptions([
		{
			displayName: 'Format',
			name: 'format',
			type: 'options',
			default: 'mp3',
			options: [
				{ name: 'AAC', value: 'aac' },
				{ name: 'FLAC', value: 'flac' },
				{ name: 'MP3', value: 'mp3' },
				{ name: 'Opus', value: 'opus' },
				{ name: 'PCM (Raw Samples)', value: 'pcm' },
				{ name: 'WAV', value: 'wav' },
			],
		},
		outputFieldOption('Put Output File in Field'),
		{
			displayName: 'Speed',
			name: 'speed',
			type: 'number',
			typeOptions: { minValue: 0.25, maxValue: 4, numberPrecision: 2 },
			default: 1,
			description: 'From 0.25 to 4; 1 is normal speed',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['audio'], operation: ['generateSpeech'] } },
	properties,
);

interface SpeechOptions {
	format?: string;
	speed?: number;
	binaryPropertyName?: string;
}

export function concurrency(): number {
	return CONCURRENCY;
}

/** The extension for a Content-Type ScaiGrid sent, else the format asked for. */
function extensionFor(contentType: string, format: string): string {
	const type = contentType.split(';')[0].trim().toLowerCase();
	const known = Object.entries(MIME_TYPES).find(([, mime]) => mime === type);
	if (known) return known[0];
	if (type === 'audio/x-wav' || type === 'audio/wave') return 'wav';
	return format;
}

export async function execute(this: IExecuteFunctions, i: number, run: Run): Promise<ItemResult[]> {
	const model = modelOf(this, i, 'openai/tts-1');
	const text = requiredText(this, i, 'text', 'The text to speak', 'Only this item failed.');
	const voice = String(this.getNodeParameter('voice', i, 'alloy'));
	const options = this.getNodeParameter('options', i, {}) as SpeechOptions;
	const format = options.format ?? 'mp3';
	const speech = await synthesize(
		run.client,
		{
			model,
			input: text,
			voice,
			response_format: format,
			...(options.speed !== undefined && options.speed !== 1 ? { speed: options.speed } : {}),
		},
		callOptions(this, i),
	);
	const extension = extensionFor(speech.contentType, format);
	const mimeType =
		speech.contentType.split(';')[0].trim() || MIME_TYPES[format] || 'application/octet-stream';
	const fileName = `scaigrid-speech-${fileStamp(speech.requestId, i)}.${extension}`;
	const binary = await this.helpers.prepareBinaryData(speech.audio, fileName, mimeType);
	return [
		{
			output: 0,
			json: {
				model,
				voice,
				format: extension,
				mimeType,
				bytes: speech.audio.length,
				characters: text.length,
				fileName,
				requestId: speech.requestId ?? null,
				attempts: speech.attempts,
			},
			binary: { [outputField(options)]: binary },
		},
	];
}
