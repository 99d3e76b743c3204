/** Test credentials: data from the test, handled the way n8n's CLI CredentialsHelper does. */

import { getAdditionalKeys } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, isExpression, NodeHelpers, Workflow } from 'n8n-workflow';

import { HarnessNodeTypes, splitTypeName } from './nodeTypes';
import { BASE_PACKAGE } from './packages';
import type { Engine } from './packages';

/** The node type n8n gives the temporary node of a credential test. */
export const CREDENTIAL_TEST_NODE_TYPE = `${BASE_PACKAGE}.noOp`;

/** Credential types from our package first, then n8n-nodes-base (for HTTP Request auth etc.). */
export function getCredentialType(engine: Engine, name: string): ICredentialType {
	for (const loader of engine.loaders.values()) {
		if (name in loader.known.credentials || name in loader.credentialTypes) {
			return loader.getCredential(name).type;
		}
	}
	const hint = engine.projectLoadError ? ` (our package failed to load: ${engine.projectLoadError.message})` : '';
	throw new Error(`Unknown credential type "${name}"${hint}`);
}

/** Keeps the map of test credential data; shaped after n8n's CLI CredentialsHelper. */
export class TestCredentialsHelper extends ICredentialsHelper {
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
