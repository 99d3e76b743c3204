/**
 * How long ScaiGrid asks to wait (docs/scaigrid-api.md §2.3, §2.4): the error body's
 * `retry_after` or the Retry-After header. On a 429 this is the wait, never lengthened by the
 * window's Reset.
 */
type Headers = Record<string, string | string[] | undefined>;

/** `Retry-After` is seconds or an HTTP date; the body's `retry_after` is seconds. */
export function readRetryAfterMs(
	headers: Headers,
	bodySeconds?: number,
	now = Date.now(),
): number | undefined {
	if (typeof bodySeconds === 'number' && bodySeconds >= 0) return Math.ceil(bodySeconds * 1000);
	const raw = headers['retry-after'];
	const value = Array.isArray(raw) ? raw[0] : raw;
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
