/**
 * Runs exported n8n workflow JSON in n8n's own engine (n8n-core `WorkflowExecute`), inside the
 * jest process: no database, no server, no mocked n8n helpers.
 *
 * - Our package is loaded the way n8n loads a community package: `PackageDirectoryLoader` on the
 *   project root reads package.json's `n8n` section and requires the compiled files in dist/.
 *   Its node types resolve under their production names, `n8n-nodes-scaigrid.<nodeName>`.
 * - Real `n8n-nodes-base` nodes (Set, If, Merge, Switch, HTTP Request, Manual/Schedule Trigger...)
 *   come from node_modules via `LazyPackageDirectoryLoader`: only the classes a workflow uses are
 *   required, on first use.
 * - Credentials come from `RunOptions.credentials` through a real `ICredentialsHelper`, which
 *   applies the credential type's defaults and its `authenticate` (function or generic form).
 * - HTTP is n8n's own: nodes, the credential test (`testCredential`) and the model picker
 *   (`searchList`) call n8n-core's `httpRequestWithAuthentication`, which sends through
 *   `@n8n/backend-network`'s `OutboundHttp` (axios + follow-redirects) exactly as in n8n, redirects
 *   included: followed by default, and the Authorization header re-attached on a cross-origin
 *   hop unless the request says `sendCredentialsOnCrossOriginRedirect: false`
 *   (`getBeforeRedirectFn` in `@n8n/backend-network/dist/http/axios/utils.js`).
 *
 * Everything heavy is loaded once per jest test file (jest gives each test file its own module
 * registry, so "once per worker" is not possible without sharing module instances across
 * registries, which would break n8n's `instanceof` checks).
 */
import './env'; // first: sets N8N_USER_FOLDER etc. before n8n-core loads

import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { Container } from '@n8n/di';
import get from 'lodash/get';
import {
	BinaryDataService,
	ExecuteContext,
	ExecutionLifecycleHooks,
	LazyPackageDirectoryLoader,
	LoadOptionsContext,
	PackageDirectoryLoader,
	RoutingNode,
	WorkflowExecute,
	getAdditionalKeys,
} from 'n8n-core';
import type {
	IBinaryData,
	IConnections,
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialsDecrypted,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	IRunData,
	IRunExecutionData,
	ITaskDataConnections,
	ITriggerFunctions,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	NodeExecutionHint,
	StructuredChunk,
	WorkflowExecuteMode,
	ICredentialsExpressionResolveValues,
} from 'n8n-workflow';
import {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	createRunExecutionData,
	isExpression,
} from 'n8n-workflow';

// ---------------------------------------------------------------------------------------------
// Public API (a contract other test files code against)
// ---------------------------------------------------------------------------------------------

export interface RunOptions {
	/** Credential data by credential type name, e.g. `{ scaiGridApi: { apiKey, baseUrl } }`. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Run as a streaming execution: `this.isStreaming()` is true in nodes; chunks are captured. */
	streaming?: boolean;
	/** Items the start (trigger) node emits. Plain objects become `{ json }`; full items keep binary. */
	triggerItems?: IDataObject[] | INodeExecutionData[];
	/** Cancel the execution after this many ms (the engine aborts `getExecutionCancelSignal()`). */
	cancelAfterMs?: number;
	/** Execution mode; default 'manual'. Streaming needs manual, webhook, integrated or chat. */
	mode?: WorkflowExecuteMode;
	/** Name of the node to start from; default: the workflow's trigger (manual trigger first). */
	startNode?: string;
	/** After a cancel, how long to wait for the running node to stop before giving up (ms). */
	cancelGraceMs?: number;
}

export interface Chunk {
	type: string;
	itemIndex?: number;
	content?: unknown;
	nodeName?: string;
}

