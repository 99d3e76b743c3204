/**
 * Answers that never reach ScaiGrid's envelope: a redirect (not followed, so the key stays at the
 * credential's origin) and a transport failure (no answer at all). Both become ScaiGridErrors
 * that name where things went wrong, never the key.
 */
import { ScaiGridError, redact } from './errors';
import type { RawAnswer } from './types';
import { requestIdFrom, snippet } from './envelope';

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

export function isRedirect(status: number): boolean {
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

/** A 3xx, not followed: the error names where it pointed (never the key) and the Base URL it suggests. */
export function redirectNotFollowed(
	answer: RawAnswer,
	requestUrl: string,
	path: string,
	root: string,
	apiKey: string,
): ScaiGridError {
	(answer.body as { destroy?: () => void } | undefined)?.destroy?.();
	const status = answer.statusCode;
	const raw = answer.headers.location;
	const location = Array.isArray(raw) ? raw[0] : raw;
	const target = location ? redirectTarget(location, requestUrl) : undefined;
	const base = target?.pathname.endsWith(path)
		? `${target.origin}${target.pathname.slice(0, -path.length)}`
		: undefined;
	const where = target
		? `a redirect to ${target.origin}${target.pathname}`
		: location
			? `a redirect to an invalid Location (${snippet(location)})`
			: 'a redirect without a Location';
	return new ScaiGridError({
		code: 'REDIRECT_NOT_FOLLOWED',
		httpStatus: status,
		requestId: requestIdFrom(answer.headers),
		message: redact(
			`The Base URL ${root} answered HTTP ${status}, ${where}. Not followed: the API key was not sent there`,
			apiKey,
		),
		hint: base
			? redact(
					`Where it points, the Base URL would be ${base} (use it only if you trust that address).`,
					apiKey,
				)
			: undefined,
	});
}

export function transportFailure(
	error: unknown,
	root: string,
	apiKey: string,
	timeoutMs?: number,
): ScaiGridError {
	const code = transportCode(error);
	const what = code ? NETWORK_CODES[code] : ((error as Error)?.message ?? String(error));
	const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
	return new ScaiGridError({
		code: code === 'ENOTFOUND' ? 'HOST_NOT_FOUND' : 'NETWORK_ERROR',
		message: redact(
			`Could not reach ScaiGrid at ${root}: ${what}${timedOut && timeoutMs ? ` (timeout ${timeoutMs} ms)` : ''}`,
			apiKey,
		),
	});
}
