/** additionalData: what the engine and node contexts read from the "server". */

import type { ExecutionLifecycleHooks } from 'n8n-core';
import type { ICredentialsHelper, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

let executionCounter = 0;

/** A new execution id, e.g. `test-7`, unique in this test file. */
export function nextExecutionId(prefix: string): string {
	return `${prefix}-${++executionCounter}`;
}

export function buildAdditionalData(
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