export interface RunResult {
	/** n8n's execution status: 'success' | 'error' | 'canceled' | 'waiting' | ... */
	status: string;
	/** The workflow-level error, when the run failed (a copy: see `toError`). */
	error?: Error;
	runData: IRunData;
	/** Items of a node's output (default first output of the last run). [] when none. */
	output(nodeName: string, outputIndex?: number, runIndex?: number): INodeExecutionData[];
	/** The error a node's last run ended with, if any. */
	nodeError(nodeName: string): Error | undefined;
	/** `sendChunk` calls in order (streaming runs only), including the engine's own 'error' chunks. */
	chunks: Chunk[];
	/** Execution hints a node added (`this.addExecutionHints`), all runs. */
	hints(nodeName: string): NodeExecutionHint[];
	durationMs: number;
	/** runData metadata of a node's last run, e.g. `{ tokenUsage }` from accumulateTokenUsage. */
	metadata(nodeName: string): unknown;
	/** Messages nodes sent to the editor console (`this.logNodeOutput` in manual mode). */
	logs: unknown[][];
	/** The raw IRun the engine returned. */
	run: IRun;
}

// ---------------------------------------------------------------------------------------------
// Paths and one-time engine setup
// ---------------------------------------------------------------------------------------------

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const BASE_PACKAGE = 'n8n-nodes-base';
const MANUAL_TRIGGER = `${BASE_PACKAGE}.manualTrigger`;
const CREDENTIAL_TEST_NODE_TYPE = `${BASE_PACKAGE}.noOp`;

type Loader = PackageDirectoryLoader;

interface Engine {
	/** Loaded packages by package name. */
	loaders: Map<string, Loader>;
	/** Why our own package could not be loaded (usually: dist/ not built yet). */
	projectLoadError?: Error;
	projectPackageName: string;
}

let enginePromise: Promise<Engine> | undefined;

/** Loads n8n-core's services and the node packages once per test file. */
async function getEngine(): Promise<Engine> {
	enginePromise ??= createEngine();
	return await enginePromise;
}

async function createEngine(): Promise<Engine> {
	// Binary data in memory ('default' mode, set in env.ts): items carry base64 data and
	// getBinaryDataBuffer decodes it. init() is what switches the service to the configured mode.
	await Container.get(BinaryDataService).init();

	const loaders = new Map<string, Loader>();
	const base = await loadBasePackage();
	if (base) loaders.set(base.packageName, base);

	const project = new PackageDirectoryLoader(PROJECT_ROOT);
	let projectLoadError: Error | undefined;
	try {
		await project.loadAll();
		loaders.set(project.packageName, project);
	} catch (error) {
		// Tests that only use n8n-nodes-base still run; ours fail with this reason when used.
		projectLoadError = error as Error;
	}
	return { loaders, projectLoadError, projectPackageName: project.packageName };
}

/**
 * Loads another community package (a folder with package.json + its `n8n` section) for this
 * test file, e.g. a fixture package. Its types resolve as `<its package name>.<node name>`.
 */
export async function registerNodePackage(packageDir: string): Promise<void> {
	const engine = await getEngine();
	const loader = new PackageDirectoryLoader(path.resolve(PROJECT_ROOT, packageDir));
	if (engine.loaders.has(loader.packageName)) return;
	await loader.loadAll();
	engine.loaders.set(loader.packageName, loader);
}

/** n8n-nodes-base, lazily: only its index is read now; node classes load on first use. */
async function loadBasePackage(): Promise<Loader | undefined> {
	let dir: string;
	try {
		dir = path.dirname(require.resolve(`${BASE_PACKAGE}/package.json`, { paths: [PROJECT_ROOT] }));
	} catch {
		return undefined;
	}
	const loader = new LazyPackageDirectoryLoader(dir);
	await loader.loadAll();
	loader.releaseTypes(); // the 8 MB of UI descriptions are not needed to execute
	return loader;
}

// ---------------------------------------------------------------------------------------------
// Node types
// ---------------------------------------------------------------------------------------------

function splitTypeName(fullType: string): [pkg: string, name: string] {
	const dot = fullType.lastIndexOf('.');
	return dot < 0 ? ['', fullType] : [fullType.slice(0, dot), fullType.slice(dot + 1)];
}

/** Resolves `<package>.<node>` names the way n8n's NodeTypes does, plus per-run stubs. */
class HarnessNodeTypes implements INodeTypes {
	constructor(
		private readonly engine: Engine,
		private readonly stubs: Map<string, INodeType> = new Map(),
	) {}

	has(fullType: string): boolean {
		try {
			this.getByName(fullType);
			return true;
		} catch {
			return false;
		}
	}

