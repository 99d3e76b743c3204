/**
 * The emulator's request log, filtered to the calls the Chat node makes: chat completions and
 * model look-ups. Also reads a model straight from the emulator without leaving a trace in the log.
 */
export const CHAT_PATH = '/v1/inference/chat';

export interface LoggedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	body: any;
	time: number;
	status: number | null;
	request_id: string;
}

export function chatRequests(em: { requests: LoggedRequest[] }): LoggedRequest[] {
	return em.requests.filter((r) => r.method === 'POST' && r.path === CHAT_PATH);
}

export function modelGets(em: { requests: LoggedRequest[] }): LoggedRequest[] {
	return em.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/models/'));
}

/** A model as GET /v1/models/{slug} returns it, read straight from the emulator (then the log is cleared). */
export async function fetchModel(em: { url: string; apiKey: string; clearRequests(): void }, slug: string): Promise<any> {
	const response = await fetch(`${em.url}/v1/models/${encodeURIComponent(slug)}`, {
		headers: { authorization: `Bearer ${em.apiKey}` },
	});
	const body = (await response.json()) as { data: unknown };
	em.clearRequests();
	return body.data;
}
