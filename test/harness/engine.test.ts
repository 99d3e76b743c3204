/**
 * Proves the engine harness (test/helpers/engine.ts) with real n8n-nodes-base nodes and real
 * loopback HTTP servers: results, branching, trigger items, continue-on-fail routing, the
 * engine's retry settings and cancellation.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import * as path from 'node:path';

import { binaryData, registerNodePackage, runWorkflow, testCredential } from '../helpers/engine';

// ---- small builders for workflow JSON ----------------------------------------------------

type Node = Record<string, unknown> & { name: string };

const manualTrigger: Node = {
	id: 'trigger',
	name: 'Manual',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function setNode(name: string, fields: Record<string, string | number>): Node {
	return {
		id: name,
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [200, 0],
		parameters: {
			mode: 'manual',
			assignments: {
				assignments: Object.entries(fields).map(([key, value], index) => ({
					id: `${name}-${index}`,
					name: key,
					value,
					type: typeof value === 'number' ? 'number' : 'string',
				})),
			},
			includeOtherFields: true,
			options: {},
		},
	};
}

function noOp(name: string): Node {
	return {
		id: name,
		name,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [600, 0],
		parameters: {},
	};
}

function httpRequest(name: string, url: string, settings: Record<string, unknown> = {}): Node {
	return {
		id: name,
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [200, 0],
		parameters: { url, options: {} },
		...settings,
	};
}

/** Connections from a list of [source, outputIndex, target]. */
function connect(...links: Array<[string, number, string]>) {
	const connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: string; index: number }>> }
	> = {};
	for (const [source, output, target] of links) {
		connections[source] ??= { main: [] };
		while (connections[source].main.length <= output) connections[source].main.push([]);
		connections[source].main[output].push({ node: target, type: 'main', index: 0 });
	}
	return connections;
}

// ---- loopback servers ---------------------------------------------------------------------

async function listen(
	handler: http.RequestListener,
): Promise<{ url: string; server: http.Server }> {
	const server = http.createServer(handler);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return { url: `http://127.0.0.1:${port}`, server };
}

