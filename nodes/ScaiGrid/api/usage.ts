/**
 * Token usage beside a media answer [ours: the OpenAI shape, docs §7]: every field optional, as
 * embeddings report no completion tokens and some answers none at all.
 */
import { z } from 'zod/v4';

export const usageSchema = z
	.object({
		prompt_tokens: z.number().int().nonnegative().optional(),
		completion_tokens: z.number().int().nonnegative().optional(),
		total_tokens: z.number().int().nonnegative().optional(),
	})
	.loose();
export type MediaUsage = z.infer<typeof usageSchema>;
