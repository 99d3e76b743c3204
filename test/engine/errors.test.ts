/**
 * How a failed item leaves the Chat node: with continue on fail on the regular output or on the
 * error output (pairedItem intact), without it as a failed run naming the item; and in every
 * case without the API key, even when the server on the other end echoes it back.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { INodeExecutionData } from 'n8n-workflow';

import { runWorkflow } from '../helpers/engine';
import type { RunResult } from '../helpers/engine';
import { CHAT_PATH, chatRequests as loggedChatRequests } from '../helpers/requestLog';
import type { LoggedRequest } from '../helpers/requestLog';
import { CHAT_NAME, chatWorkflow, credentialsFor, rl } from '../helpers/workflows';
import type { NodeSettings } from '../helpers/workflows';
import type { FaultSpec, Permission } from '../../emulator';
import { useEmulator } from '../helpers/emulator';

const GOOD_MODEL = 'scailabs/poolnoodle-omni';
/** Another tenant's persona: the emulator answers 403 MODEL_ACCESS_DENIED for the default key. */
const DENIED_MODEL = 'tenant/globex/legal-bot';

const emu = useEmulator({ rateLimit: false });

function chatRequests(): LoggedRequest[] {
	return loggedChatRequests(emu);
}

/** Three items; the middle one asks for a model the key may not use. */
const THREE_ITEMS = [
	{ model: GOOD_MODEL, prompt: 'first' },
	{ model: DENIED_MODEL, prompt: 'second' },
	{ model: GOOD_MODEL, prompt: 'third' },
];

/** The model comes from each item, so one item can fail for a reason of its own. */
const PER_ITEM_MODEL = { model: { ...rl(''), value: '={{ $json.model }}' } };

async function runThree(settings: NodeSettings, items = THREE_ITEMS): Promise<RunResult> {
	return await runWorkflow(chatWorkflow(PER_ITEM_MODEL, settings), {
		credentials: credentialsFor(emu),
		triggerItems: items,
	});
}

function deniedRequest(): LoggedRequest {
	const denied = chatRequests().filter((r) => r.body?.model === DENIED_MODEL);
	expect(denied).toHaveLength(1);
	expect(denied[0].status).toBe(403);
	return denied[0];
}

/**
 * The failed item's json. On the main output it carries the fields directly; on the Error
 * output n8n only accepts `error`, `message` and `details`, so the rest sits under `details`
 * (and n8n merges the input item's fields in).
 */
function expectErrorItemJson(
	item: INodeExecutionData,
	requestId: string,
	output: 'main' | 'error' = 'main',
): void {
	const fields = (output === 'error' ? item.json.details : item.json) as Record<string, unknown>;
	expect(fields).toMatchObject({
		code: 'MODEL_ACCESS_DENIED',
		httpStatus: 403,
		requestId,
		attempts: 1,
	});
	expect(fields.description).toContain(`Request ID: ${requestId}.`);
	expect(typeof item.json.message).toBe('string');
	expect(String(item.json.message).length).toBeGreaterThan(0);
	expect(item.json.error).toContain('ScaiGrid MODEL_ACCESS_DENIED');
}

// ---- continue on fail -----------------------------------------------------------------------

