/**
 * ScaiGrid List Models in n8n's engine against the emulator: paging (Return All, Limit across a
 * page boundary, search + Limit), each filter, Get by slug (the `/` sent as %2F), simplified and
 * raw output, and the errors the node must explain (unknown slug, missing permission, rate limit).
 */
import { loadWorkflowFile, runWorkflow } from '../helpers/engine';
import type { RunResult } from '../helpers/engine';
import { credentialsFor } from '../helpers/workflows';
import { useEmulator } from '../helpers/emulator';
import type { LoggedRequest } from '../helpers/emulator';

const NODE = 'List Models';
const PAGE_SIZE = 5;

interface ApiModel {
	slug: string;
	display_name: string;
	modality: string;
	status: string;
	health_status: string;
	context_window: number;
	max_output_tokens?: number;
	input_price_per_mtok?: string;
	output_price_per_mtok?: string;
	[key: string]: unknown;
}

// No rate limit: these tests send many small pages on purpose.
const em = useEmulator({ modelsPageSize: PAGE_SIZE, rateLimit: false });

// ---- helpers ------------------------------------------------------------------------------

/** Manual Trigger → ScaiGrid List Models with these parameters (and node settings). */
function listModelsWorkflow(
	parameters: Record<string, unknown>,
	settings: Record<string, unknown> = {},
) {
	return {
		name: 'List models test',
		nodes: [
			{
				id: 'trigger',
				name: 'Manual',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'list',
				name: NODE,
				type: 'n8n-nodes-scaigrid.scaiGridListModels',
				typeVersion: 1,
				position: [200, 0],
				parameters,
				...settings,
			},
		],
		connections: { Manual: { main: [[{ node: NODE, type: 'main', index: 0 }]] } },
	};
}

async function run(
	workflow: object,
	apiKey: string = em.apiKey,
	triggerItems?: object[],
): Promise<RunResult> {
	return await runWorkflow(workflow, {
		credentials: credentialsFor(em, { apiKey }),
		...(triggerItems && { triggerItems: triggerItems as never }),
	});
}

/** What the emulator holds, read over its own HTTP API in one large page: the expected answers. */
async function catalog(query: Record<string, string> = {}): Promise<ApiModel[]> {
	const qs = new URLSearchParams({ ...query, limit: '100' });
	const response = await fetch(`${em.url}/v1/models?${qs}`, {
		headers: { authorization: `Bearer ${em.apiKey}` },
	});
	const body = (await response.json()) as {
		data: { items: ApiModel[] };
		pagination: { has_more: boolean };
	};
	expect(body.pagination.has_more).toBe(false);
	em.clearRequests();
	return body.data.items;
}

async function catalogModel(slug: string): Promise<ApiModel> {
	const response = await fetch(`${em.url}/v1/models/${encodeURIComponent(slug)}`, {
		headers: { authorization: `Bearer ${em.apiKey}` },
	});
	const body = (await response.json()) as { data: ApiModel };
	em.clearRequests();
	return body.data;
}

function modelRequests(): LoggedRequest[] {
	return em.requests.filter((r) => r.path.startsWith('/v1/models'));
}

function slugs(result: RunResult, node = NODE): string[] {
	return result.output(node).map((item) => item.json.slug as string);
}

/** Each page after the first sends back a cursor, never the same one twice; no page size is forced. */
function expectCursorChain(requests: LoggedRequest[]): void {
	expect(requests[0].query.cursor).toBeUndefined();
	const cursors = requests.slice(1).map((r) => r.query.cursor);
	for (const cursor of cursors) expect(typeof cursor).toBe('string');
	expect(new Set(cursors).size).toBe(cursors.length);
	for (const request of requests) expect(request.query.limit).toBeUndefined();
}

// ---- Get Many: paging -----------------------------------------------------------------------

