/** What a call takes and what it gives back: the client's vocabulary. */
import type { IDataObject } from 'n8n-workflow';

import type { ResponseHeaders } from './envelope';
import type { MultipartBody } from './multipart';
import type { RateLimitState } from './pacer';
import type { RetryPolicy } from '../retry/policy';

export interface CallOptions {
	qs?: IDataObject;
	body?: IDataObject;
	/** A multipart body instead of JSON (audio transcription, docs §7.3). */
	multipart?: MultipartBody;
	timeoutMs?: number;
	retry?: RetryPolicy;
	/**
	 * Sees a successful answer's text before it is parsed, and is awaited: a pager can read the
	 * next cursor and start the next request while this large page is still being parsed.
	 */
	beforeParse?: (text: string) => Promise<void>;
}

export interface ApiResult<T> {
	data: T;
	requestId?: string;
	rateLimit?: RateLimitState;
	pagination?: { hasMore: boolean; nextCursor?: string };
	/** Requests sent for this call, retries included. */
	attempts: number;
	/** Wall time of the successful attempt. */
	latencyMs: number;
}

export interface StreamResult {
	/** The event-stream body, to be read to its end (or destroyed). */
	body: AsyncIterable<Uint8Array | string> & { destroy?: (error?: Error) => void };
	requestId?: string;
	rateLimit?: RateLimitState;
	attempts: number;
}

/** An answer that may not be the envelope (docs §7.3, §7.4): JSON `data`, or the body as it came. */
export interface MediaResult<T> {
	/** The envelope's `data`, parsed, when the answer was JSON. */
	data?: T;
	/** The body, when the answer was not JSON (audio bytes, or text such as SRT). */
	body?: Buffer;
	contentType: string;
	requestId?: string;
	attempts: number;
	latencyMs: number;
}

export interface RawAnswer {
	statusCode: number;
	headers: ResponseHeaders;
	body: unknown;
}
