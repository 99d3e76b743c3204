import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * The n8n expression for the API root. Users paste the base URL in many forms (with a trailing
 * slash, with `/v1` from the docs' examples); all of them must reach the same `/v1/...` paths.
 * The client applies the same rule in code (nodes/shared/transport/baseUrl.ts) for the nodes' requests.
 */
const API_ROOT =
	"={{ String($credentials.baseUrl || '').trim().replace(/\\/+$/, '').replace(/\\/v1$/i, '') }}";

export class ScaiGridApi implements ICredentialType {
	name = 'scaiGridApi';

	displayName = 'ScaiGrid API';

	icon: Icon = {
		light: 'file:../icons/scaigrid.svg',
		dark: 'file:../icons/scaigrid.dark.svg',
	};

	documentationUrl = 'https://scaigrid.scailabs.ai/docs';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'sgk_...',
			description: 'A ScaiGrid API key (starts with sgk_) or a JWT, sent as a Bearer token',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://scaigrid.scailabs.ai',
			required: true,
			description:
				'Root URL of the ScaiGrid instance. Keep the default for the managed service; use your own URL for a self-hosted instance. A trailing slash or /v1 is fine.',
		},
	];

	// A method rather than n8n's declarative form (`type: 'generic'`): n8n evaluates the
	// declarative header as an expression before every request, 0.1–0.4 ms of CPU each in the
	// benchmarks (B1), and a chat run sends one request per item.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${String(credentials.apiKey ?? '')}`,
			},
		};
	}

	// Listing one model is free and needs only `models:list`, which every built-in role has.
	// The rules turn the statuses a wrong credential produces into messages that say what to fix.
	test: ICredentialTestRequest = {
		request: {
			baseURL: API_ROOT,
			url: '/v1/models',
			method: 'GET',
			qs: { limit: 1 },
			// The key never leaves the Base URL's origin: n8n's helper would follow a redirect and
			// re-attach the Authorization header on a cross-origin hop. Not followed, a 3xx fails the
			// request and the rules below explain it (a rule's message is fixed text, so unlike the
			// nodes' error it cannot name the Location).
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		},
		// n8n's type wants one kind of rule per list; its credential tester reads them mixed.
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'ScaiGrid rejected the API key (401). Check the key: it may be mistyped, expired or revoked.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The API key is valid but lacks the models:list permission (403). Ask your ScaiGrid admin to grant it.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No ScaiGrid API at this Base URL: GET /v1/models answered 404. Check the Base URL (e.g. https://scaigrid.scailabs.ai).',
				},
			},
			...[301, 302, 303, 307, 308].map((status) => ({
				type: 'responseCode' as const,
				properties: {
					value: status,
					message: `The Base URL answers with a redirect (HTTP ${status}) to another address. Redirects are not followed, so the API key was not sent there. Put the final URL in Base URL: open <Base URL>/v1/models in a browser to see where it leads.`,
				},
			})),
			...[502, 503, 504].map((status) => ({
				type: 'responseCode' as const,
				properties: {
					value: status,
					message: `The Base URL answered HTTP ${status}: the ScaiGrid instance, or a proxy in front of it, is failing or unreachable. Check the Base URL, or try again later.`,
				},
			})),
			{
				// A ScaiGrid success always carries `data`; an HTML page or another service's JSON does not.
				type: 'responseSuccessBody',
				properties: {
					key: 'data',
					value: undefined,
					message:
						'This Base URL answered, but not like a ScaiGrid API (no data in the reply to GET /v1/models). Check the Base URL.',
				},
			},
		] as Array<
			IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody
		> as ICredentialTestRequest['rules'],
	};
}
