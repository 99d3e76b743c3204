/**
 * Audio (docs §7.3, §7.4): transcription takes a multipart upload and answers with the envelope
 * or, for text/SRT/VTT, possibly plain text [ours: accept both]; speech answers with audio bytes.
 */
import { z } from 'zod/v4';

import type { CallOptions, MediaResult, ScaiGridClient } from '../../shared/transport/client';
import type { MultipartFile } from '../../shared/transport/multipart';
import { encodeMultipart } from '../../shared/transport/multipart';
import { ScaiGridError } from '../../shared/transport/errors';
import { usageSchema } from './usage';

export const transcriptSchema = z
	.object({
		text: z.string(),
		language: z.string().nullable().optional(),
		duration: z.number().nullable().optional(),
		segments: z.array(z.object({}).loose()).optional(),
		words: z.array(z.object({}).loose()).optional(),
		usage: usageSchema.optional(),
	})
	.loose();
export type Transcript = z.infer<typeof transcriptSchema>;

export type TranscriptFormat = 'json' | 'text' | 'verbose_json' | 'srt' | 'vtt';

export interface TranscribeRequest {
	model: string;
	file: MultipartFile;
	language?: string;
	prompt?: string;
	temperature?: number;
	responseFormat: TranscriptFormat;
	timestampGranularities?: string[];
}

export async function transcribe(
	client: ScaiGridClient,
	request: TranscribeRequest,
	call: CallOptions,
): Promise<MediaResult<Transcript>> {
	const multipart = encodeMultipart(
		{
			model: request.model,
			language: request.language,
			prompt: request.prompt,
			temperature: request.temperature === undefined ? undefined : String(request.temperature),
			response_format: request.responseFormat,
			'timestamp_granularities[]': request.timestampGranularities,
		},
		request.file,
	);
	return await client.postMedia('/v1/inference/audio/transcribe', transcriptSchema, {
		...call,
		multipart,
	});
}

export interface SpeechRequest {
	model: string;
	input: string;
	voice?: string;
	response_format?: string;
	speed?: number;
}

/** Any JSON ScaiGrid may send in place of audio: read only to say what came instead. */
const anyJsonSchema = z.unknown();

export interface Speech {
	audio: Buffer;
	contentType: string;
	requestId?: string;
	attempts: number;
}

/**
 * The spoken text as audio bytes [doc]. A success that is JSON (or empty) is not audio: it fails
 * with what came instead, so the user can tell a wrong model or a rewriting proxy from a bug.
 */
export async function synthesize(
	client: ScaiGridClient,
	request: SpeechRequest,
	call: CallOptions,
): Promise<Speech> {
	const answer = await client.postMedia('/v1/inference/audio/synthesize', anyJsonSchema, {
		...call,
		body: { ...request },
	});
	if (answer.body && answer.body.length > 0) {
		return {
			audio: answer.body,
			contentType: answer.contentType,
			requestId: answer.requestId,
			attempts: answer.attempts,
		};
	}
	const error = new ScaiGridError({
		code: 'INVALID_RESPONSE',
		requestId: answer.requestId,
		message: answer.body
			? 'ScaiGrid answered with no audio: the answer was empty'
			: `ScaiGrid answered with JSON where audio was expected (${describeJson(answer.data)})`,
		hint: `Speech comes back as an audio file. Check that ${request.model} is a speech model (e.g. openai/tts-1), and that no proxy between n8n and ScaiGrid rewrites the answer; if both are right, report the request ID to your ScaiGrid admin.`,
	});
	error.attempts = answer.attempts;
	throw error;
}

/** A short account of a JSON value: its fields, not its contents (they may be long). */
function describeJson(data: unknown): string {
	if (data === undefined || data === null) return 'the envelope has no data';
	if (typeof data !== 'object') return `data is a ${typeof data}`;
	if (Array.isArray(data)) return `data is a list of ${data.length}`;
	const keys = Object.keys(data);
	return keys.length
		? `data has ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}`
		: 'data is an empty object';
}
