/** searchList: a resource locator's "From List" search, as the editor asks n8n for it. */

import { LoadOptionsContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	INode,
	INodeListSearchResult,
	INodeParameters,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { buildAdditionalData, nextExecutionId } from './additionalData';
import { TestCredentialsHelper } from './credentials';
import { HarnessNodeTypes } from './nodeTypes';
import { getEngine } from './packages';
import { attachCredentialRefs } from './workflow';

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
	if (typeof search !== 'function')
		throw new Error(`${nodeType} has no listSearch method "${method}"`);
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
	const additionalData = buildAdditionalData(
		new TestCredentialsHelper(engine, credentialStore),
		undefined,
		{
			executionId: nextExecutionId('list-search'),
		},
	);
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters.model');
	return await search.call(context, options.filter, options.paginationToken);
}
