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
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	ISupplyDataFunctions,
} from 'n8n-workflow';
import type { z } from 'zod/v4';

import { normalizeBaseUrl } from './baseUrl';
import type { ApiResult, CallOptions, MediaResult, RawAnswer, StreamResult } from './types';
import { asBuffer, isJson, readText } from './body';
import { isRedirect, redirectNotFollowed, transportFailure } from './failures';

export type { ApiResult, CallOptions, MediaResult, StreamResult } from './types';
import { ScaiGridError } from './errors';
import type { Envelope } from './envelope';
import { parseData, readEnvelope, requestIdFrom, snippet } from './envelope';
import type { PacerTicket, RateLimitState } from './pacer';
import { pacerFor, readRateLimit } from './pacer';
import { settle } from '../execution/settle';
import { retrying } from '../retry/loop';
import type { RetryPolicy } from '../retry/policy';
import { DEFAULT_RETRY_POLICY } from '../retry/policy';

export const CREDENTIAL_TYPE = 'scaiGridApi';

export type ScaiGridContext = IExecuteFunctions | ILoadOptionsFunctions | ISupplyDataFunctions;

function isCancelled(ctx: ScaiGridContext): boolean {
	return 'getExecutionCancelSignal' in ctx && ctx.getExecutionCancelSignal()?.aborted === true;
}

function cancelSignal(ctx: ScaiGridContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
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

	async get<S extends z.ZodType>(
		path: string,
		schema: S,
		options: CallOptions = {},
	): Promise<ApiResult<z.output<S>>> {
		return await this.call('GET', path, schema, options);
	}

	async post<S extends z.ZodType>(
		path: string,
		schema: S,
		options: CallOptions = {},
	): Promise<ApiResult<z.output<S>>> {
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
			if (options.beforeParse && answer.statusCode < 300)
				await options.beforeParse(String(answer.body ?? ''));
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
	async download(
		path: string,
		options: CallOptions,
	): Promise<{ text: string; contentType: string; requestId?: string; attempts: number }> {
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
	async postMedia<S extends z.ZodTypeAny>(
		path: string,
		schema: S,
		options: CallOptions,
	): Promise<MediaResult<z.output<S>>> {
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
			return {
				body: bytes,
				contentType,
				requestId: requestIdFrom(answer.headers),
				latencyMs: Date.now() - started,
			};
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
	async retrying<T>(
		policy: RetryPolicy | undefined,
		attempt: () => Promise<T>,
	): Promise<T & { attempts: number }> {
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
			this.ctx.helpers.httpRequestWithAuthentication.call(
				this.ctx,
				CREDENTIAL_TYPE,
				request,
			) as Promise<RawAnswer>,
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
		if (answer && isRedirect(answer.statusCode))
			throw redirectNotFollowed(answer, `${this.root}${path}`, path, this.root, this.apiKey);
		if (answer) return answer;
		if (isCancelled(this.ctx)) throw failure;
		throw transportFailure(failure, this.root, this.apiKey, options.timeoutMs);
	}
}
