/**
 * The only code that speaks HTTP to ScaiGrid. Every request goes through n8n's
 * `httpRequestWithAuthentication` (the credential adds the Bearer header), is paced by the
 * key's rate-limit budget, retried per the retry table, and read by `readEnvelope`.
 *
 * The client takes plain arguments and never reads node parameters: nodes map their
 * parameters to one client call.
 */
import { createHash } from 'crypto';
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	ISupplyDataFunctions,
} from 'n8n-workflow';
import type { z } from 'zod/v4';

import { normalizeBaseUrl } from './baseUrl';
import type { MultipartBody } from './multipart';
import { ScaiGridError, redact } from './errors';
import type { Envelope, ResponseHeaders } from './envelope';
import { parseData, readEnvelope, requestIdFrom, snippet } from './envelope';
import type { PacerTicket, RateLimitState } from './pacer';
import { pacerFor, readRateLimit } from './pacer';
import { settle } from '../execution/settle';
import { retrying } from '../retry/loop';
import type { RetryPolicy } from '../retry/policy';
import { DEFAULT_RETRY_POLICY } from '../retry/policy';

export const CREDENTIAL_TYPE = 'scaiGridApi';

export type ScaiGridContext = IExecuteFunctions | ILoadOptionsFunctions | ISupplyDataFunctions;

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

interface RawAnswer {
	statusCode: number;
	headers: ResponseHeaders;
	body: unknown;
}

const NETWORK_CODES: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	ETIMEDOUT: 'timed out',
	ECONNABORTED: 'timed out',
	ESOCKETTIMEDOUT: 'socket timed out',
	EPIPE: 'connection closed',
	ENOTFOUND: 'host not found (DNS)',
	EAI_AGAIN: 'DNS lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ERR_SOCKET_CONNECTION_TIMEOUT: 'connection timed out',
};

function isCancelled(ctx: ScaiGridContext): boolean {
	return 'getExecutionCancelSignal' in ctx && ctx.getExecutionCancelSignal()?.aborted === true;
}

function cancelSignal(ctx: ScaiGridContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
}

/** The transport error's code, looked up on the error and its causes (axios wraps them). */
function transportCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; current && depth < 4; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && code in NETWORK_CODES) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

async function readText(body: unknown): Promise<string> {
	if (typeof body === 'string') return body;
	if (body === undefined || body === null) return '';
	if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return asBuffer(body).toString('utf8');
	if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
		const parts: string[] = [];
		const decoder = new TextDecoder();
		for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
			parts.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
		}
		parts.push(decoder.decode());
		return parts.join('');
	}
	return JSON.stringify(body);
}

/** An `arraybuffer` answer's body as a Buffer (the helper gives a Buffer; an ArrayBuffer is accepted too). */
function asBuffer(body: unknown): Buffer {
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	if (typeof body === 'string') return Buffer.from(body, 'utf8');
	return Buffer.alloc(0);
}

function isJson(contentType: string): boolean {
	return /[/+]json\b/i.test(contentType);
}

function isRedirect(status: number): boolean {
	return status >= 300 && status < 400;
}

/** A Location resolved against the request's URL (relative ones too); undefined when unreadable. */
function redirectTarget(location: string, requestUrl: string): URL | undefined {
	try {
		return new URL(location, requestUrl);
	} catch {
		return undefined;
	}
}

/**
 * What an answer tells the key's pacer. A 429 RATE_LIMITED is the key's own limiter turning the
 * request away: the pacer holds the key for its Retry-After (header or body, read as the retry
 * loop reads it), not until the Reset, which may lie at the end of the whole sliding window.
 */
function rateLimitOf(answer: RawAnswer): RateLimitState | undefined {
	const state = readRateLimit(answer.headers);
	if (answer.statusCode !== 429) return state;
	const refusal = readEnvelope(answer.statusCode, answer.headers, String(answer.body ?? ''));
	if (!(refusal instanceof ScaiGridError) || refusal.code !== 'RATE_LIMITED') return state;
	return { ...state, refused: true, retryAfterMs: refusal.retryAfterMs };
}

export class ScaiGridClient {
	private constructor(
		private readonly ctx: ScaiGridContext,
		readonly root: string,
		private readonly apiKey: string,
		/** Instance and key, without the key: what rate limits and cached prices belong to. */
		readonly keyId: string,
	) {}

	static async create(ctx: ScaiGridContext): Promise<ScaiGridClient> {
		const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
		const apiKey = String(credentials.apiKey ?? '');
		const root = normalizeBaseUrl(String(credentials.baseUrl ?? ''));
		// The limit is per key: requests with the same key share one pacer. The key itself is
		// never stored outside the credential, only a fingerprint of it.
		const fingerprint = createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
		return new ScaiGridClient(ctx, root, apiKey, `${root}#${fingerprint}`);
	}

