/**
 * Reading one ScaiGrid answer: both documented list shapes, a missing `status`, the error
 * envelope with its retry-after and details, and everything that is not ScaiGrid (HTML, broken
 * JSON, another service's JSON, a body without data) as a clear error quoting status and bytes.
 */
import { z } from 'zod';
import { z as z4 } from 'zod/v4';

import {
	parseData,
	readEnvelope,
	requestIdFrom,
	snippet,
} from '../../nodes/shared/transport/envelope';
import type { Envelope, ResponseHeaders } from '../../nodes/shared/transport/envelope';
import { ScaiGridError } from '../../nodes/shared/transport/errors';
import { listItems } from '../../nodes/shared/api/schemas';

const JSON_HEADERS: ResponseHeaders = {
	'content-type': 'application/json',
	'x-scaigrid-request-id': 'req_header',
};

function ok(status: number, headers: ResponseHeaders, body: unknown): Envelope {
	const result = readEnvelope(
		status,
		headers,
		typeof body === 'string' ? body : JSON.stringify(body),
	);
	if (result instanceof ScaiGridError)
		throw new Error(`expected success, got ${result.code}: ${result.message}`);
	return result;
}

function failed(status: number, headers: ResponseHeaders, body: unknown): ScaiGridError {
	const result = readEnvelope(
		status,
		headers,
		typeof body === 'string' ? body : JSON.stringify(body),
	);
	expect(result).toBeInstanceOf(ScaiGridError);
	return result as ScaiGridError;
}

describe('success envelope', () => {
	it('reads a list as data.items, with pagination and the request ID', () => {
		const envelope = ok(200, JSON_HEADERS, {
			status: 'ok',
			data: { items: [{ slug: 'a' }, { slug: 'b' }] },
			pagination: { has_more: true, next_cursor: 'c1' },
			meta: { request_id: 'req_meta' },
		});
		expect(listItems(envelope.data)).toEqual([{ slug: 'a' }, { slug: 'b' }]);
		expect(envelope.pagination).toEqual({ has_more: true, next_cursor: 'c1' });
		expect(envelope.requestId).toBe('req_header');
	});

	it('reads a list given as a plain array in data', () => {
		const envelope = ok(
			200,
			{},
			{ status: 'ok', data: [{ slug: 'a' }], meta: { request_id: 'req_meta' } },
		);
		expect(listItems(envelope.data)).toEqual([{ slug: 'a' }]);
		expect(envelope.pagination).toBeUndefined();
	});

	it('listItems rejects what is neither shape', () => {
		expect(listItems({ slug: 'a' })).toBeUndefined();
		expect(listItems(null)).toBeUndefined();
		expect(listItems('items')).toBeUndefined();
	});

	it('treats a body without status and without error as success', () => {
		expect(ok(200, {}, { data: { slug: 'x' } }).data).toEqual({ slug: 'x' });
	});

	it('keeps falsy data (0, false, empty string, null)', () => {
		for (const data of [0, false, '', null, []]) expect(ok(200, {}, { data }).data).toEqual(data);
	});
});

describe('request ID', () => {
	it('comes from the header first, then meta.request_id', () => {
		expect(
			requestIdFrom({ 'x-scaigrid-request-id': 'req_h' }, { meta: { request_id: 'req_m' } }),
		).toBe('req_h');
		expect(requestIdFrom({}, { meta: { request_id: 'req_m' } })).toBe('req_m');
		expect(requestIdFrom({ 'x-scaigrid-request-id': ['req_a', 'req_b'] })).toBe('req_a');
		expect(requestIdFrom({}, { meta: { request_id: 42 } })).toBeUndefined();
		expect(requestIdFrom({})).toBeUndefined();
	});

	it('reaches the envelope and the error from meta when the header is missing', () => {
		expect(ok(200, {}, { data: 1, meta: { request_id: 'req_m' } }).requestId).toBe('req_m');
		const error = failed(
			429,
			{},
			{ status: 'error', error: { code: 'RATE_LIMITED' }, meta: { request_id: 'req_e' } },
		);
		expect(error.requestId).toBe('req_e');
	});
});

