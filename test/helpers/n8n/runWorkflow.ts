/** runWorkflow: a workflow's JSON run in n8n-core's `WorkflowExecute`, in this process. */

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeExecutionData,
	IRun,
	IRunExecutionData,
	StructuredChunk,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { buildAdditionalData, nextExecutionId } from './additionalData';
import { awaitExecution, giveAbortAReasonFromThisRealm } from './cancel';
import { TestCredentialsHelper } from './credentials';
import { toItems } from './items';
import { HarnessNodeTypes } from './nodeTypes';
import { getEngine } from './packages';
import { buildResult } from './result';
import type { Chunk, RunResult } from './result';
import { attachCredentialRefs, findStartNode, stubMissingTriggers } from './workflow';
import type { WorkflowJson } from './workflow';

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
	/** After a cancel, how long to wait for the running node to stop before giving up (ms). */
	cancelGraceMs?: number;
}

export async function runWorkflow(
	workflowJson: object,
	options: RunOptions = {},
): Promise<RunResult> {
	const engine = await getEngine();
	const json = structuredClone(workflowJson) as WorkflowJson;
	if (!Array.isArray(json.nodes))
		throw new Error('runWorkflow: the workflow JSON has no nodes array');
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

	const startNode = findStartNode(workflow, json);
	const triggerItems = options.triggerItems ? toItems(options.triggerItems) : undefined;
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: startNode, data: { main: [triggerItems ?? [{ json: {} }]] }, source: null },
			],
		},
		// Given trigger items are pinned on the start node: every trigger type (manual, schedule,
		// webhook, chat) then emits exactly them, in any mode.
		resultData: {
			runData: {},
			...(triggerItems && { pinData: { [startNode.name]: triggerItems } }),
		},
	}) as IRunExecutionData;

	const executionId = nextExecutionId('test');
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
