/**
 * One error type for every ScaiGrid failure, and its two faces in n8n: a NodeApiError (the run
 * stops, the message names the code, the description says what to do) and an error item's json
 * (continue on fail). Neither ever carries the API key: errors are built from our own fields,
 * never from the HTTP library's error object (whose config holds the Authorization header).
 */
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ruleFor } from '../retry/table';

export interface ErrorDetail {
	field?: string;
	message?: string;
}

export interface ScaiGridErrorFields {
	code: string;
	message: string;
	httpStatus?: number | null;
	requestId?: string;
	retryAfterMs?: number;
	details?: ErrorDetail[];
	/** Extra context for the description (e.g. how long ScaiGrid asked to wait). */
	hint?: string;
}

export class ScaiGridError extends Error {
	readonly code: string;

	readonly httpStatus: number | null;

	requestId?: string;

	readonly retryAfterMs?: number;

	details?: ErrorDetail[];

	hint?: string;

	/** How many requests this item sent before giving up. */
	attempts = 1;

	constructor(fields: ScaiGridErrorFields) {
		super(fields.message);
		this.name = 'ScaiGridError';
		this.code = fields.code;
		this.httpStatus = fields.httpStatus ?? null;
		this.requestId = fields.requestId;
		this.retryAfterMs = fields.retryAfterMs;
		this.details = fields.details;
		this.hint = fields.hint;
	}

	/**
	 * Removes the secret from everything ScaiGrid (or a proxy) sent back: the message, the
	 * validation details (any field, since the schema keeps unknown ones) and the request ID.
	 */
	redactSecret(secret: string): void {
		this.message = redact(this.message, secret);
		if (this.details)
			this.details = JSON.parse(redact(JSON.stringify(this.details), secret)) as ErrorDetail[];
		if (this.hint) this.hint = redact(this.hint, secret);
		if (this.requestId) this.requestId = redact(this.requestId, secret);
	}

	/** "what to do", from the retry table, plus the specifics of this failure. */
	get description(): string {
		const parts = [ruleFor(this.code, this.httpStatus).advice];
		if (this.hint) parts.push(this.hint);
		if (this.details?.length) {
			parts.push(
				'Details: ' +
					this.details
						.map((d) => (d.field ? `${d.field}: ${d.message ?? ''}` : (d.message ?? '')))
						.join('; ') +
					'.',
			);
		}
		if (this.attempts > 1) parts.push(`Gave up after ${this.attempts} attempts.`);
		parts.push(
			this.requestId
				? `Request ID: ${this.requestId}.`
				: 'No request ID (ScaiGrid did not answer).',
		);
		return parts.join(' ');
	}

	get headline(): string {
		return `ScaiGrid ${this.code}: ${this.message}`;
	}

	/** The fields an error item carries with continue on fail. */
	toJson(): IDataObject {
		const json: IDataObject = {
			error: this.headline,
			code: this.code,
			message: this.message,
			description: this.description,
			httpStatus: this.httpStatus,
			requestId: this.requestId ?? null,
			attempts: this.attempts,
		};
		if (this.retryAfterMs !== undefined) json.retryAfterSeconds = this.retryAfterMs / 1000;
		if (this.details) json.details = this.details as IDataObject[];
		return json;
	}
}

export function toNodeApiError(
	node: INode,
	error: ScaiGridError,
	itemIndex?: number,
): NodeApiError {
	const rule = ruleFor(error.code, error.httpStatus);
	const failure =
		rule.cause === 'rate-limited' ||
		rule.cause === 'quota-exhausted' ||
		rule.cause === 'temporarily-unavailable'
			? { cause: rule.cause, retryAfterMs: error.retryAfterMs }
			: { cause: rule.cause };
	return new NodeApiError(node, error.toJson() as JsonObject, {
		message: error.headline,
		description: error.description,
		httpCode: error.httpStatus ? String(error.httpStatus) : undefined,
		itemIndex,
		failure,
	});
}

/** Replaces every occurrence of the secret, so no message or snippet can leak it. */
export function redact(text: string, secret: string | undefined): string {
	if (!secret || secret.length < 4) return text;
	return text.split(secret).join('[redacted]');
}