describe('Get Many: paging', () => {
	test('Return All follows next_cursor through every page', async () => {
		const expected = await catalog({ modality: 'chat' });
		expect(expected.length).toBeGreaterThan(3 * PAGE_SIZE); // at least four pages

		const result = await run(
			listModelsWorkflow({ operation: 'getAll', returnAll: true, filters: { modality: 'chat' } }),
		);

		expect(result.status).toBe('success');
		expect(slugs(result)).toEqual(expected.map((m) => m.slug));
		const requests = modelRequests();
		expect(requests).toHaveLength(Math.ceil(expected.length / PAGE_SIZE));
		expectCursorChain(requests);
		for (const request of requests) {
			expect(request.path).toBe('/v1/models');
			expect(request.query.modality).toBe('chat');
			expect(request.status).toBe(200);
		}
		// One input item: every model is paired to it.
		for (const item of result.output(NODE)) expect(item.pairedItem).toEqual({ item: 0 });
	});

	test('the cursor sent is the one the previous page returned', async () => {
		const result = await run(listModelsWorkflow({ operation: 'getAll', returnAll: true }));
		expect(result.status).toBe('success');
		const requests = modelRequests();
		// Replay the same pages directly and compare each page's next_cursor with the next request.
		for (let i = 0; i < requests.length - 1; i++) {
			const qs = new URLSearchParams(requests[i].query);
			const page = (await (
				await fetch(`${em.url}/v1/models${qs.size ? `?${qs}` : ''}`, {
					headers: { authorization: `Bearer ${em.apiKey}` },
				})
			).json()) as { pagination: { next_cursor: string } };
			expect(requests[i + 1].query.cursor).toBe(page.pagination.next_cursor);
		}
		expect(slugs(result)).toEqual((await catalog()).map((m) => m.slug));
	});

	test('Limit crossing a page boundary stops after the page that completes it', async () => {
		const expected = (await catalog({ modality: 'chat' })).slice(0, PAGE_SIZE + 2);

		const result = await run(
			listModelsWorkflow({
				operation: 'getAll',
				returnAll: false,
				limit: PAGE_SIZE + 2,
				filters: { modality: 'chat' },
			}),
		);

		expect(result.status).toBe('success');
		expect(slugs(result)).toEqual(expected.map((m) => m.slug));
		const requests = modelRequests();
		expect(requests).toHaveLength(2);
		expectCursorChain(requests);
	});

	test('Limit within the first page sends one request', async () => {
		const result = await run(listModelsWorkflow({ operation: 'getAll', limit: 3 }));
		expect(result.output(NODE)).toHaveLength(3);
		expect(modelRequests()).toHaveLength(1);
	});

	test('Limit above the number of models returns them all and stops when pages run out', async () => {
		const expected = await catalog({ modality: 'embedding' });
		const result = await run(
			listModelsWorkflow({ operation: 'getAll', limit: 50, filters: { modality: 'embedding' } }),
		);
		expect(slugs(result)).toEqual(expected.map((m) => m.slug));
		expect(modelRequests()).toHaveLength(Math.ceil(expected.length / PAGE_SIZE));
	});
});

// ---- Get Many: filters and search -----------------------------------------------------------

describe('Get Many: filters and search', () => {
	test.each(['chat', 'embedding', 'image', 'audio'])(
		'Modality %s is sent to the API',
		async (modality) => {
			const expected = await catalog({ modality });
			expect(expected.length).toBeGreaterThan(0);

			const result = await run(
				listModelsWorkflow({ operation: 'getAll', returnAll: true, filters: { modality } }),
			);

			expect(slugs(result)).toEqual(expected.map((m) => m.slug));
			for (const item of result.output(NODE)) expect(item.json.modality).toBe(modality);
			for (const request of modelRequests()) expect(request.query.modality).toBe(modality);
		},
	);

	test.each(['active', 'deprecated'])('Status %s is sent to the API', async (status) => {
		const expected = await catalog({ status });
		expect(expected.length).toBeGreaterThan(0);

		const result = await run(
			listModelsWorkflow({ operation: 'getAll', returnAll: true, filters: { status } }),
		);

		expect(slugs(result)).toEqual(expected.map((m) => m.slug));
		for (const item of result.output(NODE)) expect(item.json.status).toBe(status);
		for (const request of modelRequests()) expect(request.query.status).toBe(status);
	});

	test('Modality and Status together', async () => {
		const expected = await catalog({ modality: 'chat', status: 'deprecated' });
		const result = await run(
			listModelsWorkflow({
				operation: 'getAll',
				returnAll: true,
				filters: { modality: 'chat', status: 'deprecated' },
			}),
		);
		expect(slugs(result)).toEqual(expected.map((m) => m.slug));
		expect(modelRequests()[0].query).toEqual({ modality: 'chat', status: 'deprecated' });
	});

	test('Search matches the slug, any case, client side', async () => {
		const expected = (await catalog()).filter((m) => m.slug.includes('gpt'));
		expect(expected.length).toBeGreaterThan(1);

		const result = await run(
			listModelsWorkflow({ operation: 'getAll', returnAll: true, filters: { search: 'GPT' } }),
		);

		expect(slugs(result)).toEqual(expected.map((m) => m.slug));
		// The API has no search parameter: nothing extra is sent, every page is read.
		const requests = modelRequests();
		for (const request of requests) expect(request.query.search).toBeUndefined();
		expect(requests).toHaveLength(Math.ceil((await catalog()).length / PAGE_SIZE));
	});

	test('Search matches the display name', async () => {
		const result = await run(
			listModelsWorkflow({
				operation: 'getAll',
				returnAll: true,
				filters: { search: 'support bot' },
			}),
		);
		// "ACME Support Bot": the slug (tenant/acme/support-bot) has a dash, only the name matches.
		expect(slugs(result)).toEqual(['tenant/acme/support-bot']);
		expect(result.output(NODE)[0].json.displayName).toBe('ACME Support Bot');
	});

	test('Search + Limit keeps paging until Limit matches are found, then stops', async () => {
		const chat = await catalog({ modality: 'chat' });
		const claude = chat.filter((m) => m.slug.includes('claude'));
		expect(claude.length).toBeGreaterThan(2);
		// The page that holds the second match is the last one requested.
		const lastPage = Math.floor(chat.indexOf(claude[1]) / PAGE_SIZE) + 1;
		expect(lastPage).toBeLessThan(Math.ceil(chat.length / PAGE_SIZE));

		const result = await run(
			listModelsWorkflow({
				operation: 'getAll',
				limit: 2,
				filters: { modality: 'chat', search: 'claude' },
			}),
		);

		expect(slugs(result)).toEqual(claude.slice(0, 2).map((m) => m.slug));
		expect(modelRequests()).toHaveLength(lastPage);
	});

	test('a search that matches nothing gives no items and no error', async () => {
		const result = await run(
			listModelsWorkflow({
				operation: 'getAll',
				returnAll: true,
				filters: { search: 'no-such-model' },
			}),
		);
		expect(result.status).toBe('success');
		expect(result.output(NODE)).toEqual([]);
	});
});

