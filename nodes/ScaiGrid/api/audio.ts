/**
 * Audio (docs §7.3, §7.4): transcription takes a multipart upload and answers with the envelope
 * or, for text/SRT/VTT, possibly plain text [ours: accept both]; speech answers with audio bytes.
 */
import { z } from 'zod/v4';

import type { CallOptions, MediaResult, ScaiGridClient } from '../../shared/transport/client';
import type { MultipartFile } from '../../shared/transport/multipart';
import { encodeMultipart } from '../../shared/transport/multipart';
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
	return await client.postMedia('/v1/inference/audio/transcribe', transcriptSchema, { ...call, multipart });
}

export interface SpeechRequest {
	model: string;
	input: string;
	voice?: string;
	response_format?: string;
	speed?: number;
}

/** An answer that is JSON instead of audio does not fit: speech is bytes [doc, unchecked]. */
const notAudioSchema = z.never();

export async function synthesize(client: ScaiGridClient, request: SpeechRequest, call: CallOptions): Promise<MediaResult<never>> {
	return await client.postMedia('/v1/inference/audio/synthesize', notAudioSchema, { ...call, body: { ...request } });
}
