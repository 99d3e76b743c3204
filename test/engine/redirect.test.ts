/**
 * The API key stays with ScaiGrid (issue 14, 1b). The credential's Base URL answers a redirect
 * to a second emulator on another port (another origin): n8n's HTTP helper follows redirects by
 * default and re-attaches the Authorization header on a cross-origin hop, so without care the
 * key would arrive there. Every node, the credential test and the model picker must not follow:
 * the second emulator never sees the key (nor any request), and the user gets an error that
 * names where the redirect pointed.
 */
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow, searchList, testCredential } from '../helpers/engine';
import type { RunOptions, RunResult } from '../helpers/engine';
import { chatRequests } from '../helpers/requestLog';
import {
	CHAT,
	CHAT_NODE,
	PACKAGE,
	chatParameters,
	chatWorkflow,
	credentialsFor,
	singleNodeWorkflow,
} from '../helpers/workflows';
import type { RedirectStatus } from '../../emulator';
import { useEmulator } from '../helpers/emulator';

/** The credential's instance, which redirects. */
const em = useEmulator({ rateLimit: false });
/** Another origin (another port), knowing the same key: a key that arrived would be accepted. */
const elsewhere = useEmulator(() => ({ rateLimit: false, apiKey: em.apiKey }));

/** Every /v1 request to the credential's instance (or those matching `path`) is redirected. */
function redirectTo(location: string, httpStatus: RedirectStatus = 307, path?: string): void {
	em.failNext({ fault: 'redirect', httpStatus, location, count: 1000, ...(path && { path }) });
}

function redirectElsewhere(httpStatus: RedirectStatus = 307, path?: string): void {
	redirectTo(`${elsewhere.url}{path}`, httpStatus, path);
}

/** The key never arrived at the other origin: nothing was followed at all. */
function expectKeyStayedHome(): void {
	expect(
		elsewhere.requests.filter((r: { authorizationSent: boolean }) => r.authorizationSent),
	).toEqual([]);
	expect(elsewhere.requests).toEqual([]);
	expect(em.requests.length).toBeGreaterThan(0);
	for (const request of em.requests) expect(request.status).toBeGreaterThanOrEqual(300);
}

/** The node's error names the redirect's target, says what to do, and never carries the key. */
function expectRedirectError(result: RunResult, nodeName: string, target: string): void {
	expect(result.status).toBe('error');
	const error = result.nodeError(nodeName) as any;
	expect(error).toBeDefined();
	expect(error.message).toMatch(/^ScaiGrid REDIRECT_NOT_FOLLOWED: /);
	expect(error.message).toContain(`redirect to ${target}`);
	expect(error.description).toMatch(/put the final URL in the ScaiGrid API credential/i);
	expect(
		JSON.stringify({ ...error, message: error.message, description: error.description }),
	).not.toContain(em.apiKey);
}

async function run(workflow: object, options: RunOptions = {}): Promise<RunResult> {
	return await runWorkflow(workflow, { credentials: credentialsFor(em), ...options });
}

// ---- ScaiGrid Chat --------------------------------------------------------------------------

describe('ScaiGrid Chat', () => {
	test.each([301, 302, 303, 307, 308] as const)(
		'a %i to another origin is not followed; the error names it',
		async (status) => {
			redirectElsewhere(status);
			const result = await run(chatWorkflow(chatParameters(), CHAT_NODE), {
				triggerItems: [{ question: 'Hello' }],
			});
			expectRedirectError(result, CHAT, `${elsewhere.url}/v1/`);
			expect(chatRequests(em)).toHaveLength(1);
			expectKeyStayedHome();
		},
	);

	test('the error suggests the Base URL the redirect leads to', async () => {
		redirectTo(`${elsewhere.url}/scaigrid{path}`);
		const result = await run(chatWorkflow(chatParameters(), CHAT_NODE), {
			triggerItems: [{ question: 'Hello' }],
		});
		expectRedirectError(result, CHAT, `${elsewhere.url}/scaigrid/v1/`);
		expect((result.nodeError(CHAT) as any).description).toContain(
			`the Base URL would be ${elsewhere.url}/scaigrid `,
		);
		expectKeyStayedHome();
	});

	test('streaming: the streamed chat request is not followed either', async () => {
		redirectElsewhere(307, '/v1/inference/chat');
		const workflow = chatWorkflow(chatParameters({ options: { streaming: 'on' } }), CHAT_NODE);
		const result = await run(workflow, { triggerItems: [{ question: 'Hello' }], streaming: true });
		expectRedirectError(result, CHAT, `${elsewhere.url}/v1/inference/chat`);
		const chats = chatRequests(em);
		expect(chats).toHaveLength(1);
		expect(chats[0].body.stream).toBe(true);
		expect(elsewhere.requests).toEqual([]);
	});

	test('continue on fail: the error item names the redirect too', async () => {
		redirectElsewhere(308);
		const workflow = chatWorkflow(chatParameters(), {
			...CHAT_NODE,
			onError: 'continueRegularOutput',
		});
		const result = await run(workflow, { triggerItems: [{ question: 'Hello' }] });
		const [item] = result.output(CHAT);
		expect(item.json).toMatchObject({
			code: 'REDIRECT_NOT_FOLLOWED',
			httpStatus: 308,
			attempts: 1,
		});
		expect(String(item.json.message)).toContain(`redirect to ${elsewhere.url}/v1/inference/chat`);
		expect(JSON.stringify(item.json)).not.toContain(em.apiKey);
		expectKeyStayedHome();
	});

	test('a relative Location (same origin) is named as the full URL it resolves to, and not followed', async () => {
		redirectTo('/moved{path}', 302);
		const result = await run(chatWorkflow(chatParameters(), CHAT_NODE), {
			triggerItems: [{ question: 'Hello' }],
		});
		expectRedirectError(result, CHAT, `${em.url}/moved/v1/`);
		expect(em.requests.every((r: { path: string }) => !r.path.startsWith('/moved'))).toBe(true);
	});
});