	getByName(fullType: string): INodeType | IVersionedNodeType {
		const stub = this.stubs.get(fullType);
		if (stub) return stub;
		const [pkg, name] = splitTypeName(fullType);
		const loader = this.engine.loaders.get(pkg);
		if (!loader) {
			if (pkg === this.engine.projectPackageName && this.engine.projectLoadError) {
				throw new Error(
					`Node type "${fullType}": package ${pkg} could not be loaded from dist/ ` +
						`(run \`npm run build\`): ${this.engine.projectLoadError.message}`,
				);
			}
			throw new Error(`Unrecognized node type: ${fullType} (package "${pkg}" is not loaded)`);
		}
		return loader.getNode(name).type;
	}

	getByNameAndVersion(fullType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(fullType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

/**
 * Stands in for a trigger whose package is not installed (e.g. the LangChain Chat Trigger):
 * a manual run emits one item with a timestamp, like a schedule firing now.
 */
function stubTrigger(fullType: string): INodeType {
	return {
		description: {
			displayName: `Stub of ${fullType}`,
			name: fullType,
			group: ['trigger'],
			version: [1, 1.1, 1.2, 1.3, 1.4, 2, 3],
			description: 'Test harness stand-in for a trigger that is not installed',
			defaults: { name: 'Trigger' },
			inputs: [],
			outputs: ['main'],
			properties: [],
		},
		async trigger(this: ITriggerFunctions) {
			const emit = () =>
				this.emit([this.helpers.returnJsonArray([{ timestamp: new Date().toISOString() }])]);
			return { manualTriggerFunction: async () => emit() };
		},
	} as INodeType;
}

function isTriggerType(nodeType: INodeType): boolean {
	const { description } = nodeType;
	return (
		!!nodeType.trigger ||
		!!nodeType.poll ||
		!!nodeType.webhook ||
		(description.group ?? []).includes('trigger')
	);
}

// ---------------------------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------------------------

/** Credential types from our package first, then n8n-nodes-base (for HTTP Request auth etc.). */
function getCredentialType(engine: Engine, name: string): ICredentialType {
	for (const loader of engine.loaders.values()) {
		if (name in loader.known.credentials || name in loader.credentialTypes) {
			return loader.getCredential(name).type;
		}
	}
	const hint = engine.projectLoadError ? ` (our package failed to load: ${engine.projectLoadError.message})` : '';
	throw new Error(`Unknown credential type "${name}"${hint}`);
}

/** Keeps the map of test credential data; shaped after n8n's CLI CredentialsHelper. */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly engine: Engine,
		private readonly store: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	getParentTypes(typeName: string): string[] {
		const parents = getCredentialType(this.engine, typeName).extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		let type: ICredentialType;
		try {
			type = getCredentialType(this.engine, credentialType);
		} catch {
			return true; // unknown type: let the caller fail with a better message
		}
		if (!type.restrictToSupportedNodes) return true;
		const [, shortName] = splitTypeName(nodeType);
		return (type.supportedNodes ?? []).includes(shortName);
	}

	/** Adds the credential's authentication to the request, as n8n does before sending it. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = getCredentialType(this.engine, typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type === 'generic') {
			if (!workflow || !node) {
				throw new Error('Workflow and node are required for declarative credential authentication');
			}
			const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
			target.headers ??= {};
			for (const [section, entries] of Object.entries(authenticate.properties)) {
				target[section] ??= {};
				for (const [key, value] of Object.entries(entries as Record<string, string>)) {
					const resolvedKey = resolveCredentialExpression(key, credentials, workflow, node);
					target[section][resolvedKey] = resolveCredentialExpression(value, credentials, workflow, node);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	/**
	 * Runs the credential's `preAuthentication` (token fetch) when its expirable property is
	 * empty or expired, as n8n does; the new data is kept for the rest of the run.
	 */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = getCredentialType(this.engine, typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		const isTest = node.type === CREDENTIAL_TEST_NODE_TYPE && node.parameters?.temp === '';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isTest) return undefined;
		const output = (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
		if (output?.[expirable.name] === undefined) return undefined;
		this.store[typeName] = { ...(this.store[typeName] ?? {}), ...output };
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = getCredentialType(this.engine, typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		const output = await type.preAuthentication.call(helpers, credentials);
		return (output as ICredentialDataDecryptedObject | undefined) ?? undefined;
	}

	/** An in-memory ICredentials (n8n's own class would want an encryption key). */
	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		const store = this.store;
		return {
			id: nodeCredentials.id ?? undefined,
			name: nodeCredentials.name,
			type,
			data: undefined,
			getData: () => ({ ...(store[type] ?? {}) }),
			getDataToSave: () => ({ id: nodeCredentials.id, name: nodeCredentials.name, type, data: '' }),
			setData: (data: ICredentialDataDecryptedObject) => {
				store[type] = data;
			},
			updateData: (toUpdate: ICredentialDataDecryptedObject) => {
				store[type] = { ...(store[type] ?? {}), ...toUpdate };
			},
		} as unknown as ICredentials;
	}

	/** The test data for `type`, with the type's defaults applied and expressions resolved. */
	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		_executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.store[type];
		if (stored === undefined) {
			throw new Error(
				`Credential with ID "${nodeCredentials.id}" does not exist for type "${type}" ` +
					`(pass it in runWorkflow's options.credentials.${type})`,
			);
		}
		if (raw) return { ...stored };
		return this.applyDefaults(additionalData, type, stored, mode, expressionResolveValues);
	}

	/** What n8n's applyDefaultsAndOverwrites does, minus overwrites and external secrets. */
	applyDefaults(
		additionalData: IWorkflowExecuteAdditionalData | undefined,
		type: string,
		data: ICredentialDataDecryptedObject,
		mode: WorkflowExecuteMode,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): ICredentialDataDecryptedObject {
		const withDefaults = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			data as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (data.oauthTokenData !== undefined) withDefaults.oauthTokenData = data.oauthTokenData;
		if (!Object.values(withDefaults).some((value) => isExpression(value))) return withDefaults;

		const workflow = expressionResolveValues?.workflow ?? expressionWorkflow(this.engine);
		const node = expressionResolveValues?.node ?? workflow.getNode('Credential')!;
		const additionalKeys = additionalData ? getAdditionalKeys(additionalData, mode, null) : {};
		return workflow.expression.getComplexParameterValue(
			node,
			withDefaults as INodeParameters,
			mode,
			additionalKeys,
			undefined,
			undefined,
			withDefaults,
		) as ICredentialDataDecryptedObject;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store[type] = data;
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store[type] = data;
	}

	/** The type's properties, parents' first, as n8n merges `extends`. */
	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = getCredentialType(this.engine, type);
		if (!credentialType.extends) return credentialType.properties;
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}
}

