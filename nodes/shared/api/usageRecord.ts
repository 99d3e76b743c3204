/**
 * The usage record of `GET /v1/accounting/usage` (docs/scaigrid-api.md §5.2) and its type.
 *
 * Written with the zod 4 API (`zod/v4`, shipped inside n8n's zod 3.25) while shared/api/schemas.ts
 * uses the zod 3 API: a Return All reads 100,000 records or more, and zod 4 validates this
 * shape about twice as fast (1,000-record pages, benchmark B6). One API per module; the type
 * comes from the schema either way. Tolerance as in schemas.ts: unknown fields pass through,
 * every field is optional, a decimal is text or a number. One difference of the zod 4 API:
 * `int()` also asks for a safe integer (up to 2^53 - 1), as any token count JSON carries exactly.
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
