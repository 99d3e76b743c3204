/**
 * `POST /v1/inference/images/generate` (docs §7.2): images as base64 (`b64_json`) or as links
 * to ScaiGrid's media proxy (`url`, expiring after about an hour).
 */
import { z } from 'zod/v4';

import type { CallOptions, ScaiGridClient } from '../../shared/transport/client';
import { usageSchema } from './usage';

export const imageResponseSchema = z
	.object({
		data: z
			.array(
				z
					.object({
						url: z.string().optional(),
						b64_json: z.string().optional(),
						revised_prompt: z.string().nullable().optional(),
					})
					.loose()
					.refine(
						(image) => image.url !== undefined || image.b64_json !== undefined,
						'has neither url nor b64_json',
					),
			)
			.min(1),
		model: z.string().optional(),
		usage: usageSchema.optional(),
	})
	.loose();
export type ImageResponse = z.infer<typeof imageResponseSchema>;

export interface ImageRequest {
	model: string;
	prompt: string;
	n?: number;
	size?: string;
	quality?: string;
	style?: string;
	response_format: 'url' | 'b64_json';
}

export async function generateImages(
	client: ScaiGridClient,
	request: ImageRequest,
	call: CallOptions,
) {
	const body: Record<string, string | number> = {
		model: request.model,
		prompt: request.prompt,
		response_format: request.response_format,
	};
	for (const key of ['n', 'size', 'quality', 'style'] as const) {
		const value = request[key];
		if (value !== undefined && value !== '') body[key] = value;
	}
	return await client.post('/v1/inference/images/generate', imageResponseSchema, { ...call, body });
}
