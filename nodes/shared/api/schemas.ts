/**
 * Zod schemas of every ScaiGrid body the nodes read (docs/scaigrid-api.md). The TypeScript
 * types are inferred from them, so a shape lives in exactly one place.
 *
 * Written with the zod 4 API (`zod/v4`, inside the zod 3.25 n8n supplies). Tolerance rules from
 * the contract: objects are `loose` (new fields reach "raw" output),
 * optional fields are optional, and the [inferred] parts accept their documented alternatives.
 */
import { z } from 'zod/v4';

/**
 * Decimal amounts arrive as strings ("0.007275"); a number is tolerated. No transform to text
 * here: a zod transform per value doubles the cost of parsing 100,000 usage records. Readers
 * take the value through `decimalText` or shared/api/decimal.ts, which accept both.
 */
export const decimalString = z.union([z.string(), z.number()]);

/** A decimal field as the exact text the API sent (numbers printed as JavaScript prints them). */
export function decimalText(value: string | number): string;
export function decimalText(value: string | number | null | undefined): string | null;
export function decimalText(value: string | number | null | undefined): string | null {
	return value === null || value === undefined ? null : String(value);
}

// ---------------------------------------------------------------------------------------------
// Envelopes (docs/scaigrid-api.md §1)

export const errorDetailSchema = z
	.object({ field: z.string().optional(), message: z.string().optional() })
	.loose();

export const errorBodySchema = z
	.object({
		code: z.string(),
		message: z.string().optional(),
		retry_after: z.number().optional(),
		details: z.array(errorDetailSchema).optional(),
	})
	.loose();

export const metaSchema = z.object({ request_id: z.string().optional() }).loose();

export const paginationSchema = z
	.object({
		has_more: z.boolean().optional(),
		next_cursor: z.string().nullable().optional(),
	})
	.loose();

/** Any ScaiGrid reply: success has `data`, failure has `error`; `status` is optional in the docs. */
export const envelopeSchema = z
	.object({
		status: z.string().optional(),
		data: z.unknown().optional(),
		error: errorBodySchema.optional(),
		meta: metaSchema.optional(),
		pagination: paginationSchema.optional(),
	})
	.loose();

/** Lists come as `data.items` [doc] or, in some examples, as `data` itself: accept both. */
export function listItems(data: unknown): unknown[] | undefined {
	if (Array.isArray(data)) return data;
	if (data && typeof data === 'object' && Array.isArray((data as { items?: unknown }).items)) {
		return (data as { items: unknown[] }).items;
	}
	return undefined;
}

/**
 * A list whose items are validated later, by the caller: usage record pages, so the next page
 * can be requested before this one's records are read.
 */
export const rawListSchema = z.preprocess((data) => listItems(data) ?? data, z.array(z.unknown()));

// ---------------------------------------------------------------------------------------------
// Models (§3)

export const modelSchema = z
	.object({
		slug: z.string(),
		display_name: z.string().optional(),
		modality: z.string().optional(),
		context_window: z.number().int().nullable().optional(),
		max_output_tokens: z.number().int().nullable().optional(),
		status: z.string().optional(),
		health_status: z.string().optional(),
		active_backend_count: z.number().int().optional(),
		total_backend_count: z.number().int().optional(),
		description: z.string().nullable().optional(),
		input_price_per_mtok: decimalString.nullable().optional(),
		output_price_per_mtok: decimalString.nullable().optional(),
		default_params: z.record(z.string(), z.unknown()).nullable().optional(),
	})
	.loose();
export type Model = z.infer<typeof modelSchema>;

// ---------------------------------------------------------------------------------------------
// Chat (§4)

export const toolCallSchema = z
	.object({
		id: z.string(),
		type: z.string().optional(),
		function: z.object({ name: z.string(), arguments: z.string().nullable().optional() }).loose(),
	})
	.loose();
export type ToolCall = z.infer<typeof toolCallSchema>;

export const assistantMessageSchema = z
	.object({
		role: z.string().optional(),
		content: z
			.union([z.string(), z.array(z.unknown())])
			.nullable()
			.optional(),
		tool_calls: z.array(toolCallSchema).nullable().optional(),
	})
	.loose();

export const usageSchema = z
	.object({
		prompt_tokens: z.number().int(),
		completion_tokens: z.number().int(),
		total_tokens: z.number().int().optional(),
	})
	.loose();
export type Usage = z.infer<typeof usageSchema>;

export const chatResponseSchema = z
	.object({
		id: z.string().optional(),
		model: z.string().optional(),
		created: z.number().optional(),
		choices: z
			.array(
				z
					.object({
						index: z.number().optional(),
						message: assistantMessageSchema,
						finish_reason: z.string().nullable().optional(),
					})
					.loose(),
			)
			.min(1),
		usage: usageSchema.optional(),
		_meta: z
			.object({ request_id: z.string().optional(), latency_ms: z.number().optional() })
			.loose()
			.optional(),
	})
	.loose();
export type ChatResponse = z.infer<typeof chatResponseSchema>;

/** One streamed chunk (§4.4); every field is optional in practice. */
export const chatChunkSchema = z
	.object({
		id: z.string().optional(),
		model: z.string().optional(),
		choices: z
			.array(
				z
					.object({
						index: z.number().optional(),
						delta: z
							.object({
								role: z.string().optional(),
								content: z.string().nullable().optional(),
								tool_calls: z
									.array(
										z
											.object({
												index: z.number().optional(),
												id: z.string().optional(),
												type: z.string().optional(),
												function: z
													.object({
														name: z.string().optional(),
														arguments: z.string().optional(),
													})
													.loose()
													.optional(),
											})
											.loose(),
									)
									.optional(),
							})
							.loose()
							.optional(),
						finish_reason: z.string().nullable().optional(),
					})
					.loose(),
			)
			.optional(),
		usage: usageSchema.nullable().optional(),
	})
	.loose();
export type ChatChunk = z.infer<typeof chatChunkSchema>;

// ---------------------------------------------------------------------------------------------
// Accounting (§5)

// Usage records: usageRecord.ts (its own module, read 100,000 at a time).

export const summaryRowSchema = z
	.object({
		group_key: z.string().nullable(),
		request_count: z.number().int(),
		input_tokens: z.number().int(),
		output_tokens: z.number().int(),
		total_tokens: z.number().int().optional(),
		total_cost: decimalString,
		backend_cost: decimalString.optional(),
	})
	.loose();
export type SummaryRow = z.infer<typeof summaryRowSchema>;

export const budgetSchema = z
	.object({
		id: z.string(),
		name: z.string().optional(),
		scope: z.string().optional(),
		period: z.string().optional(),
		cost_limit: decimalString.nullable().optional(),
		token_limit: z.number().nullable().optional(),
		request_limit: z.number().nullable().optional(),
		hard_action: z.string().optional(),
		soft_limit_pct: z.number().optional(),
		current_cost: decimalString.nullable().optional(),
		current_tokens: z.number().nullable().optional(),
		current_requests: z.number().nullable().optional(),
	})
	.loose();
export type Budget = z.infer<typeof budgetSchema>;