describe('continue on fail', () => {
	it('continueRegularOutput: the error item is on the main output, in order, with code, message, requestId, httpStatus', async () => {
		const result = await runThree({ onError: 'continueRegularOutput' });
		expect(result.status).toBe('success');
		expect(chatRequests()).toHaveLength(3);

		const items = result.output(CHAT_NAME);
		expect(items).toHaveLength(3);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json).toMatchObject({ text: 'Echo: first', attempts: 1 });
		expect(items[2].json).toMatchObject({ text: 'Echo: third', attempts: 1 });
		expectErrorItemJson(items[1], deniedRequest().request_id);
	});

	it('continueErrorOutput: the failed item leaves by the error output, the others by the main output', async () => {
		const result = await runThree({ onError: 'continueErrorOutput' });
		expect(result.status).toBe('success');
		expect(chatRequests()).toHaveLength(3);

		const success = result.output(CHAT_NAME, 0);
		const failed = result.output(CHAT_NAME, 1);
		expect(success.map((item) => item.json.text)).toEqual(['Echo: first', 'Echo: third']);
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(failed).toHaveLength(1);
		expect(failed[0].pairedItem).toEqual({ item: 1 });
		expectErrorItemJson(failed[0], deniedRequest().request_id, 'error');
		// n8n adds the input item's fields to an item it moves to the Error output.
		expect(failed[0].json).toMatchObject({ model: DENIED_MODEL, prompt: 'second' });
	});

	it('continueErrorOutput with every item failing: all on the error output', async () => {
		const items = [
			{ model: DENIED_MODEL, prompt: 'a' },
			{ model: DENIED_MODEL, prompt: 'b' },
		];
		const result = await runThree({ onError: 'continueErrorOutput' }, items);
		expect(result.output(CHAT_NAME, 0)).toHaveLength(0);
		const failed = result.output(CHAT_NAME, 1);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(failed.map((item) => item.json.prompt)).toEqual(['a', 'b']);
		expect(chatRequests()).toHaveLength(2);
	});

	it('continueRegularOutput + Retry On Fail with the first item failing: n8n re-runs, nothing is sent twice', async () => {
		const waitBetweenTries = 200;
		const items = [THREE_ITEMS[1], THREE_ITEMS[0], THREE_ITEMS[2]];
		const result = await runThree(
			{ onError: 'continueRegularOutput', retryOnFail: true, maxTries: 3, waitBetweenTries },
			items,
		);
		expect(result.status).toBe('success');
		// n8n counts a first output item with json.error as a failure and re-ran the node twice...
		expect(result.durationMs).toBeGreaterThanOrEqual(2 * waitBetweenTries);
		// ...and each item was still sent exactly once.
		expect(
			chatRequests()
				.map((r) => r.body!.messages.at(-1)!.content)
				.sort(),
		).toEqual(['first', 'second', 'third']);
		const output = result.output(CHAT_NAME);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expectErrorItemJson(output[0], deniedRequest().request_id);
		expect(output.slice(1).map((item) => item.json.text)).toEqual(['Echo: first', 'Echo: third']);
	});

	it('without continue on fail the run fails and the error names the item', async () => {
		const result = await runThree({});
		expect(result.status).toBe('error');
		const error = result.nodeError(CHAT_NAME) as Error & {
			description?: string;
			context?: { itemIndex?: number };
			httpCode?: string;
		};
		expect(error.message).toContain('ScaiGrid MODEL_ACCESS_DENIED');
		expect(error.context?.itemIndex).toBe(1);
		expect(error.httpCode).toBe('403');
		expect(error.description).toContain(`Request ID: ${deniedRequest().request_id}.`);
		expect(result.error?.message).toBe(error.message);
	});
});

// ---- the API key never leaks ----------------------------------------------------------------

/** Everything a user, a log or an error reporter could see of a run, as one string. */
function everythingVisible(result: RunResult): string {
	const parts: string[] = [JSON.stringify(result.run), JSON.stringify(result.logs)];
	for (const error of [result.error, result.nodeError(CHAT_NAME)]) {
		if (!error) continue;
		const e = error as Error & { description?: unknown; context?: unknown; cause?: unknown };
		parts.push(
			String(e.message),
			String(e.description),
			String(e.stack),
			JSON.stringify(e.context ?? null),
			JSON.stringify(e.cause ?? null),
			JSON.stringify(e, Object.getOwnPropertyNames(e)),
			JSON.stringify(e),
		);
	}
	for (const outputIndex of [0, 1])
		parts.push(JSON.stringify(result.output(CHAT_NAME, outputIndex)));
	return parts.join('\n');
}

function expectNoKey(result: RunResult, apiKey: string): void {
	const visible = everythingVisible(result);
	expect(visible.length).toBeGreaterThan(100);
	expect(visible).not.toContain(apiKey);
	// Not even the secret part without its prefix.
	expect(visible).not.toContain(apiKey.replace(/^sgk_/, ''));
}

type EchoMode = 'html502' | 'jsonError' | 'jsonDetails' | 'invalidJson' | 'html200';

/**
 * A misbehaving server that echoes the Authorization header back: in an HTML error page, in a
 * JSON error message and its details, in a broken JSON body. GET /v1/models/... (the Chat node's
 * model lookup) answers a JSON 404 that echoes it too.
 */
