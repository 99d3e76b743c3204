/**
 * Audio → Transcribe (docs/scaigrid-api.md §7.3): the item's audio file, checked for format and
 * size before anything is sent, uploaded as multipart/form-data; the transcript as text, JSON
 * (verbose: segments and words) or subtitles (SRT, VTT).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ItemResult } from '../../../shared/execution/itemRunner';
import { modelLocator } from '../../../shared/descriptions';
import type { TranscriptFormat } from '../../api/audio';
import { transcribe } from '../../api/audio';
import type { Run } from '../router';
import { callOptions, modelOf, operationOptions, usageAndCost } from '../common';
import { AUDIO_EXTENSIONS, DEFAULT_MAX_FILE_MB, readAudioFile } from './audioFile';

const CONCURRENCY = 4;

const properties: INodeProperties[] = [
	modelLocator('searchAudioModels', 'The transcription model, e.g. openai/whisper-1'),
	{
		displayName: 'Input Data Field Name',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field holding the audio file',
		description: `Formats: ${AUDIO_EXTENSIONS.join(', ')}`,
	},
	{
		displayName: 'Output Format',
		name: 'responseFormat',
		type: 'options',
		default: 'json',
		options: [
			{ name: 'JSON', value: 'json', description: 'The transcript text and its language' },
			{ name: 'SRT Subtitles', value: 'srt' },
			{ name: 'Text', value: 'text', description: 'The transcript only' },
			{
				name: 'Verbose JSON',
				value: 'verbose_json',
				description: 'Text, language, duration and timed segments (and words, if asked)',
			},
			{ name: 'WebVTT Subtitles', value: 'vtt' },
		],
	},
	operationOptions([
		{
			displayName: 'Language',
			name: 'language',
			type: 'string',
			default: '',
			placeholder: 'e.g. en',
			description:
				'The spoken language as an ISO-639-1 code; helps accuracy and speed. Empty = detected.',
		},
		{
			displayName: 'Max File Size (MB)',
			name: 'maxFileSizeMb',
			type: 'number',
			typeOptions: { minValue: 0.001 },
			default: DEFAULT_MAX_FILE_MB,
			description:
				'Larger files fail before they are sent. 25 MB is the usual limit; a self-hosted ScaiGrid may differ.',
		},
		{
			displayName: 'Prompt',
			name: 'prompt',
			type: 'string',
			default: '',
			description:
				'Text that guides the style or spelling (names, jargon), or continues a previous part',
		},
		{
			displayName: 'Temperature',
			name: 'temperature',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 0,
			description:
				'Sampling temperature from 0 to 1: higher is more varied, 0 lets the model choose',
		},
		{
			displayName: 'Timestamps',
			name: 'timestampGranularities',
			type: 'multiOptions',
			default: [],
			options: [
				{ name: 'Segment', value: 'segment' },
				{ name: 'Word', value: 'word' },
			],
			description: 'With Verbose JSON: which timings to return',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['audio'], operation: ['transcribe'] } },
	properties,
);

interface TranscribeOptions {
	language?: string;
	prompt?: string;
	temperature?: number;
	timestampGranularities?: string[];
	maxFileSizeMb?: number;
}

export function concurrency(): number {
	return CONCURRENCY;
}

export async function execute(this: IExecuteFunctions, i: number, run: Run): Promise<ItemResult[]> {
	const model = modelOf(this, i, 'openai/whisper-1');
	const property = String(this.getNodeParameter('binaryPropertyName', i, 'data')).trim() || 'data';
	const format = this.getNodeParameter('responseFormat', i, 'json') as TranscriptFormat;
	const options = this.getNodeParameter('options', i, {}) as TranscribeOptions;
	const { fileName, mimeType, data } = await readAudioFile(
		this,
		i,
		property,
		options.maxFileSizeMb,
	);
	const answer = await transcribe(
		run.client,
		{
			model,
			file: { field: 'file', fileName, contentType: mimeType || 'application/octet-stream', data },
			language: options.language?.trim() || undefined,
			prompt: options.prompt || undefined,
			temperature: options.temperature ? options.temperature : undefined,
			responseFormat: format,
			timestampGranularities:
				format === 'verbose_json' && options.timestampGranularities?.length
					? options.timestampGranularities
					: undefined,
		},
		callOptions(this, i),
	);
	const json: IDataObject = {};
	const transcript = answer.data;
	if (transcript) {
		json.text = transcript.text;
		if (transcript.language) json.language = transcript.language;
		if (transcript.duration !== undefined && transcript.duration !== null)
			json.duration = transcript.duration;
		if (transcript.segments) json.segments = transcript.segments as IDataObject[];
		if (transcript.words) json.words = transcript.words as IDataObject[];
	} else {
		// text, SRT and VTT may come as the file itself [ours].
		json.text = (answer.body ?? Buffer.alloc(0))
			.toString('utf8')
			.replace(/\n$/, format === 'text' ? '' : '\n');
	}
	const usage = transcript?.usage;
	Object.assign(json, {
		format,
		fileName,
		model,
		...(usage
			? usageAndCost(usage, await run.prices(model))
			: {
					cost: null,
					costDecimal: null,
					costNote:
						'ScaiGrid reports no usage with this output format; the cost is in the Usage Summary node',
				}),
		requestId: answer.requestId ?? null,
		attempts: answer.attempts,
	});
	return [{ output: 0, json }];
}
