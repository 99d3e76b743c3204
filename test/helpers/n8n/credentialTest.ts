/** testCredential: the editor's "Test" button, as n8n's CLI CredentialsTester runs it. */

import get from 'lodash/get';
import { ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestRequest,
	IExecuteData,
	INode,
	INodeExecutionData,
	INodeType,
	IRunExecutionData,
	ITaskDataConnections,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { buildAdditionalData, nextExecutionId } from './additionalData';
import { getCredentialType, TestCredentialsHelper } from './credentials';
import { HarnessNodeTypes } from './nodeTypes';
import { BASE_PACKAGE, getEngine } from './packages';

/** The node type n8n gives the temporary node of a credential test. */
const CREDENTIAL_TEST_NODE_TYPE = `${BASE_PACKAGE}.noOp`;

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
		executionId: nextExecutionId('credential-test'),
	});
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: `test-${type}`,
		name: `${type} (test)`,
		type,
		data: credentialsHelper.applyDefaults(type, data),
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
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: test.request },
					default: '',
				},
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
	const cause = (
		error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }
	).cause;
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