/** Resolves `'=Bearer {{$credentials.apiKey}}'` the way n8n's CredentialsHelper.resolveValue does. */
function resolveCredentialExpression(
	value: string,
	credentials: ICredentialDataDecryptedObject,
	workflow: Workflow,
	node: INode,
): string {
	if (!isExpression(value)) return value;
	const resolved = workflow.expression.getSimpleParameterValue(
		node,
		value,
		'internal',
		{ $credentials: credentials },
		undefined,
		'',
	);
	return resolved ? String(resolved) : '';
}

/** A one-node workflow to resolve credential expressions outside a run (n8n uses a mock too). */
function expressionWorkflow(engine: Engine): Workflow {
	const node: INode = {
		id: 'credential',
		name: 'Credential',
		type: 'harness.mock',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const mockType = { description: { properties: [] } } as unknown as INodeType;
	return new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new HarnessNodeTypes(engine, new Map([['harness.mock', mockType]])),
	});
}

// ---------------------------------------------------------------------------------------------
// additionalData: what the engine and node contexts read from the "server"
// ---------------------------------------------------------------------------------------------

let executionCounter = 0;

function buildAdditionalData(
	credentialsHelper: ICredentialsHelper,
	hooks: ExecutionLifecycleHooks | undefined,
	extra: { executionId: string; workflowId?: string; streaming?: boolean; logs?: unknown[][] },
): IWorkflowExecuteAdditionalData {
	const base = 'http://localhost:5678/';
	const unsupported = (what: string) => async () => {
		throw new Error(`${what} is not supported by the test harness`);
	};
	return {
		credentialsHelper,
		hooks,
		executionId: extra.executionId,
		workflowId: extra.workflowId,
		userId: 'test-user',
		currentNodeExecutionIndex: 0,
		streamingEnabled: extra.streaming === true,
		restApiUrl: `${base}rest`,
		instanceBaseUrl: base,
		formBaseUrl: `${base}form`,
		formWaitingBaseUrl: `${base}form-waiting`,
		formTestBaseUrl: `${base}form-test`,
		webhookBaseUrl: `${base}webhook`,
		webhookWaitingBaseUrl: `${base}webhook-waiting`,
		webhookTestBaseUrl: `${base}webhook-test`,
		mcpBaseUrl: `${base}mcp`,
		mcpTestBaseUrl: `${base}mcp-test`,
		variables: {},
		executeWorkflow: unsupported('Executing a sub-workflow'),
		startRunnerTask: unsupported('The Code node (task runner)'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		setExecutionStatus: () => {},
		// logNodeOutput → sendMessageToUI → here, in manual mode
		sendDataToUI: (type: string, data: unknown) => {
			if (type === 'sendConsoleMessage') {
				const messages = (data as { messages?: unknown[] })?.messages ?? [data];
				extra.logs?.push(messages);
			}
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

// ---------------------------------------------------------------------------------------------
// runWorkflow
// ---------------------------------------------------------------------------------------------

interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	staticData?: IDataObject;
}

/** Plain objects become `{ json }`; objects that already have `json` are items (binary kept). */
export function toItems(items: IDataObject[] | INodeExecutionData[]): INodeExecutionData[] {
	return (items as Array<IDataObject | INodeExecutionData>).map((item, index) => {
		const isItem = typeof item === 'object' && item !== null && 'json' in item;
		const full = (isItem ? { ...(item as INodeExecutionData) } : { json: item as IDataObject }) as INodeExecutionData;
		full.pairedItem ??= { item: index };
		return full;
	});
}

/**
 * An in-memory binary property for an item, the shape n8n's 'default' binary mode uses:
 * `{ json: {}, binary: { image: binaryData(buffer, 'image/png', 'cat.png') } }`.
 */
export function binaryData(content: Buffer | string, mimeType: string, fileName?: string): IBinaryData {
	const buffer = typeof content === 'string' ? Buffer.from(content) : content;
	const extension = fileName?.includes('.') ? fileName.split('.').pop() : undefined;
	return {
		data: buffer.toString('base64'),
		mimeType,
		...(fileName && { fileName }),
		...(extension && { fileExtension: extension }),
		fileSize: `${buffer.length} B`,
		bytes: buffer.length,
	} as IBinaryData;
}

function hasIncomingMain(connections: IConnections, nodeName: string): boolean {
	return Object.values(connections).some((bySource) =>
		(bySource.main ?? []).some((targets) => (targets ?? []).some((target) => target.node === nodeName)),
	);
}

/** Trigger types that are not installed get a stub, so workflows with them stay runnable. */
function stubMissingTriggers(engine: Engine, json: WorkflowJson): Map<string, INodeType> {
	const stubs = new Map<string, INodeType>();
	const lookup = new HarnessNodeTypes(engine);
	for (const node of json.nodes) {
		const missing = !lookup.has(node.type);
		if (missing && /trigger$/i.test(node.type) && !hasIncomingMain(json.connections, node.name)) {
			stubs.set(node.type, stubTrigger(node.type));
		}
	}
	return stubs;
}

/**
 * The node a run starts from: the named one, else the manual trigger, else the first enabled
 * trigger without inputs, else whatever n8n's own start-node rule picks.
 */
function findStartNode(workflow: Workflow, json: WorkflowJson, requested?: string): INode {
	if (requested) {
		const node = workflow.getNode(requested);
		if (!node) throw new Error(`Start node "${requested}" is not in the workflow`);
		return node;
	}
	const candidates = json.nodes
		.map((node) => workflow.getNode(node.name)!)
		.filter((node) => !node.disabled && !hasIncomingMain(json.connections, node.name))
		.filter((node) => isTriggerType(workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion)));
	const start =
		candidates.find((node) => node.type === MANUAL_TRIGGER) ?? candidates[0] ?? workflow.getStartNode();
	if (!start) throw new Error('No node to start the workflow from could be found');
	return start;
}

/**
 * Gives nodes a reference to a test credential they can use but do not name (hand-written JSON,
 * or a reference to be "chosen" at import). Stored references are left as they are.
 */
function attachCredentialRefs(nodeTypes: INodeTypes, nodes: INode[], available: string[]): void {
	for (const node of nodes) {
		const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const declared = (nodeType.description.credentials ?? []).map((credential) => credential.name);
		const chosen = node.parameters?.nodeCredentialType; // HTTP Request "predefined credential"
		for (const type of available) {
			if (node.credentials?.[type]) continue;
			if (declared.includes(type) || chosen === type) {
				node.credentials = { ...(node.credentials ?? {}), [type]: { id: `test-${type}`, name: `${type} (test)` } };
			}
		}
	}
}

export async function runWorkflow(workflowJson: object, options: RunOptions = {}): Promise<RunResult> {
	const engine = await getEngine();
	const json = structuredClone(workflowJson) as WorkflowJson;
	if (!Array.isArray(json.nodes)) throw new Error('runWorkflow: the workflow JSON has no nodes array');
	json.connections ??= {};

	const mode = options.mode ?? 'manual';
	const nodeTypes = new HarnessNodeTypes(engine, stubMissingTriggers(engine, json));
	const credentialStore = { ...(options.credentials ?? {}) };
	attachCredentialRefs(nodeTypes, json.nodes, Object.keys(credentialStore));

	const workflow = new Workflow({
		id: json.id ?? 'test-workflow',
		name: json.name ?? 'Test workflow',
		nodes: json.nodes,
		connections: json.connections,
		active: false,
		nodeTypes,
		staticData: json.staticData,
		// Exports from current n8n say 'v1'; hand-written JSON means the same.
		settings: { executionOrder: 'v1', ...(json.settings ?? {}) },
	});

	const startNode = findStartNode(workflow, json, options.startNode);
	const triggerItems = options.triggerItems ? toItems(options.triggerItems) : undefined;
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: startNode, data: { main: [triggerItems ?? [{ json: {} }]] }, source: null },
			],
		},
		// Given trigger items are pinned on the start node: every trigger type (manual, schedule,
		// webhook, chat) then emits exactly them, in any mode.
		resultData: { runData: {}, ...(triggerItems && { pinData: { [startNode.name]: triggerItems } }) },
	}) as IRunExecutionData;

	const executionId = `test-${++executionCounter}`;
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: workflow.id,
		name: workflow.name,
		active: false,
		isArchived: false,
		nodes: json.nodes,
		connections: json.connections,
		settings: workflow.settings,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);

	const chunks: Chunk[] = [];
	if (options.streaming) {
		// isStreaming() is true only when a sendChunk handler exists AND streamingEnabled is set.
		hooks.addHandler('sendChunk', (chunk: StructuredChunk) => {
			chunks.push({
				type: chunk.type,
				itemIndex: chunk.metadata?.itemIndex,
				content: chunk.content,
				nodeName: chunk.metadata?.nodeName,
			});
		});
	}
	let runAtCancel: IRun | undefined;
	hooks.addHandler('workflowExecuteAfter', (run: IRun) => {
		runAtCancel ??= run;
	});

	const logs: unknown[][] = [];
	const credentialsHelper = new TestCredentialsHelper(engine, credentialStore);
	const additionalData = buildAdditionalData(credentialsHelper, hooks, {
		executionId,
		workflowId: workflow.id,
		streaming: options.streaming,
		logs,
	});

	const startedAt = Date.now();
	const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
	giveAbortAReasonFromThisRealm(workflowExecute);
	const execution = workflowExecute.processRunExecutionData(workflow);
	const run = await awaitExecution(execution, options, () => runAtCancel);
	return buildResult(run, chunks, logs, Date.now() - startedAt);
}