// ---- Output --------------------------------------------------------------------------------

describe('output', () => {
	test('simplified: camelCase fields, prices as numbers with their unit and the raw strings', async () => {
		const result = await run(
			listModelsWorkflow({
				operation: 'getAll',
				returnAll: true,
				filters: { search: 'poolnoodle-omni' },
			}),
		);
		expect(result.output(NODE)).toHaveLength(1);
		expect(result.output(NODE)[0].json).toEqual({
			slug: 'scailabs/poolnoodle-omni',
			displayName: 'PoolNoodle Omni',
			description: 'PoolNoodle Omni served through ScaiGrid.',
			modality: 'chat',
			status: 'active',
			health: 'healthy',
			contextWindow: 128000,
			maxOutputTokens: 8192,
			activeBackendCount: 3,
			totalBackendCount: 3,
			inputPricePerMillionTokens: 2.5,
			outputPricePerMillionTokens: 10,
			priceUnit: 'per 1M tokens',
			inputPrice: '2.50',
			outputPrice: '10.00',
		});
	});

	test('simplified: missing optional fields are null or absent, never invented', async () => {
		const workflow = listModelsWorkflow({
			operation: 'getAll',
			returnAll: true,
			filters: { modality: 'chat' },
		});
		const items = (await run(workflow)).output(NODE).map((item) => item.json);

		const llama = items.find((m) => m.slug === 'meta/llama-3.1-70b')!;
		expect(llama.maxOutputTokens).toBeNull(); // the API leaves max_output_tokens out
		const qwen = items.find((m) => m.slug === 'local/qwen2.5-7b')!;
		for (const key of [
			'inputPricePerMillionTokens',
			'outputPricePerMillionTokens',
			'priceUnit',
			'inputPrice',
			'outputPrice',
		]) {
			expect(qwen).not.toHaveProperty(key); // no price configured
		}
		const opus = items.find((m) => m.slug === 'anthropic/claude-opus')!;
		expect(opus).toMatchObject({ health: 'degraded', activeBackendCount: 0, totalBackendCount: 1 });
		// Fields outside the contract stay in Raw output only.
		for (const item of items) expect(item).not.toHaveProperty('capabilities');
	});

	test('raw: the API object as received', async () => {
		const expected = await catalog({ modality: 'image' });
		const result = await run(
			listModelsWorkflow({
				operation: 'getAll',
				returnAll: true,
				filters: { modality: 'image' },
				simplify: false,
			}),
		);
		expect(result.output(NODE).map((item) => item.json)).toEqual(expected);
	});
});

// ---- Get ------------------------------------------------------------------------------------

