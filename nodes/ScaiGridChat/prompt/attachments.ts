/**
 * The Attachments parameter → content parts: binary fields of the item as `image_base64` /
 * `audio_base64`, URLs as `image_url` / `audio_url`. The MIME type and size are checked before
 * anything is sent, so a PDF passed as an image fails with a message, not a 422.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { ReadParameter } from '../../shared/execution/parameters';
import { directReader } from '../../shared/execution/parameters';
import type { ContentPart } from './messages';
import { fail } from './fail';

type Source = 'binaryImage' | 'binaryAudio' | 'imageUrl' | 'audioUrl';

interface AttachmentParameter {
	source: Source;
	binaryProperty?: string;
	url?: string;
	detail?: 'auto' | 'low' | 'high';
}

const ACCEPTED: Record<'image' | 'audio', string[]> = {
	image: ['image/png', 'image/jpeg', 'image/gif', 'image/webp'],
	audio: [
		'audio/wav',
		'audio/x-wav',
		'audio/wave',
		'audio/mpeg',
		'audio/mp3',
		'audio/mp4',
		'audio/m4a',
		'audio/x-m4a',
		'audio/ogg',
		'audio/webm',
		'audio/flac',
	],
};

/** "812 bytes", "3.9 KB", "20.0 MB": a limit below 1 MB must not read as "0 MB". */
function formatSize(bytes: number): string {
	if (bytes < 1024) return `${Math.floor(bytes)} bytes`;
	if (bytes < 1_048_576) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

async function binaryPart(
	ctx: IExecuteFunctions,
	itemIndex: number,
	kind: 'image' | 'audio',
	attachment: AttachmentParameter,
	maxBytes: number,
): Promise<ContentPart> {
	const property = (attachment.binaryProperty ?? 'data').trim();
	const binary = ctx.helpers.assertBinaryData(itemIndex, property);
	const mimeType = (binary.mimeType ?? '').split(';')[0].trim().toLowerCase();
	if (!ACCEPTED[kind].includes(mimeType)) {
		fail(
			ctx,
			itemIndex,
			`The binary field "${property}" is ${mimeType || 'of unknown type'}, not ${kind === 'image' ? 'an image' : 'audio'}`,
			`${kind === 'image' ? 'Images' : 'Audio'} must be one of: ${ACCEPTED[kind].join(', ')}.${binary.fileName ? ` File: ${binary.fileName}.` : ''}`,
		);
	}
	const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	if (buffer.length > maxBytes) {
		fail(
			ctx,
			itemIndex,
			`The file in "${property}" is ${formatSize(buffer.length)}, above the ${formatSize(maxBytes)} limit`,
			'Shrink the file or raise "Max Attachment Size (MB)" in the options.',
		);
	}
	const data = buffer.toString('base64');
	return kind === 'image'
		? { type: 'image_base64', image_base64: { data, media_type: mimeType } }
		: { type: 'audio_base64', audio_base64: { data, media_type: mimeType } };
}

function urlPart(
	ctx: IExecuteFunctions,
	itemIndex: number,
	kind: 'image' | 'audio',
	attachment: AttachmentParameter,
): ContentPart {
	const url = (attachment.url ?? '').trim();
	if (!/^(https?:\/\/|data:)/i.test(url)) {
		fail(
			ctx,
			itemIndex,
			`The ${kind} URL "${url}" is not an http(s) URL`,
			'Give a full URL starting with https://.',
		);
	}
	return kind === 'image'
		? { type: 'image_url', image_url: { url, detail: attachment.detail ?? 'auto' } }
		: { type: 'audio_url', audio_url: { url } };
}

export async function buildAttachmentParts(
	ctx: IExecuteFunctions,
	itemIndex: number,
	maxAttachmentMb: number,
	param: ReadParameter = directReader(ctx),
): Promise<ContentPart[]> {
	const attachments = param<AttachmentParameter[]>('attachments.attachment', itemIndex, []);
	const maxBytes = maxAttachmentMb * 1_048_576;
	const parts: ContentPart[] = [];
	for (const attachment of attachments) {
		switch (attachment.source) {
			case 'binaryImage':
				parts.push(await binaryPart(ctx, itemIndex, 'image', attachment, maxBytes));
				break;
			case 'binaryAudio':
				parts.push(await binaryPart(ctx, itemIndex, 'audio', attachment, maxBytes));
				break;
			case 'imageUrl':
				parts.push(urlPart(ctx, itemIndex, 'image', attachment));
				break;
			case 'audioUrl':
				parts.push(urlPart(ctx, itemIndex, 'audio', attachment));
				break;
		}
	}
	return parts;
}