async function echoServer(mode: EchoMode) {
	const seen: string[] = [];
	const server = http.createServer((req, res) => {
		req.resume();
		const auth = String(req.headers.authorization ?? '');
		seen.push(`${req.method} ${req.url}`);
		const send = (status: number, type: string, body: string) => {
			res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
			res.end(body);
		};
		if (req.url?.startsWith('/v1/models')) {
			return send(
				404,
				'application/json',
				JSON.stringify({
					status: 'error',
					error: { code: 'MODEL_NOT_FOUND', message: `No model for ${auth}` },
				}),
			);
		}
		switch (mode) {
			case 'html502':
				return send(
					502,
					'text/html',
					`<html><body><h1>502 Bad Gateway</h1><pre>Authorization: ${auth}</pre></body></html>`,
				);
			case 'jsonError':
				return send(
					500,
					'application/json',
					JSON.stringify({
						status: 'error',
						error: {
							code: 'BACKEND_ERROR',
							message: `Upstream refused the request sent with ${auth}`,
						},
					}),
				);
			case 'jsonDetails':
				return send(
					422,
					'application/json',
					JSON.stringify({
						status: 'error',
						error: {
							code: 'VALIDATION_ERROR',
							message: `Header authorization=${auth} is not accepted`,
							details: [{ field: 'authorization', message: `unexpected value ${auth}` }],
						},
					}),
				);
			case 'invalidJson':
				return send(200, 'application/json', `{"echo": "${auth}", "data": {`);
			case 'html200':
				return send(200, 'text/html', `<html><body>Hello ${auth}</body></html>`);
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		seen,
		close: async () =>
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

const ECHO_KEY = 'sgk_' + 'feedfacecafebeef0123'.repeat(2);

describe('the API key never appears in outputs or errors', () => {
	const modes: EchoMode[] = ['html502', 'jsonError', 'jsonDetails', 'invalidJson', 'html200'];
	const onErrors: Array<NodeSettings['onError']> = [
		'stopWorkflow',
		'continueRegularOutput',
		'continueErrorOutput',
	];
	const cases = modes.flatMap((mode) => onErrors.map((onError) => [mode, onError] as const));

	it.each(cases)('a server echoing the key (%s), onError %s', async (mode, onError) => {
		const server = await echoServer(mode);
		try {
			const result = await runWorkflow(
				chatWorkflow({}, { onError, retryOnFail: true, maxTries: 2, waitBetweenTries: 10 }),
				{ credentials: credentialsFor(emu, { apiKey: ECHO_KEY, baseUrl: server.url }) },
			);
			// The server really received the key (so it really could echo it)...
			expect(server.seen.some((line) => line.startsWith('POST /v1/inference/chat'))).toBe(true);
			// ...and the item failed.
			if (onError === 'stopWorkflow') {
				expect(result.status).toBe('error');
			} else {
				const failed = result.output(CHAT_NAME, onError === 'continueErrorOutput' ? 1 : 0);
				const all = [...result.output(CHAT_NAME, 0), ...result.output(CHAT_NAME, 1)];
				expect(all).toHaveLength(1);
				expect(failed[0]?.json.error).toContain('ScaiGrid ');
			}
			expectNoKey(result, ECHO_KEY);
		} finally {
			await server.close();
		}
	});

	it('the echo server does echo the key (control)', async () => {
		const server = await echoServer('jsonDetails');
		try {
			const response = await fetch(`${server.url}${CHAT_PATH}`, {
				method: 'POST',
				headers: { authorization: `Bearer ${ECHO_KEY}` },
			});
			expect(await response.text()).toContain(ECHO_KEY);
		} finally {
			await server.close();
		}
	});

	it.each([
		['a wrong key (401)', { key: 'sgk_' + '0123456789abcdef'.repeat(2) + '01234567' }],
		['a key without models:use (403)', { permissions: ['models:list'] }],
		['a 500 with an unknown code', { fault: { code: 'KABOOM', httpStatus: 500, count: 10 } }],
		[
			'a rate limit past Max Retry Wait',
			{ fault: { code: 'RATE_LIMITED', retryAfter: 120, count: 1 } },
		],
		['invalid JSON', { fault: { fault: 'invalidJson', count: 1 } }],
		['a connection reset', { fault: { fault: 'reset', count: 10 } }],
	] as const)(
		'emulator failure: %s',
		async (
			_label,
			setup: { key?: string; permissions?: readonly Permission[]; fault?: FaultSpec },
		) => {
			for (const onError of [
				'stopWorkflow',
				'continueRegularOutput',
				'continueErrorOutput',
			] as const) {
				emu.reset();
				let apiKey: string = emu.apiKey;
				if (setup.key) apiKey = setup.key;
				if (setup.permissions) apiKey = emu.addKey({ permissions: [...setup.permissions] });
				if (setup.fault) emu.failNext({ ...setup.fault, path: CHAT_PATH });
				const result = await runWorkflow(
					chatWorkflow({}, { onError, retryOnFail: true, maxTries: 2, waitBetweenTries: 10 }),
					{
						credentials: credentialsFor(emu, { apiKey }),
					},
				);
				if (onError === 'stopWorkflow') expect(result.status).toBe('error');
				else
					expect(
						result.output(CHAT_NAME, onError === 'continueErrorOutput' ? 1 : 0)[0].json.error,
					).toContain('ScaiGrid ');
				expectNoKey(result, apiKey);
			}
		},
	);

	it('a successful run does not carry the key either', async () => {
		const result = await runWorkflow(chatWorkflow({}), { credentials: credentialsFor(emu) });
		expect(result.status).toBe('success');
		expectNoKey(result, emu.apiKey);
	});
});