describe('Get', () => {
	test('a slug containing / travels as %2F', async () => {
		const result = await run(
			listModelsWorkflow({
				operation: 'get',
				model: { __rl: true, mode: 'id', value: 'openai/gpt-4o' },
			}),
		);

		expect(result.status).toBe('success');
		const requests = modelRequests();
		expect(requests).toHaveLength(1);
		expect(requests[0].path).toBe('/v1/models/openai%2Fgpt-4o');
		expect(result.output(NODE)).toHaveLength(1);
		expect(result.output(NODE)[0].json).toMatchObject({
			slug: 'openai/gpt-4o',
			displayName: 'GPT-4o',
			contextWindow: 128000,
			maxOutputTokens: 16384,
			inputPricePerMillionTokens: 2.5,
			outputPricePerMillionTokens: 10,
		});
		expect(result.output(NODE)[0].pairedItem).toEqual({ item: 0 });
	});

	test('a persona slug with two slashes, picked from the list, raw output', async () => {
		const slug = 'tenant/acme/support-bot';
		const result = await run(
			listModelsWorkflow({
				operation: 'get',
				model: { __rl: true, mode: 'list', value: slug },
				simplify: false,
			}),
		);
		expect(modelRequests()[0].path).toBe('/v1/models/tenant%2Facme%2Fsupport-bot');
		expect(result.output(NODE)[0].json).toEqual(await catalogModel(slug));
	});

	test('each input item gets its own model, paired to it', async () => {
		const result = await run(
			listModelsWorkflow({
				operation: 'get',
				model: { __rl: true, mode: 'id', value: '={{ $json.slug }}' },
			}),
			em.apiKey,
			[{ slug: 'anthropic/claude-haiku' }, { slug: 'mistral/mistral-small' }],
		);
		expect(result.output(NODE).map((item) => [item.json.slug, item.pairedItem])).toEqual([
			['anthropic/claude-haiku', { item: 0 }],
			['mistral/mistral-small', { item: 1 }],
		]);
		expect(modelRequests().map((r) => r.path)).toEqual(
			expect.arrayContaining([
				'/v1/models/anthropic%2Fclaude-haiku',
				'/v1/models/mistral%2Fmistral-small',
			]),
		);
	});
});

// ---- Get Many per input item ---------------------------------------------------------------

test('Get Many runs once per input item, each listing paired to its item', async () => {
	const result = await run(
		listModelsWorkflow({
			operation: 'getAll',
			returnAll: true,
			filters: { modality: '={{ $json.modality }}' },
		}),
		em.apiKey,
		[{ modality: 'image' }, { modality: 'audio' }],
	);
	const images = await catalog({ modality: 'image' });
	const audio = await catalog({ modality: 'audio' });
	expect(result.output(NODE).map((item) => [item.json.slug, item.pairedItem])).toEqual([
		...images.map((m) => [m.slug, { item: 0 }]),
		...audio.map((m) => [m.slug, { item: 1 }]),
	]);
});

// ---- Errors ---------------------------------------------------------------------------------

