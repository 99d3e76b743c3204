/**
 * The ScaiGrid API credential's "Test" button, run as n8n's credential tester runs it
 * (declarative request + rules): a good key, a wrong key, a key without models:list, the Base URL
 * in the forms users type, and every "this is not a ScaiGrid" case the message must tell apart.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { testCredential } from '../helpers/engine';
import { useEmulator } from '../helpers/emulator';

const emu = useEmulator({ rateLimit: false });

/** The messages the credential's rules define (credentials/ScaiGridApi.credentials.ts). */
const MESSAGE = {
	401: /ScaiGrid rejected the API key \(401\)/,
	403: /lacks the models:list permission \(403\)/,
	404: /No ScaiGrid API at this Base URL: GET \/v1\/models answered 404/,
	serverError: (status: number) =>
		new RegExp(`The Base URL answered HTTP ${status}: the ScaiGrid instance, or a proxy`),
	notScaiGrid: /answered, but not like a ScaiGrid API \(no data in the reply to GET \/v1\/models\)/,
};

async function test(data: { apiKey?: string; baseUrl?: string }) {
	return await testCredential('scaiGridApi', { apiKey: emu.apiKey, baseUrl: emu.url, ...data });
}

/** The test sends GET /v1/models?limit=1 (free, needs only models:list), `count` times. */
function expectOneTestRequest(count = 1): void {
	const requests = emu.requests;
	expect(requests).toHaveLength(count);
	for (const request of requests) {
		expect(request).toMatchObject({ method: 'GET', path: '/v1/models', query: { limit: '1' } });
	}
}

/** A local HTTP server answering every request with one fixed response. */
async function fixedServer(status: number, contentType: string, body: string) {
	const seen: Array<{ method?: string; url?: string }> = [];
	const server = http.createServer((req, res) => {
		seen.push({ method: req.method, url: req.url });
		req.resume();
		res.writeHead(status, {
			'Content-Type': contentType,
			'Content-Length': Buffer.byteLength(body),
		});
		res.end(body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		seen,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** A loopback port nobody listens on: bind one, note it, close it. */
async function closedPortUrl(): Promise<string> {
	const server = http.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return `http://127.0.0.1:${port}`;
}

describe('credential test against the emulator', () => {
	it('accepts a good key with GET /v1/models?limit=1', async () => {
		const result = await test({});
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expectOneTestRequest();
		expect(emu.requests[0].status).toBe(200);
	});

	it('explains a wrong key (401)', async () => {
		const result = await test({ apiKey: 'sgk_' + '0'.repeat(40) });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(MESSAGE[401]);
		// n8n-core's httpRequestWithAuthentication re-authenticates and resends once on any 401
		// (for every credential type, in production too): the tester sends the request twice.
		expectOneTestRequest(2);
		expect(emu.requests.map((r) => r.status)).toEqual([401, 401]);
	});

	it('explains a revoked key (401)', async () => {
		const key = emu.addKey({ permissions: ['models:list', 'models:use'] });
		emu.revokeKey(key);
		const result = await test({ apiKey: key });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(MESSAGE[401]);
	});

	it('explains a key without models:list (403)', async () => {
		const key = emu.addKey({ permissions: ['models:use'] });
		const result = await test({ apiKey: key });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(MESSAGE[403]);
		expectOneTestRequest();
		expect(emu.requests[0].status).toBe(403);
	});

	it.each([
		['a trailing slash', '/'],
		['a trailing /v1', '/v1'],
		['a trailing /v1/', '/v1/'],
		['surrounding spaces', '  '],
	])('accepts the Base URL with %s', async (_label, suffix) => {
		const baseUrl = suffix === '  ' ? `  ${emu.url}  ` : `${emu.url}${suffix}`;
		const result = await test({ baseUrl });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		// Every form reaches the same path: no /v1/v1, no //v1.
		expectOneTestRequest();
	});

	it('explains a proxy answering HTML 502 with the 5xx message', async () => {
		emu.failNext({ fault: 'html502' });
		const result = await test({});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(MESSAGE.serverError(502));
	});

	it("rejects another service's JSON (200 without data)", async () => {
		emu.failNext({ fault: 'nonScaigridJson' });
		const result = await test({});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(MESSAGE.notScaiGrid);
		expectOneTestRequest();
	});

	it('rejects a 200 ScaiGrid-like envelope that has no data', async () => {
		emu.failNext({ fault: 'missingData' });
		const result = await test({});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(MESSAGE.notScaiGrid);
	});
});

describe('credential test against things that are not ScaiGrid', () => {
	it('fails on a closed port (connection refused)', async () => {
		const result = await testCredential('scaiGridApi', {
			apiKey: 'sgk_test',
			baseUrl: await closedPortUrl(),
		});
		expect(result.status).toBe('Error');
		// n8n's own message for a transport failure: the error code.
		expect(result.message).toMatch(/ECONNREFUSED/);
	});

	it('explains a web server answering 404 HTML', async () => {
		const server = await fixedServer(
			404,
			'text/html',
			'<html><body><h1>Not Found</h1></body></html>',
		);
		try {
			const result = await testCredential('scaiGridApi', {
				apiKey: 'sgk_test',
				baseUrl: server.url,
			});
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(MESSAGE[404]);
			expect(server.seen).toEqual([{ method: 'GET', url: '/v1/models?limit=1' }]);
		} finally {
			await server.close();
		}
	});

	it('rejects a web server answering a 200 HTML page', async () => {
		const server = await fixedServer(
			200,
			'text/html; charset=utf-8',
			'<!doctype html><html><head><title>Welcome</title></head><body>It works!</body></html>',
		);
		try {
			const result = await testCredential('scaiGridApi', {
				apiKey: 'sgk_test',
				baseUrl: server.url,
			});
			expect(server.seen).toEqual([{ method: 'GET', url: '/v1/models?limit=1' }]);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(MESSAGE.notScaiGrid);
		} finally {
			await server.close();
		}
	});

	it('rejects a web server answering 200 JSON of another service', async () => {
		const server = await fixedServer(
			200,
			'application/json',
			JSON.stringify({ ok: true, items: [] }),
		);
		try {
			const result = await testCredential('scaiGridApi', {
				apiKey: 'sgk_test',
				baseUrl: server.url,
			});
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(MESSAGE.notScaiGrid);
		} finally {
			await server.close();
		}
	});
});