// ---- ScaiGrid List Models -------------------------------------------------------------------

const LIST = 'List Models';
const LIST_TYPE = `${PACKAGE}.scaiGridListModels`;

describe('ScaiGrid List Models', () => {
	test.each([
		['Get Many', { operation: 'getAll', returnAll: true }, '/v1/models'],
		[
			'Get',
			{ operation: 'get', model: { __rl: true, mode: 'id', value: 'scailabs/poolnoodle-omni' } },
			'/v1/models/scailabs%2Fpoolnoodle-omni',
		],
	])('%s: not followed; the error names where it pointed', async (_label, parameters, path) => {
		redirectElsewhere(301);
		const result = await run(
			singleNodeWorkflow(LIST_TYPE, parameters as IDataObject, { name: LIST }),
		);
		expectRedirectError(result, LIST, `${elsewhere.url}${path}`);
		expectKeyStayedHome();
	});
});

// ---- ScaiGrid Usage Summary -----------------------------------------------------------------

const USAGE = 'Usage Summary';
const USAGE_TYPE = `${PACKAGE}.scaiGridUsageSummary`;
const RANGE = { range: 'custom', start: '2024-01-01T00:00:00Z', end: '2024-01-08T00:00:00Z' };

describe('ScaiGrid Usage Summary', () => {
	test.each([
		[
			'Get Summary',
			{ operation: 'getSummary', ...RANGE, groupBy: 'model' },
			'/v1/accounting/usage/summary',
		],
		['Get Records', { operation: 'getRecords', ...RANGE, returnAll: true }, '/v1/accounting/usage'],
		['Get Budgets', { operation: 'getBudgets' }, '/v1/accounting/budgets'],
		['Export', { operation: 'export', ...RANGE, format: 'csv' }, '/v1/accounting/export'],
	])('%s: not followed; the error names where it pointed', async (_label, parameters, path) => {
		redirectElsewhere(307);
		const result = await run(
			singleNodeWorkflow(USAGE_TYPE, parameters as IDataObject, { name: USAGE }),
		);
		expectRedirectError(result, USAGE, `${elsewhere.url}${path}`);
		expectKeyStayedHome();
	});
});

// ---- The credential test --------------------------------------------------------------------

describe('credential test', () => {
	test.each([301, 302, 303, 307, 308] as const)(
		'a %i is not followed and is explained',
		async (status) => {
			redirectElsewhere(status);
			const result = await testCredential('scaiGridApi', { apiKey: em.apiKey, baseUrl: em.url });
			expect(result.status).toBe('Error');
			expect(result.message).toContain(`The Base URL answers with a redirect (HTTP ${status})`);
			expect(result.message).toMatch(/API key was not sent/);
			expect(result.message).not.toContain(em.apiKey);
			expectKeyStayedHome();
		},
	);
});

// ---- The model picker (listSearch) ----------------------------------------------------------

describe('model picker', () => {
	test.each([
		['ScaiGrid Chat', `${PACKAGE}.scaiGridChat`, 'searchChatModels'],
		['ScaiGrid List Models', LIST_TYPE, 'searchModels'],
	])(
		'%s: the search is not followed; its error names where it pointed',
		async (_label, nodeType, method) => {
			redirectElsewhere(307);
			const search = searchList(nodeType, method, { credentials: credentialsFor(em) });
			await expect(search).rejects.toThrow(`redirect to ${elsewhere.url}/v1/models`);
			const error = await search.catch((e: Error) => e);
			expect(JSON.stringify({ ...error, message: (error as Error).message })).not.toContain(
				em.apiKey,
			);
			expectKeyStayedHome();
		},
	);

	test('without a redirect the picker lists models through the same helper', async () => {
		const result = await searchList(`${PACKAGE}.scaiGridChat`, 'searchChatModels', {
			credentials: credentialsFor(em),
			filter: 'poolnoodle',
		});
		expect(result.results.map((r) => r.value)).toEqual([
			'scailabs/poolnoodle-omni',
			'scailabs/poolnoodle-mini',
		]);
	});
});