	async get<S extends z.ZodType>(path: string, schema: S, options: CallOptions = {}): Promise<ApiResult<z.output<S>>> {
		return await this.call('GET', path, schema, options);
	}

	async post<S extends z.ZodType>(path: string, schema: S, options: CallOptions = {}): Promise<ApiResult<z.output<S>>> {
		return await this.call('POST', path, schema, options);
	}

	/** A JSON call with retries; `data` is parsed with `schema`. */
	async call<S extends z.ZodType>(
		method: IHttpRequestMethods,
		path: string,
		schema: S,
		options: CallOptions,
	): Promise<ApiResult<z.output<S>>> {
		return await this.retrying(options.retry, async () => {
			const started = Date.now();
			const answer = await this.send(method, path, options, 'text', options.retry);
			if (options.beforeParse && answer.statusCode < 300) await options.beforeParse(String(answer.body ?? ''));
			const envelope = this.read(answer);
			return {
				data: parseData(schema, envelope.data, envelope.requestId),
				requestId: envelope.requestId,
				rateLimit: readRateLimit(answer.headers),
				pagination: envelope.pagination
					? {
							hasMore: envelope.pagination.has_more === true,
							nextCursor: envelope.pagination.next_cursor ?? undefined,
						}
					: undefined,
				latencyMs: Date.now() - started,
			};
		});
	}

	/**
	 * Opens an event stream. Failures before the stream starts are ordinary JSON errors and are
	 * retried like any call; once the stream is returned, the caller owns it.
	 */
	async openStream(path: string, options: CallOptions): Promise<StreamResult> {
		return await this.retrying(options.retry, async () => {
			const answer = await this.send('POST', path, options, 'stream', options.retry);
			const contentType = String(answer.headers['content-type'] ?? '');
			if (answer.statusCode < 300 && contentType.includes('text/event-stream')) {
				return {
					body: answer.body as StreamResult['body'],
					requestId: requestIdFrom(answer.headers),
					rateLimit: readRateLimit(answer.headers),
				};
			}
			// Not a stream: an error, or a server that ignored `stream: true`.
			const text = await readText(answer.body);
			const envelope = this.read({ ...answer, body: text });
			throw new ScaiGridError({
				code: 'INVALID_RESPONSE',
				httpStatus: answer.statusCode,
				requestId: envelope.requestId,
				message: `Asked for a stream, got ${contentType || 'no content type'}: ${snippet(text)}`,
			});
		});
	}

	/** A download that is not enveloped (accounting export): the body as text. */
	async download(path: string, options: CallOptions): Promise<{ text: string; contentType: string; requestId?: string; attempts: number }> {
		return await this.retrying(options.retry, async () => {
			const answer = await this.send('GET', path, options, 'text', options.retry);
			const text = await readText(answer.body);
			if (answer.statusCode >= 400) this.read({ ...answer, body: text });
			return {
				text,
				contentType: String(answer.headers['content-type'] ?? ''),
				requestId: requestIdFrom(answer.headers),
			};
		});
	}

	/**
	 * A POST whose answer may be the envelope or something else (docs §7.3, §7.4): speech comes
	 * back as audio bytes, some transcription formats as plain text. Errors are the JSON error
	 * envelope either way and are retried like any call; a JSON answer's `data` is parsed with
	 * `schema`, anything else is returned as bytes with its content type.
	 */
	async postMedia<S extends z.ZodTypeAny>(path: string, schema: S, options: CallOptions): Promise<MediaResult<z.output<S>>> {
		return await this.retrying(options.retry, async () => {
			const started = Date.now();
			const answer = await this.send('POST', path, options, 'arraybuffer', options.retry);
			const contentType = String(answer.headers['content-type'] ?? '');
			const bytes = asBuffer(answer.body);
			if (answer.statusCode >= 300 || isJson(contentType)) {
				const envelope = this.read({ ...answer, body: bytes.toString('utf8') });
				return {
					data: parseData(schema, envelope.data, envelope.requestId),
					contentType,
					requestId: envelope.requestId,
					latencyMs: Date.now() - started,
				};
			}
			return { body: bytes, contentType, requestId: requestIdFrom(answer.headers), latencyMs: Date.now() - started };
		});
	}

	private read(answer: RawAnswer): Envelope {
		const envelope = readEnvelope(answer.statusCode, answer.headers, String(answer.body ?? ''));
		if (envelope instanceof ScaiGridError) {
			// A misbehaving proxy could echo the request: make sure the key never travels on.
			envelope.redactSecret(this.apiKey);
			throw envelope;
		}
		return envelope;
	}