/**
 * On cancel the engine calls `abortController.abort()` without a reason, so Node makes the
 * reason a DOMException from its own realm. Jest runs test code in a separate realm, where that
 * object is not `instanceof Error`: n8n then wraps it as "Error that was not an instance of Error
 * was thrown" and nodes' `error instanceof Error` checks fail, which never happens in n8n. Giving
 * the abort an AbortError made in this realm keeps behaviour as in production.
 */
function giveAbortAReasonFromThisRealm(workflowExecute: WorkflowExecute): void {
	const controller = (workflowExecute as unknown as { abortController: AbortController }).abortController;
	const abort = controller.abort.bind(controller);
	controller.abort = (reason?: unknown) =>
		abort(reason ?? Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }));
}

/**
 * Waits for the engine. With cancelAfterMs, cancels the PCancelable: n8n then aborts the
 * execution's AbortSignal (what `getExecutionCancelSignal()` returns and what
 * httpRequestWithAuthentication passes to the request) and ends the run as 'canceled' once the
 * running node returns. A node that ignores the signal would keep the run going: after
 * cancelGraceMs the harness stops waiting and reports that.
 */
async function awaitExecution(
	execution: ReturnType<WorkflowExecute['processRunExecutionData']>,
	options: RunOptions,
	runAtCancel: () => IRun | undefined,
): Promise<IRun> {
	if (options.cancelAfterMs === undefined) return await execution;

	const timers: NodeJS.Timeout[] = [];
	const cancelled = new Promise<void>((resolve) => {
		timers.push(
			setTimeout(() => {
				execution.cancel();
				resolve();
			}, options.cancelAfterMs),
		);
	});
	const graceMs = options.cancelGraceMs ?? 5000;
	const stuck = cancelled.then(
		async () =>
			await new Promise<'stuck'>((resolve) => timers.push(setTimeout(() => resolve('stuck'), graceMs))),
	);
	try {
		const outcome = await Promise.race([execution, stuck]);
		if (outcome !== 'stuck') {
			// n8n records a cancelled execution as 'canceled' when it is cancelled, whatever error
			// the aborted node then throws (the engine's own final status depends on its wording).
			if (execution.isCanceled) outcome.status = 'canceled';
			return outcome;
		}
		const run = runAtCancel();
		if (!run) throw new Error(`Execution did not stop within ${graceMs} ms of being cancelled`);
		run.status = 'canceled';
		run.data.resultData.error ??= {
			message: `Execution was cancelled but the running node did not stop within ${graceMs} ms`,
		} as never;
		return run;
	} finally {
		timers.forEach(clearTimeout);
	}
}

