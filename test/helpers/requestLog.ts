/**
 * The emulator's request log, filtered to the calls the Chat node makes: chat completions and
 * model look-ups. Also reads a model straight from the emulator without leaving a trace in the log.
 */
export const CHAT_PATH = '/v1/inference/chat';

import type { Emulator, LoggedRequest } from '../../emulator';

export type { LoggedRequest };

export function chatRequests(em: { requests: LoggedRequest[] }): LoggedRequest[] {
	return em.requests.filter((r) => r.method === 'POST' && r.path === CHAT_PATH);
}

export function modelGets(em: { requests: LoggedRequest[] }): LoggedRequest[] {
	return em.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/models/'));
}

/** A model as GET /v1/models/{slug} returns it, read straight from the emulator (then the log is cleared). */
export async function fetchModel(
	em: Pick<Emulator, 'url' | 'apiKey' | 'clearRequests'>,
	slug: string,
): Promise<any> {
	const response = await fetch(`${em.url}/v1/models/${encodeURIComponent(slug)}`, {
		headers: { authorization: `Bearer ${em.apiKey}` },
	});
	const body = (await response.json()) as { data: unknown };
	em.clearRequests();
	return body.data;
}
