/** Test credentials: data from the test, handled the way n8n's CLI CredentialsHelper does. */

import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { ICredentialsHelper, isExpression, NodeHelpers, Workflow } from 'n8n-workflow';

import type { Engine } from './packages';

/** Credential types from our package first, then n8n-nodes-base (for HTTP Request auth etc.). */
export function getCredentialType(engine: Engine, name: string): ICredentialType {
	for (const loader of engine.loaders.values()) {
		if (name in loader.known.credentials || name in loader.credentialTypes) {
			return loader.getCredential(name).type;
		}
	}
	const hint = engine.projectLoadError
		? ` (our package failed to load: ${engine.projectLoadError.message})`
		: '';
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

	/** No test credential type `extends` another (getCredentialsProperties refuses one). */
	getParentTypes(): string[] {
		return [];
	}

	/** No test credential type restricts itself to some nodes (`restrictToSupportedNodes`). */
	isCredentialUsableByNode(): boolean {
		return true;
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
					target[section][resolvedKey] = resolveCredentialExpression(
						value,
						credentials,
						workflow,
						node,
					);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	/** No test credential type fetches a token (`preAuthentication`); one that did fails here. */
	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<undefined> {
		if (typeof getCredentialType(this.engine, typeName).preAuthentication === 'function') {
			throw new Error(
				`Credential type "${typeName}" fetches a token: preAuthentication is not supported by the test harness`,
			);
		}
		return undefined;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<undefined> {
		return await this.preAuthentication(helpers, credentials, typeName);
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('getCredentials is not supported by the test harness');
	}

	/** The test data for `type`, with the type's defaults applied. */
	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.store[type];
		if (stored === undefined) {
			throw new Error(
				`Credential with ID "${nodeCredentials.id}" does not exist for type "${type}" ` +
					`(pass it in runWorkflow's options.credentials.${type})`,
			);
		}
		return this.applyDefaults(type, stored);
	}

	/**
	 * What n8n's applyDefaultsAndOverwrites does, minus overwrites, external secrets and
	 * expressions in the data (no test passes one; one that did fails here).
	 */
	applyDefaults(
		type: string,
		data: ICredentialDataDecryptedObject,
	): ICredentialDataDecryptedObject {
		const withDefaults = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			data as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (Object.values(withDefaults).some((value) => isExpression(value))) {
			throw new Error(
				`Credential "${type}": expressions in test credential data are not supported by the test harness`,
			);
		}
		return withDefaults;
	}

	/** n8n saves refreshed data (OAuth tokens); no test credential type has any. */
	async updateCredentials(): Promise<void> {
		throw new Error('updateCredentials is not supported by the test harness');
	}

	async updateCredentialsOauthTokenData(): Promise<void> {
		throw new Error('updateCredentialsOauthTokenData is not supported by the test harness');
	}

	/** The type's properties (no test credential type `extends` another). */
	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = getCredentialType(this.engine, type);
		if (credentialType.extends?.length) {
			throw new Error(
				`Credential type "${type}" extends ${credentialType.extends.join(', ')}: not supported by the test harness`,
			);
		}
		return credentialType.properties;
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