describe('errors', () => {
	test('an unknown slug fails with MODEL_NOT_FOUND naming the slug, sent once', async () => {
		const slug = 'nope/no-such-model';
		const result = await run(
			listModelsWorkflow({ operation: 'get', model: { __rl: true, mode: 'id', value: slug } }),
		);

		expect(result.status).toBe('error');
		const error = result.nodeError(NODE) as Error & { description?: string; httpCode?: string };
		expect(error.message).toContain('MODEL_NOT_FOUND');
		expect(error.message).toContain(slug);
		expect(error.description).toContain(slug);
		expect(error.description).toMatch(/Request ID: req_/);
		expect(error.httpCode).toBe('404');
		expect(modelRequests()).toHaveLength(1); // not retryable
		expect(modelRequests()[0].path).toBe('/v1/models/nope%2Fno-such-model');
		expect(JSON.stringify(error)).not.toContain(em.apiKey);
		expect(`${error.message} ${error.description}`).not.toContain(em.apiKey);
	});

	test('Get without a model says so and sends nothing', async () => {
		// An expression that resolves to nothing (an empty literal is already refused by n8n itself).
		const result = await run(
			listModelsWorkflow({
				operation: 'get',
				model: { __rl: true, mode: 'id', value: '={{ $json.slug }}' },
			}),
			em.apiKey,
			[{ slug: ' ' }],
		);
		expect(result.status).toBe('error');
		expect(result.nodeError(NODE)!.message).toBe('No model chosen');
		expect(modelRequests()).toHaveLength(0);
	});

	test('with continue on fail the unknown slug becomes an error item with code and request ID', async () => {
		const result = await run(
			listModelsWorkflow(
				{ operation: 'get', model: { __rl: true, mode: 'id', value: '={{ $json.slug }}' } },
				{ onError: 'continueRegularOutput' },
			),
			em.apiKey,
			[{ slug: 'openai/gpt-4o' }, { slug: 'ghost/model' }],
		);
		expect(result.status).toBe('success');
		const [ok, failed] = result.output(NODE);
		expect(ok.json.slug).toBe('openai/gpt-4o');
		expect(failed.pairedItem).toEqual({ item: 1 });
		expect(failed.json).toMatchObject({ code: 'MODEL_NOT_FOUND', httpStatus: 404 });
		expect(failed.json.error).toContain('ghost/model');
		expect(failed.json.requestId).toMatch(/^req_/);
		expect(JSON.stringify(failed.json)).not.toContain(em.apiKey);
	});

	test('a key without models:list is told which permission is missing', async () => {
		const key: string = em.addKey({ permissions: ['models:use'] });
		const result = await run(listModelsWorkflow({ operation: 'getAll', returnAll: true }), key);

		expect(result.status).toBe('error');
		const error = result.nodeError(NODE) as Error & { description?: string; httpCode?: string };
		expect(error.message).toContain('AUTHZ_PERMISSION_DENIED');
		expect(error.message).toContain('models:list');
		expect(error.description).toContain('models:list');
		expect(error.httpCode).toBe('403');
		expect(modelRequests()).toHaveLength(1); // not retryable
		expect(modelRequests()[0].status).toBe(403);
		expect(`${JSON.stringify(error)} ${error.message} ${error.description}`).not.toContain(key);
	});

	test('Get with a key without models:list names the permission too', async () => {
		const key: string = em.addKey({ permissions: ['models:use'] });
		const result = await run(
			listModelsWorkflow({
				operation: 'get',
				model: { __rl: true, mode: 'id', value: 'openai/gpt-4o' },
			}),
			key,
		);
		expect(result.status).toBe('error');
		expect(result.nodeError(NODE)!.message).toContain('models:list');
	});

	test('terse server messages still name the slug and the permission', async () => {
		// A real instance may not repeat the slug or the permission in its message text.
		em.failNext({ code: 'MODEL_NOT_FOUND', message: 'Not found', path: '/v1/models/' });
		const notFound = await run(
			listModelsWorkflow({
				operation: 'get',
				model: { __rl: true, mode: 'id', value: 'openai/gpt-5' },
			}),
		);
		expect(notFound.nodeError(NODE)!.message).toBe(
			'ScaiGrid MODEL_NOT_FOUND: Not found (slug "openai/gpt-5")',
		);

		em.failNext({
			code: 'AUTHZ_PERMISSION_DENIED',
			message: 'Permission denied',
			path: '/v1/models',
		});
		const denied = await run(listModelsWorkflow({ operation: 'getAll', returnAll: true }));
		expect(denied.nodeError(NODE)!.message).toBe(
			'ScaiGrid AUTHZ_PERMISSION_DENIED: Permission denied (needs the permission "models:list")',
		);
	});

	test('a rate-limited list call is retried after Retry-After and the items come out', async () => {
		em.failNext({ code: 'RATE_LIMITED', retryAfter: 1, count: 1 });
		const started = Date.now();

		const result = await run(
			listModelsWorkflow({ operation: 'getAll', limit: 2, filters: { modality: 'chat' } }),
		);

		expect(result.status).toBe('success');
		expect(result.output(NODE)).toHaveLength(2);
		const requests = modelRequests();
		expect(requests.map((r) => r.status)).toEqual([429, 200]);
		expect(requests[1].query).toEqual(requests[0].query); // the same page asked again
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
	});
});

// ---- Example workflow ------------------------------------------------------------------------

test('examples/list-models.json: healthy chat models with a context of at least 100k', async () => {
	const expected = (await catalog({ modality: 'chat' }))
		.filter((m) => m.health_status === 'healthy' && m.context_window >= 100000)
		.map((m) => m.slug);
	expect(expected.length).toBeGreaterThan(0);

	const result = await run(loadWorkflowFile('examples/list-models.json'));

	expect(result.status).toBe('success');
	expect(slugs(result, 'List Chat Models').length).toBeGreaterThan(expected.length); // the filter removed some
	expect(slugs(result, 'Result')).toEqual(expected);
	for (const request of modelRequests()) expect(request.query.modality).toBe('chat');
});
