/**
 * On an n8n older than 2.16 there is no @n8n/ai-node-sdk. n8n loads a community package with
 * n8n-core's PackageDirectoryLoader: `loadAll()` requires every file package.json's n8n.nodes
 * lists, in a loop, and the first one that throws makes the whole package fail ("Failed to load
 * package", none of its nodes registered: n8n/dist/load-nodes-and-credentials.js). So the ScaiGrid
 * Chat Model's node file must load without the SDK; only its supplyData needs it, and says so.
 *
 * Here n8n 2.41's own loader loads the built package in a child process in which
 * `@n8n/ai-node-sdk` (and @n8n/ai-utilities behind it) cannot be resolved, as on an older n8n.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

const CHILD = `
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
	if (/^@n8n\\/ai-(node-sdk|utilities)(\\/|$)/.test(request)) {
		const error = new Error("Cannot find module '" + request + "'");
		error.code = 'MODULE_NOT_FOUND';
		throw error;
	}
	return resolve.call(this, request, ...rest);
};
(async () => {
	const { PackageDirectoryLoader } = require('n8n-core');
	const loader = new PackageDirectoryLoader(process.argv[1]);
	const out = {};
	try {
		await loader.loadAll();
		out.nodes = Object.keys(loader.nodeTypes).sort();
		out.credentials = Object.keys(loader.credentialTypes).sort();
	} catch (error) {
		out.loadError = error.message;
	}
	const modelType = loader.nodeTypes.scaiGridChatModel && loader.nodeTypes.scaiGridChatModel.type;
	if (modelType) {
		const node = { name: 'ScaiGrid Chat Model', type: 'n8n-nodes-scaigrid.scaiGridChatModel', typeVersion: 1, parameters: {} };
		const ctx = {
			getNode: () => node,
			getNodeParameter: (name, _i, fallback) => (name === 'model' ? 'scailabs/poolnoodle-omni' : fallback),
			getCredentials: async () => ({ apiKey: 'sgk_x', baseUrl: 'http://127.0.0.1:9' }),
			getExecutionCancelSignal: () => undefined,
			addExecutionHints: () => {},
			helpers: {},
		};
		try {
			await modelType.supplyData.call(ctx, 0);
			out.supply = 'no error';
		} catch (error) {
			out.supplyError = { name: error.constructor.name, message: error.message, description: error.description };
		}
	}
	process.stdout.write(JSON.stringify(out));
})();
`;

test('without @n8n/ai-node-sdk every node and the credential still load; the Chat Model says which n8n it needs', () => {
	const stdout = execFileSync(process.execPath, ['-e', CHILD, ROOT], {
		cwd: ROOT,
		env: { ...process.env, NODE_ENV: 'test' },
		encoding: 'utf8',
	});
	const out = JSON.parse(stdout);
	expect(out.loadError).toBeUndefined();
	// Every node package.json registers (ScaiGridChat.node.js → scaiGridChat), a later one too.
	const registered: string[] = require(path.join(ROOT, 'package.json')).n8n.nodes.map(
		(file: string) => {
			const name = path.basename(file, '.node.js');
			return name[0].toLowerCase() + name.slice(1);
		},
	);
	expect(out.nodes).toEqual([...registered].sort());
	expect(out.credentials).toEqual(['scaiGridApi']);
	expect(out.supplyError.name).toBe('NodeOperationError');
	expect(out.supplyError.message).toBe('ScaiGrid Chat Model needs n8n 2.16 or newer');
	expect(out.supplyError.description).toMatch(/@n8n\/ai-node-sdk/);
	expect(out.supplyError.description).toMatch(/ScaiGrid Chat node/);
});