async function close(server: http.Server): Promise<void> {
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A port nothing listens on: bind, note the port, release it. */
async function closedPort(): Promise<number> {
	const { server, url } = await listen(() => {});
	await close(server);
	return Number(new URL(url).port);
}

// ---- tests --------------------------------------------------------------------------------

describe('engine harness with n8n-nodes-base', () => {
	it('runs manual trigger → Set and returns the set values', async () => {
		const result = await runWorkflow({
			nodes: [
				manualTrigger,
				setNode('Set', { greeting: 'hello', answer: 42, sum: '={{ 40 + 2 }}' }),
			],
			connections: connect(['Manual', 0, 'Set']),
		});

		expect(result.status).toBe('success');
		expect(result.error).toBeUndefined();
		expect(result.output('Set').map((item) => item.json)).toEqual([
			{ greeting: 'hello', answer: 42, sum: '42' },
		]);
	});

	it('branches with an If node', async () => {
		const ifNode: Node = {
			id: 'if',
			name: 'Big?',
			type: 'n8n-nodes-base.if',
			typeVersion: 2.2,
			position: [400, 0],
			parameters: {
				conditions: {
					options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
					conditions: [
						{
							id: 'c1',
							leftValue: '={{ $json.n }}',
							rightValue: 10,
							operator: { type: 'number', operation: 'gt' },
						},
					],
					combinator: 'and',
				},
				options: {},
			},
		};
		const result = await runWorkflow(
			{
				nodes: [manualTrigger, ifNode, noOp('Yes'), noOp('No')],
				connections: connect(['Manual', 0, 'Big?'], ['Big?', 0, 'Yes'], ['Big?', 1, 'No']),
			},
			{ triggerItems: [{ n: 5 }, { n: 50 }, { n: 7 }] },
		);

		expect(result.status).toBe('success');
		expect(result.output('Big?', 0).map((item) => item.json.n)).toEqual([50]);
		expect(result.output('Big?', 1).map((item) => item.json.n)).toEqual([5, 7]);
		expect(result.output('Yes').map((item) => item.json.n)).toEqual([50]);
		expect(result.output('No').map((item) => item.json.n)).toEqual([5, 7]);
	});

	it('delivers triggerItems from the trigger, with pairedItem', async () => {
		const result = await runWorkflow(
			{
				nodes: [manualTrigger, setNode('Set', { seen: 'yes' })],
				connections: connect(['Manual', 0, 'Set']),
			},
			{ triggerItems: [{ id: 1 }, { id: 2 }, { id: 3 }] },
		);

		expect(result.output('Manual').map((item) => item.json)).toEqual([
			{ id: 1 },
			{ id: 2 },
			{ id: 3 },
		]);
		const set = result.output('Set');
		expect(set.map((item) => item.json)).toEqual([
			{ id: 1, seen: 'yes' },
			{ id: 2, seen: 'yes' },
			{ id: 3, seen: 'yes' },
		]);
		expect(set.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('routes a failing item to the error output with onError: continueErrorOutput', async () => {
		const port = await closedPort();
		const result = await runWorkflow(
			{
				nodes: [
					manualTrigger,
					httpRequest('Fetch', `http://127.0.0.1:${port}/nothing`, {
						onError: 'continueErrorOutput',
					}),
					noOp('Success'),
					noOp('Failure'),
				],
				connections: connect(
					['Manual', 0, 'Fetch'],
					['Fetch', 0, 'Success'],
					['Fetch', 1, 'Failure'],
				),
			},
			{ triggerItems: [{ order: 7 }] },
		);

		expect(result.status).toBe('success');
		expect(result.output('Fetch', 0)).toEqual([]);
		const failed = result.output('Failure');
		expect(failed).toHaveLength(1);
		expect(String(failed[0].json.error ?? JSON.stringify(failed[0].json))).toMatch(
			/ECONNREFUSED|refused/i,
		);
		expect(result.runData.Success).toBeUndefined();
	});

	it('fails the run without onError, and names the node', async () => {
		const port = await closedPort();
		const result = await runWorkflow({
			nodes: [manualTrigger, httpRequest('Fetch', `http://127.0.0.1:${port}/nothing`)],
			connections: connect(['Manual', 0, 'Fetch']),
		});

		expect(result.status).toBe('error');
		expect(result.error).toBeInstanceOf(Error);
		expect(result.nodeError('Fetch')?.message).toMatch(/refused|ECONNREFUSED/i);
	});

	it('honours retryOnFail / maxTries: 2 (the engine re-runs the node)', async () => {
		let requests = 0;
		const { url, server } = await listen((_req, res) => {
			requests++;
			const ok = requests >= 2;
			res.writeHead(ok ? 200 : 500, { 'content-type': 'application/json' });
			res.end(JSON.stringify(ok ? { ok: true } : { error: 'boom' }));
		});
		try {
			const result = await runWorkflow({
				nodes: [
					manualTrigger,
					httpRequest('Fetch', `${url}/flaky`, {
						retryOnFail: true,
						maxTries: 2,
						waitBetweenTries: 10,
					}),
				],
				connections: connect(['Manual', 0, 'Fetch']),
			});

			expect(requests).toBe(2);
			expect(result.status).toBe('success');
			expect(result.output('Fetch').map((item) => item.json)).toEqual([{ ok: true }]);
		} finally {
			await close(server);
		}
	});

	it('without retryOnFail a failing request is sent once', async () => {
		let requests = 0;
		const { url, server } = await listen((_req, res) => {
			requests++;
			res.writeHead(500).end('{}');
		});
		try {
			const result = await runWorkflow({
				nodes: [manualTrigger, httpRequest('Fetch', `${url}/down`, { maxTries: 5 })],
				connections: connect(['Manual', 0, 'Fetch']),
			});
			expect(result.status).toBe('error');
			expect(requests).toBe(1);
		} finally {
			await close(server);
		}
	});

	it('cancelAfterMs: n8n-nodes-base HTTP Request ignores the cancel signal; the harness stops waiting', async () => {
		// The built-in HTTP Request node does not pass the execution's AbortSignal to its request,
		// so n8n's engine cannot stop it: the harness reports the run canceled after cancelGraceMs,
		// with an error saying the node did not stop. (Nodes using httpRequestWithAuthentication
		// do stop at once: see the Probe tests below.)
		let received = 0;
		const { url, server } = await listen(() => {
			received++; // never answers
		});
		try {
			const result = await runWorkflow(
				{
					nodes: [manualTrigger, httpRequest('Hang', `${url}/hang`)],
					connections: connect(['Manual', 0, 'Hang']),
				},
				{ cancelAfterMs: 300, cancelGraceMs: 200 },
			);

			expect(received).toBe(1);
			expect(result.status).toBe('canceled');
			expect(result.error?.message).toMatch(/did not stop/);
			expect(result.durationMs).toBeGreaterThanOrEqual(480);
			expect(result.durationMs).toBeLessThan(1500);
		} finally {
			await close(server);
		}
	});

	it('runs a Schedule Trigger as the start node (one item with a timestamp)', async () => {
		const schedule: Node = {
			id: 'schedule',
			name: 'Every Monday',
			type: 'n8n-nodes-base.scheduleTrigger',
			typeVersion: 1.2,
			position: [0, 0],
			parameters: { rule: { interval: [{ field: 'weeks', triggerAtDay: [1], triggerAtHour: 8 }] } },
		};
		const result = await runWorkflow({
			nodes: [schedule, setNode('Set', { report: 'weekly' })],
			connections: connect(['Every Monday', 0, 'Set']),
		});

		expect(result.status).toBe('success');
		const [item] = result.output('Set');
		expect(item.json.report).toBe('weekly');
		expect(typeof item.json.timestamp).toBe('string');
	});
});

// ---- the harness features our own nodes use, proven with a fixture community package ------

describe('engine harness with a community package (fixture)', () => {
	beforeAll(async () => {
		await registerNodePackage(path.join(__dirname, 'fixture-package'));
	});

	function probe(
		parameters: Record<string, unknown>,
		settings: Record<string, unknown> = {},
	): Node {
		return {
			id: 'probe',
			name: 'Probe',
			type: 'n8n-nodes-harness-fixture.probe',
			typeVersion: 1,
			position: [200, 0],
			parameters,
			...settings,
		};
	}

	const probeWorkflow = (
		parameters: Record<string, unknown>,
		settings?: Record<string, unknown>,
	) => ({
		nodes: [manualTrigger, probe(parameters, settings)],
		connections: connect(['Manual', 0, 'Probe']),
	});

	/** Echoes what the request carried: path, query and auth headers. */
	async function echoServer() {
		const seen: http.IncomingMessage[] = [];
		const server = await listen((req, res) => {
			seen.push(req);
			const requestUrl = new URL(req.url ?? '/', 'http://x');
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					path: requestUrl.pathname,
					query: Object.fromEntries(requestUrl.searchParams),
					authorization: req.headers.authorization ?? null,
					token: req.headers['x-token'] ?? null,
				}),
			);
		});
		return { ...server, seen };
	}

	it('applies generic authenticate (expression header + qs); the credential ref is added to the node', async () => {
		const { url, server } = await echoServer();
		try {
			const result = await runWorkflow(probeWorkflow({ operation: 'request', path: '/echo' }), {
				credentials: { probeGenericApi: { apiKey: 'sk-test', baseUrl: url } },
			});
			expect(result.status).toBe('success');
			expect(result.output('Probe')[0].json).toEqual({
				path: '/echo',
				query: { via: 'generic' },
				authorization: 'Bearer sk-test',
				token: null,
			});
		} finally {
			await close(server);
		}
	});

	it('applies authenticate given as a function', async () => {
		const { url, server } = await echoServer();
		try {
			const result = await runWorkflow(
				probeWorkflow({
					operation: 'request',
					credentialType: 'probeFunctionApi',
					baseUrl: url,
					path: '/fn',
				}),
				{ credentials: { probeFunctionApi: { token: 'abc' } } },
			);
			expect(result.status).toBe('success');
			expect(result.output('Probe')[0].json).toMatchObject({
				path: '/fn',
				token: 'fn:abc',
				authorization: null,
			});
		} finally {
			await close(server);
		}
	});

	it('a missing credential fails the node with a clear message', async () => {
		const result = await runWorkflow(probeWorkflow({ operation: 'request' }), { credentials: {} });
		expect(result.status).toBe('error');
		expect(result.nodeError('Probe')?.message).toMatch(/credentials/i);
	});

	it('streaming: isStreaming() is true and sendChunk calls are captured in order', async () => {
		const result = await runWorkflow(probeWorkflow({ operation: 'stream' }), {
			streaming: true,
			triggerItems: [{ q: 1 }, { q: 2 }],
		});
		expect(result.status).toBe('success');
		expect(result.output('Probe').map((item) => item.json.streamed)).toEqual([true, true]);
		expect(
			result.chunks.map((chunk) => [chunk.type, chunk.itemIndex, chunk.content ?? null]),
		).toEqual([
			['begin', 0, null],
			['item', 0, 'Hello'],
			['item', 0, ' world'],
			['end', 0, null],
			['begin', 1, null],
			['item', 1, 'Hello'],
			['item', 1, ' world'],
			['end', 1, null],
		]);
		expect(result.chunks.every((chunk) => chunk.nodeName === 'Probe')).toBe(true);
	});

	it('without streaming: isStreaming() is false and no chunks are sent', async () => {
		const result = await runWorkflow(probeWorkflow({ operation: 'stream' }));
		expect(result.output('Probe')[0].json.streamed).toBe(false);
		expect(result.chunks).toEqual([]);
	});

	it('exposes hints, token usage metadata and logNodeOutput messages', async () => {
		const result = await runWorkflow(probeWorkflow({ operation: 'stream' }), {
			triggerItems: [{}, {}],
		});
		// one hint per item (the fixture adds one each time)
		expect(result.hints('Probe')).toEqual([
			{ message: 'probe hint', location: 'outputPane' },
			{ message: 'probe hint', location: 'outputPane' },
		]);
		expect(result.metadata('Probe')).toMatchObject({
			tokenUsage: { inputTokens: 6, outputTokens: 4 },
		});
		expect(result.logs.length).toBe(2);
	});

	it('passes binary items to the node (getBinaryDataBuffer / assertBinaryData)', async () => {
		const result = await runWorkflow(probeWorkflow({ operation: 'binary' }), {
			triggerItems: [
				{
					json: { name: 'note' },
					binary: { file: binaryData('hello binary', 'text/plain', 'note.txt') },
				},
			],
		});
		expect(result.status).toBe('success');
		expect(result.output('Probe')[0].json).toEqual({ bytes: 12, text: 'hello binary' });
	});

	it('cancelAfterMs stops a cancellable sleep at once', async () => {
		const result = await runWorkflow(probeWorkflow({ operation: 'sleep', ms: 60000 }), {
			cancelAfterMs: 300,
		});
		expect(result.status).toBe('canceled');
		expect(result.nodeError('Probe')?.message).toMatch(/abort|cancel/i);
		expect(result.durationMs).toBeGreaterThanOrEqual(280);
		expect(result.durationMs).toBeLessThan(1000);
	});

	it('cancelAfterMs aborts a hanging httpRequestWithAuthentication at once', async () => {
		let received = 0;
		const { url, server } = await listen(() => {
			received++; // never answers
		});
		try {
			const result = await runWorkflow(probeWorkflow({ operation: 'request', path: '/hang' }), {
				credentials: { probeGenericApi: { apiKey: 'k', baseUrl: url } },
				cancelAfterMs: 300,
			});
			expect(received).toBe(1);
			expect(result.status).toBe('canceled');
			expect(result.error?.message ?? '').not.toMatch(/did not stop/);
			expect(result.durationMs).toBeLessThan(1000);
		} finally {
			await close(server);
		}
	});

	describe('testCredential (declarative test, as n8n runs it)', () => {
		async function withServer(status: number, body: unknown, run: (url: string) => Promise<void>) {
			const server = await listen((req, res) => {
				res.writeHead(status, {
					'content-type': 'application/json',
					'x-auth': String(req.headers.authorization),
				});
				res.end(
					JSON.stringify({ ...(body as object), auth: req.headers.authorization, path: req.url }),
				);
			});
			try {
				await run(server.url);
			} finally {
				await close(server.server);
			}
		}

		it('OK on 2xx (request carries the generic auth)', async () => {
			await withServer(200, { user: { disabled: false } }, async (url) => {
				expect(await testCredential('probeGenericApi', { apiKey: 'sk', baseUrl: url })).toEqual({
					status: 'OK',
					message: 'Connection successful!',
				});
			});
		});

		it('responseCode rule message on a matching status', async () => {
			await withServer(403, {}, async (url) => {
				expect(await testCredential('probeGenericApi', { apiKey: 'sk', baseUrl: url })).toEqual({
					status: 'Error',
					message: 'Key lacks access',
				});
			});
		});

		it('statusText for other non-2xx', async () => {
			await withServer(401, {}, async (url) => {
				expect(await testCredential('probeGenericApi', { apiKey: 'sk', baseUrl: url })).toEqual({
					status: 'Error',
					message: 'Unauthorized',
				});
			});
		});

		it('responseSuccessBody rule on a 2xx body', async () => {
			await withServer(200, { user: { disabled: true } }, async (url) => {
				expect(await testCredential('probeGenericApi', { apiKey: 'sk', baseUrl: url })).toEqual({
					status: 'Error',
					message: 'User is disabled',
				});
			});
		});

		it('the error code when nothing answers', async () => {
			const port = await closedPort();
			expect(
				await testCredential('probeGenericApi', {
					apiKey: 'sk',
					baseUrl: `http://127.0.0.1:${port}`,
				}),
			).toEqual({
				status: 'Error',
				message: 'ECONNREFUSED',
			});
		});
	});
});
