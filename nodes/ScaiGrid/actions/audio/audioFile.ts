/**
 * The audio file of an item for Transcribe, checked before anything is sent: a format ScaiGrid
 * takes (by file extension or MIME type) and a size within the limit (from n8n's metadata
 * first, so an oversize file is not even read, then from the bytes).
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** [ours] The formats and the 25 MB limit of the OpenAI shape ScaiGrid mirrors; the docs name none. */
export const AUDIO_EXTENSIONS = [
	'flac',
	'm4a',
	'mp3',
	'mp4',
	'mpeg',
	'mpga',
	'oga',
	'ogg',
	'wav',
	'webm',
];
const AUDIO_MIME_TYPES = [
	'audio/flac',
	'audio/x-flac',
	'audio/m4a',
	'audio/x-m4a',
	'audio/mp4',
	'audio/mpeg',
	'audio/mp3',
	'audio/mpga',
	'audio/ogg',
	'audio/wav',
	'audio/x-wav',
	'audio/wave',
	'audio/vnd.wave',
	'audio/webm',
	'video/mp4',
	'video/mpeg',
	'video/webm',
];
export const DEFAULT_MAX_FILE_MB = 25;

export interface AudioFile {
	fileName: string;
	mimeType: string;
	data: Buffer;
}

function formatSize(bytes: number): string {
	if (bytes < 1024) return `${bytes} bytes`;
	if (bytes < 1_048_576) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

/** The item's file in `property`, or an item error saying why it was not sent. */
export async function readAudioFile(
	ctx: IExecuteFunctions,
	i: number,
	property: string,
	maxFileSizeMb = DEFAULT_MAX_FILE_MB,
): Promise<AudioFile> {
	const binary = ctx.helpers.assertBinaryData(i, property);
	const fileName = binary.fileName ?? `audio.${binary.fileExtension ?? 'bin'}`;
	const extension = (binary.fileExtension ?? fileName.split('.').pop() ?? '').toLowerCase();
	const mimeType = (binary.mimeType ?? '').split(';')[0].trim().toLowerCase();
	if (!AUDIO_EXTENSIONS.includes(extension) && !AUDIO_MIME_TYPES.includes(mimeType)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The file in "${property}" is not audio ScaiGrid can transcribe`,
			{
				itemIndex: i,
				description: `It is ${mimeType || 'of unknown type'} (${fileName}). Formats taken: ${AUDIO_EXTENSIONS.join(', ')}. Nothing was sent.`,
			},
		);
	}
	const maxBytes = Math.round(maxFileSizeMb * 1_048_576);
	const tooLarge = (bytes: number) =>
		new NodeOperationError(
			ctx.getNode(),
			`The audio file is ${formatSize(bytes)}, above the ${formatSize(maxBytes)} limit`,
			{
				itemIndex: i,
				description: `Nothing was sent. Split or compress the recording (e.g. mono MP3 at 64 kb/s), or raise "Max File Size (MB)" if your ScaiGrid takes larger files. File: ${fileName}.`,
			},
		);
	if (typeof binary.bytes === 'number' && binary.bytes > maxBytes) throw tooLarge(binary.bytes);
	const data = await ctx.helpers.getBinaryDataBuffer(i, property);
	if (data.length > maxBytes) throw tooLarge(data.length);
	return { fileName, mimeType, data };
}
