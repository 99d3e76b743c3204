/**
 * Reading one HTTP answer from ScaiGrid: the success envelope, the error envelope, and
 * everything that is neither (a proxy's HTML page, broken JSON, another service). Pure
 * functions over status, headers and body text, so every case is unit-testable.
 */
import { ScaiGridError } from './errors';
import { readRetryAfterMs } from '../retry/retryAfter';
import { envelopeSchema, paginationSchema } from '../api/schemas';
import type { z } from 'zod/v4';

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface Envelope {
	data: unknown;
	requestId?: string;
	pagination?: z.infer<typeof paginationSchema>;
}

const SNIPPET_LENGTH = 200;

function headerValue(headers: ResponseHeaders, name: string): string | undefined {
	const raw = headers[name];
	return Array.isArray(raw) ? raw[0] : raw;
}

export function requestIdFrom(headers: ResponseHeaders, body?: unknown): string | undefined {
	const fromHeader = headerValue(headers, 'x-scaigrid-request-id');
	if (fromHeader) return fromHeader;
	const meta = (body as { meta?: { request_id?: unknown } } | undefined)?.meta;
	return typeof meta?.request_id === 'string' ? meta.request_id : undefined;
}

/** The first bytes of a body, on one line, for messages about answers we cannot read. */
export function snippet(bodyText: string): string {
	const flat = bodyText.replace(/\s+/g, ' ').trim();
	return flat.length > SNIPPET_LENGTH ? `${flat.slice(0, SNIPPET_LENGTH)}…` : flat;
}

function notScaiGrid(
	status: number,
	headers: ResponseHeaders,
	bodyText: string,
	why: string,
): ScaiGridError {
	const contentType = headerValue(headers, 'content-type') ?? 'no content type';
	// A 5xx from a proxy in front of ScaiGrid is as transient as a gateway's own 5xx.
	const code = status >= 500 ? `HTTP_${status}` : 'INVALID_RESPONSE';
	return new ScaiGridError({
		code,
		httpStatus: status,
		requestId: requestIdFrom(headers),
		message: `${why} (HTTP ${status}, ${contentType}): ${snippet(bodyText) || '(empty body)'}`,
	});
}

function parseJson(bodyText: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(bodyText) };
	} catch {
		return { ok: false };
	}
}

/**
 * Turns an answer into the envelope's parts, or the ScaiGridError it describes.
 * A body without `status` and without `error` counts as success [doc]; success needs `data`.
 */
export function readEnvelope(
	status: number,
	headers: ResponseHeaders,
	bodyText: string,
): Envelope | ScaiGridError {
	const parsed = parseJson(bodyText);
	if (!parsed.ok) {
		return notScaiGrid(status, headers, bodyText, 'The answer is not JSON');
	}
	const envelope = envelopeSchema.safeParse(parsed.value);
	if (!envelope.success) {
		return notScaiGrid(status, headers, bodyText, 'The answer is not a ScaiGrid envelope');
	}
	const body = envelope.data;
	const requestId = requestIdFrom(headers, body);
	if (body.error || body.status === 'error' || status >= 400) {
		if (!body.error) {
			return notScaiGrid(status, headers, bodyText, 'ScaiGrid-like error without an error object');
		}
		return new ScaiGridError({
			code: body.error.code,
			message: body.error.message ?? body.error.code,
			httpStatus: status,
			requestId,
			retryAfterMs: readRetryAfterMs(headers, body.error.retry_after),
			details: body.error.details,
		});
	}
	if (body.data === undefined) {
		return notScaiGrid(status, headers, bodyText, 'The answer has no data');
	}
	return { data: body.data, requestId, pagination: body.pagination };
}

/**
 * What parseData needs of a schema. Both zod APIs have it: zod 3 and zod 4
 * (`zod/v4`, shared/api/usageRecord.ts).
 */
export interface DataSchema<T> {
	safeParse(data: unknown):
		| { success: true; data: T }
		| {
				success: false;
				error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> };
		  };
}

/**
 * Parses `data` with a schema; a mismatch is a clear error naming the request, not a crash.
 * `attempts`: requests the answer took, for data read after the client's retry loop.
 */
export function parseData<T>(
	schema: DataSchema<T>,
	data: unknown,
	requestId?: string,
	attempts = 1,
): T {
	const result = schema.safeParse(data);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	const error = new ScaiGridError({
		code: 'INVALID_RESPONSE',
		requestId,
		message: `ScaiGrid's answer does not have the documented shape: ${issue.path.map(String).join('.') || '(root)'} ${issue.message}`,
	});
	error.attempts = attempts;
	throw error;
}
