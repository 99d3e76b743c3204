/** The managed service; self-hosted instances put their own URL in the credential. */
export const DEFAULT_BASE_URL = 'https://scaigrid.scailabs.ai';

/**
 * The API root without a trailing slash or `/v1`, so paths can always start with `/v1/`.
 * Users paste the docs' example URLs, which sometimes end in `/v1/`. The credential's test
 * request applies the same rule as an n8n expression (credentials/ScaiGridApi.credentials.ts).
 */
export function normalizeBaseUrl(raw: string): string {
	const trimmed = raw.trim() || DEFAULT_BASE_URL;
	return trimmed.replace(/\/+$/, '').replace(/\/v1$/i, '');
}