describe('error envelope', () => {
	it('becomes a ScaiGridError with code, message, status, request ID, retry-after and details', () => {
		const error = failed(422, JSON_HEADERS, {
			status: 'error',
			error: {
				code: 'VALIDATION_ERROR',
				message: 'Request validation failed',
				details: [{ field: 'temperature', message: 'must be at most 2' }],
			},
			meta: { request_id: 'req_meta' },
		});
		expect(error).toMatchObject({
			code: 'VALIDATION_ERROR',
			message: 'Request validation failed',
			httpStatus: 422,
			requestId: 'req_header',
			details: [{ field: 'temperature', message: 'must be at most 2' }],
		});
		expect(error.retryAfterMs).toBeUndefined();
		expect(error.description).toContain('temperature: must be at most 2');
		expect(error.description).toContain('Request ID: req_header.');
		expect(error.headline).toBe('ScaiGrid VALIDATION_ERROR: Request validation failed');
	});

	it('reads retry_after (seconds) from the body, before the header', () => {
		const error = failed(
			429,
			{ 'retry-after': '99' },
			{ status: 'error', error: { code: 'RATE_LIMITED', message: 'slow down', retry_after: 15 } },
		);
		expect(error.retryAfterMs).toBe(15_000);
	});

	it('reads Retry-After from the header when the body has none', () => {
		const error = failed(
			429,
			{ 'retry-after': '7' },
			{ status: 'error', error: { code: 'BACKEND_RATE_LIMITED' } },
		);
		expect(error.retryAfterMs).toBe(7000);
	});

	it('uses the code as the message when there is none', () => {
		expect(failed(503, {}, { error: { code: 'MODEL_UNAVAILABLE' } }).message).toBe(
			'MODEL_UNAVAILABLE',
		);
	});

	it('an error object wins over a 200 status; status "error" alone is not enough to invent a code', () => {
		expect(
			failed(200, {}, { status: 'error', error: { code: 'QUOTA_EXCEEDED', message: 'q' } }).code,
		).toBe('QUOTA_EXCEEDED');
		const shapeless = failed(200, {}, { status: 'error', data: {} });
		expect(shapeless.code).toBe('INVALID_RESPONSE');
		expect(shapeless.message).toContain('without an error object');
	});

	it('a 4xx/5xx JSON body without an error object says so, with the status', () => {
		const client = failed(404, {}, { detail: 'Not Found' });
		expect(client.code).toBe('INVALID_RESPONSE');
		expect(client.message).toContain('HTTP 404');
		const server = failed(500, {}, { data: 'oops' });
		// A 5xx from something in front of ScaiGrid stays retryable as an undocumented 5xx.
		expect(server.code).toBe('HTTP_500');
		expect(server.httpStatus).toBe(500);
	});
});