/**
 * The engine stores errors as plain copies (`{...error, message, stack}`); this gives them back
 * as Error instances with the same own properties (description, httpCode, context, node...).
 * `instanceof NodeApiError` does not survive; check `.message`, `.description`, `.httpCode`.
 */
function toError(value: unknown): Error | undefined {
	if (value === undefined || value === null) return undefined;
	if (value instanceof Error) return value;
	const plain = value as { message?: string; name?: string };
	const error = new Error(plain.message ?? String(value));
	Object.assign(error, plain);
	return error;
}

function buildResult(run: IRun, chunks: Chunk[], logs: unknown[][], durationMs: number): RunResult {
	const runData = run.data.resultData.runData ?? {};
	const lastRun = (nodeName: string) => runData[nodeName]?.at(-1);
	return {
		status: run.status ?? (run.finished ? 'success' : 'error'),
		error: toError(run.data.resultData.error),
		runData,
		output(nodeName, outputIndex = 0, runIndex) {
			const task = runIndex === undefined ? lastRun(nodeName) : runData[nodeName]?.[runIndex];
			return task?.data?.main?.[outputIndex] ?? [];
		},
		nodeError: (nodeName) => toError(lastRun(nodeName)?.error),
		chunks,
		hints: (nodeName) => (runData[nodeName] ?? []).flatMap((task) => task.hints ?? []),
		durationMs,
		metadata: (nodeName) => lastRun(nodeName)?.metadata,
		logs,
		run,
	};
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

/** Reads a workflow (or any JSON) file; relative paths are taken from the project root. */
export function loadWorkflowFile(filePath: string): any {
	const absolute = path.isAbsolute(filePath) ? filePath : path.join(PROJECT_ROOT, filePath);
	return JSON.parse(readFileSync(absolute, 'utf8'));
}

// ---------------------------------------------------------------------------------------------
// searchList: a resource locator's "From List" search, as the editor asks n8n for it
// ---------------------------------------------------------------------------------------------

/**
 * Runs a node's `listSearch` method the way n8n's DynamicNodeParametersService does for the
 * editor: a one-node temporary workflow and n8n-core's `LoadOptionsContext`, whose helpers are
 * n8n's real request helpers (credential from `credentials`, its `authenticate` applied).
 */
export async function searchList(
	nodeType: string,
	method: string,
	options: {
		credentials: Record<string, ICredentialDataDecryptedObject>;
		filter?: string;
		paginationToken?: string;
		parameters?: INodeParameters;
	},
): Promise<INodeListSearchResult> {
	const engine = await getEngine();
	const nodeTypes = new HarnessNodeTypes(engine);
	const type = nodeTypes.getByNameAndVersion(nodeType);
	const search = type.methods?.listSearch?.[method];
	if (typeof search !== 'function') throw new Error(`${nodeType} has no listSearch method "${method}"`);
	const credentialStore = { ...options.credentials };
	const { version } = type.description;
	const node: INode = {
		id: 'uuid-1234',
		name: 'Temp-Node',
		type: nodeType,
		typeVersion: Array.isArray(version) ? version[version.length - 1] : version,
		position: [0, 0],
		parameters: options.parameters ?? {},
	};
	attachCredentialRefs(nodeTypes, [node], Object.keys(credentialStore));
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = buildAdditionalData(new TestCredentialsHelper(engine, credentialStore), undefined, {
		executionId: `list-search-${++executionCounter}`,
	});
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters.model');
	return await search.call(context, options.filter, options.paginationToken);
}

// ---------------------------------------------------------------------------------------------
// testCredential: the editor's "Test" button, as n8n's CLI CredentialsTester runs it
// ---------------------------------------------------------------------------------------------

export async function testCredential(
	type: string,
	data: ICredentialDataDecryptedObject,
): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const engine = await getEngine();
	const credentialType = getCredentialType(engine, type);
	const test = credentialType.test as ICredentialTestRequest | undefined;
	if (!test) return { status: 'Error', message: 'No testing function found for this credential.' };

	const store: Record<string, ICredentialDataDecryptedObject> = { [type]: data };
	const credentialsHelper = new TestCredentialsHelper(engine, store);
	const additionalData = buildAdditionalData(credentialsHelper, undefined, {
		executionId: `credential-test-${++executionCounter}`,
	});
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: `test-${type}`,
		name: `${type} (test)`,
		type,
		data: credentialsHelper.applyDefaults(additionalData, type, data, 'internal'),
	};

	// A temporary node whose only property routes the test request (n8n does exactly this).
	const nodeType = {
		description: {
			displayName: 'Temp',
			name: CREDENTIAL_TEST_NODE_TYPE,
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'Temp-Node' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: type, required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: test.request }, default: '' },
			],
		},
	} as unknown as INodeType;
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: CREDENTIAL_TEST_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [type]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new HarnessNodeTypes(engine, new Map([[CREDENTIAL_TEST_NODE_TYPE, nodeType]])),
	});
	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const runExecutionData = { resultData: { runData: {} } } as IRunExecutionData;
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		runExecutionData,
		0,
		[],
		inputData,
		executeData,
		[],
	);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await new RoutingNode(context, nodeType, credentialsDecrypted).runNode();
	} catch (error) {
		return credentialTestFailure(error, test);
	}
	for (const rule of test.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const body = response?.[0]?.[0]?.json;
		if (get(body, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/** n8n's mapping of a failed test request to the message the editor shows. */
function credentialTestFailure(
	error: unknown,
	test: ICredentialTestRequest,
): { status: 'Error'; message: string } {
	const cause = (error as { cause?: { response?: { status: number; statusText?: string }; code?: string } })
		.cause;
	if (cause?.response) {
		const { status, statusText } = cause.response;
		for (const rule of test.rules ?? []) {
			if (rule.type === 'responseCode' && rule.properties.value === status) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
		if (status < 199 || status > 299) {
			return { status: 'Error', message: statusText || `Received HTTP status code: ${status}` };
		}
	} else if (cause?.code) {
		return { status: 'Error', message: cause.code };
	}
	return { status: 'Error', message: String((error as Error)?.message ?? error) };
}

