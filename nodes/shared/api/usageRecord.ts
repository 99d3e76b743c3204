/**
 * The usage record of `GET /v1/accounting/usage` (docs/scaigrid-api.md §5.2) and its type.
 *
 * Kept apart from schemas.ts because a Return All reads 100,000 records or more: the schema is
 * one flat object, which zod 4 (`zod/v4`, inside n8n's zod 3.25; the API every schema here uses)
 * checks about twice as fast as zod 3 did. Tolerance as in schemas.ts: unknown fields pass
 * through, every field is optional, a decimal is text or a number.
 */
import { z } from 'zod/v4';

/** Same reading as `decimalString` in schemas.ts, in the zod 4 API. */
const decimalString = z.union([z.string(), z.number()]);

export const usageRecordSchema = z.looseObject({
	id: z.string().optional(),
	model: z.string().optional(),
	backend_id: z.string().nullable().optional(),
	user_id: z.string().nullable().optional(),
	tenant_id: z.string().nullable().optional(),
	tokens_in: z.number().int().optional(),
	tokens_out: z.number().int().optional(),
	cost: decimalString.optional(),
	latency_ms: z.number().optional(),
	created_at: z.string().optional(),
	/** Recorded per call (docs/scaigrid-api.md §5.1); whether the list returns it is not documented. */
	request_id: z.string().optional(),
});
export type UsageRecord = z.infer<typeof usageRecordSchema>;

/** The items of one page (already taken out of `data.items`). */
export const usageRecordListSchema = z.array(usageRecordSchema);