describe('answers that are not ScaiGrid', () => {
	const html502 =
		'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>';

	it('HTML 502 from a proxy: HTTP_502 (retryable), status, content type and first bytes on one line', () => {
		const error = failed(502, { 'content-type': 'text/html' }, html502);
		expect(error.code).toBe('HTTP_502');
		expect(error.httpStatus).toBe(502);
		expect(error.message).toBe(
			'The answer is not JSON (HTTP 502, text/html): <html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway</h1></center> </body> </html>',
		);
		expect(error.requestId).toBeUndefined();
	});

	it('HTML 200 (a web page at the Base URL) is INVALID_RESPONSE', () => {
		const error = failed(
			200,
			{ 'content-type': 'text/html' },
			'<!doctype html><title>Welcome</title>',
		);
		expect(error.code).toBe('INVALID_RESPONSE');
		expect(error.message).toContain('(HTTP 200, text/html): <!doctype html><title>Welcome</title>');
	});

	it('invalid JSON: quotes status and the first bytes, keeps the request ID header', () => {
		const error = failed(200, JSON_HEADERS, '{"status":"ok","data":{"items":[{"slug":"scai');
		expect(error.code).toBe('INVALID_RESPONSE');
		expect(error.message).toBe(
			'The answer is not JSON (HTTP 200, application/json): {"status":"ok","data":{"items":[{"slug":"scai',
		);
		expect(error.requestId).toBe('req_header');
	});

	it('long bodies are cut at 200 characters', () => {
		const body = 'x'.repeat(5000);
		const error = failed(200, {}, body);
		expect(error.message).toContain(`${'x'.repeat(200)}…`);
		expect(error.message).not.toContain('x'.repeat(201));
		expect(error.message).toContain('no content type');
	});

	it('an empty body says so', () => {
		expect(failed(502, {}, '').message).toContain('(empty body)');
	});

	it('JSON that is not an object is not an envelope', () => {
		expect(failed(200, {}, '[1,2,3]').message).toContain('not a ScaiGrid envelope');
		expect(failed(200, {}, '"hello"').message).toContain('not a ScaiGrid envelope');
		expect(failed(200, {}, 'null').message).toContain('not a ScaiGrid envelope');
	});

	it("another service's JSON (no data) and a success without data fail clearly", () => {
		expect(failed(200, {}, { hello: 'world' }).message).toContain('The answer has no data');
		const error = failed(200, JSON_HEADERS, { status: 'ok', meta: { request_id: 'req_meta' } });
		expect(error.code).toBe('INVALID_RESPONSE');
		expect(error.message).toContain('has no data (HTTP 200');
		expect(error.requestId).toBe('req_header');
	});

	it('a malformed error object is not an envelope (never a crash)', () => {
		const error = failed(500, {}, { status: 'error', error: { message: 'no code' } });
		expect(error.code).toBe('HTTP_500');
		expect(error.message).toContain('not a ScaiGrid envelope');
	});
});

describe('snippet', () => {
	it('flattens whitespace and trims', () => {
		expect(snippet('  a\n\tb   c  ')).toBe('a b c');
	});
});

describe('parseData', () => {
	const schema = z.object({ slug: z.string(), context_window: z.number() });

	it('returns the parsed data', () => {
		expect(parseData(schema, { slug: 'a', context_window: 8 })).toEqual({
			slug: 'a',
			context_window: 8,
		});
	});

	it('a shape mismatch is INVALID_RESPONSE naming the field and the request', () => {
		let caught: unknown;
		try {
			parseData(schema, { slug: 'a', context_window: 'big' }, 'req_1');
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(ScaiGridError);
		const error = caught as ScaiGridError;
		expect(error.code).toBe('INVALID_RESPONSE');
		expect(error.requestId).toBe('req_1');
		expect(error.message).toMatch(/documented shape: context_window/);
		expect(error.description).toContain('Request ID: req_1.');
	});

	it('takes a zod 4 schema too, and the attempts of data read after the retry loop', () => {
		const records = z4.array(z4.looseObject({ tokens_in: z4.number().int().optional() }));
		expect(parseData(records, [{ tokens_in: 3, extra: 'kept' }])).toEqual([
			{ tokens_in: 3, extra: 'kept' },
		]);
		let caught: unknown;
		try {
			parseData(records, [{ tokens_in: 3 }, { tokens_in: 'many' }], 'req_2', 2);
		} catch (error) {
			caught = error;
		}
		const error = caught as ScaiGridError;
		expect(error.code).toBe('INVALID_RESPONSE');
		expect(error.message).toMatch(/documented shape: 1\.tokens_in /);
		expect(error.attempts).toBe(2);
		expect(error.description).toContain('Gave up after 2 attempts.');
	});
});