	/**
	 * The retry loop (retry/loop.ts) with this execution's cancel signal. Public for attempts that
	 * are more than one request, e.g. a streamed chat opened and read to its end: a failure while
	 * reading retries the whole attempt.
	 */
	async retrying<T>(policy: RetryPolicy | undefined, attempt: () => Promise<T>): Promise<T & { attempts: number }> {
		return await retrying(policy, attempt, cancelSignal(this.ctx));
	}

	/** One request, paced. HTTP error statuses are answers, not exceptions: the caller reads them. */
	private async send(
		method: IHttpRequestMethods,
		path: string,
		options: CallOptions,
		encoding: 'text' | 'stream' | 'arraybuffer',
		policy: RetryPolicy | undefined,
	): Promise<RawAnswer> {
		const pacer = pacerFor(this.keyId);
		const ticket: PacerTicket = await pacer.acquire(
			(policy ?? DEFAULT_RETRY_POLICY).maxWaitMs,
			cancelSignal(this.ctx),
		);
		const request: IHttpRequestOptions = {
			method,
			url: `${this.root}${path}`,
			qs: options.qs,
			body: options.multipart?.data ?? options.body,
			headers: {
				Accept: 'application/json',
				...(options.multipart
					? { 'Content-Type': options.multipart.contentType }
					: options.body
						? { 'Content-Type': 'application/json' }
						: {}),
			},
			encoding,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: options.timeoutMs,
			// The key must never leave the credential's origin. n8n's helper follows redirects by
			// default and re-attaches the Authorization header on a cross-origin hop unless told
			// not to: so no redirect is followed at all, and a 3xx becomes REDIRECT_NOT_FOLLOWED,
			// naming where it pointed.
			disableFollowRedirect: true,
			// Should a redirect ever be followed after all, the key still stays behind.
			sendCredentialsOnCrossOriginRedirect: false,
		};
		const outcome = await settle(
			this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, CREDENTIAL_TYPE, request) as Promise<RawAnswer>,
		);
		let answer = outcome.ok ? outcome.value : undefined;
		let failure: unknown = outcome.ok ? undefined : outcome.error;
		if (answer?.statusCode === 429) {
			// A refusal is read here, body included (a streamed request's too: it is a small JSON
			// error), so the pacer learns the same Retry-After the retry loop will wait.
			const text = await settle(readText(answer.body));
			if (text.ok) answer = { ...answer, body: text.value };
			else {
				answer = undefined;
				failure = text.error;
			}
		}
		pacer.release(ticket, answer ? rateLimitOf(answer) : undefined);
		if (answer && isRedirect(answer.statusCode)) throw this.redirectNotFollowed(answer, path);
		if (answer) return answer;
		if (isCancelled(this.ctx)) throw failure;
		throw this.transportFailure(failure, options.timeoutMs);
	}

	/** A 3xx, not followed: the error names where it pointed (never the key) and the Base URL it suggests. */
	private redirectNotFollowed(answer: RawAnswer, path: string): ScaiGridError {
		(answer.body as { destroy?: () => void } | undefined)?.destroy?.();
		const status = answer.statusCode;
		const raw = answer.headers.location;
		const location = Array.isArray(raw) ? raw[0] : raw;
		const target = location ? redirectTarget(location, `${this.root}${path}`) : undefined;
		const base = target?.pathname.endsWith(path) ? `${target.origin}${target.pathname.slice(0, -path.length)}` : undefined;
		const where = target
			? `a redirect to ${target.origin}${target.pathname}`
			: location
				? `a redirect to an invalid Location (${snippet(location)})`
				: 'a redirect without a Location';
		return new ScaiGridError({
			code: 'REDIRECT_NOT_FOLLOWED',
			httpStatus: status,
			requestId: requestIdFrom(answer.headers),
			message: redact(`The Base URL ${this.root} answered HTTP ${status}, ${where}. Not followed: the API key was not sent there`, this.apiKey),
			hint: base
				? redact(`Where it points, the Base URL would be ${base} (use it only if you trust that address).`, this.apiKey)
				: undefined,
		});
	}

	private transportFailure(error: unknown, timeoutMs?: number): ScaiGridError {
		const code = transportCode(error);
		const what = code ? NETWORK_CODES[code] : (error as Error)?.message ?? String(error);
		const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
		return new ScaiGridError({
			code: code === 'ENOTFOUND' ? 'HOST_NOT_FOUND' : 'NETWORK_ERROR',
			message: redact(
				`Could not reach ScaiGrid at ${this.root}: ${what}${timedOut && timeoutMs ? ` (timeout ${timeoutMs} ms)` : ''}`,
				this.apiKey,
			),
		});
	}
}
