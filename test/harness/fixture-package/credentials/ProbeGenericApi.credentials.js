'use strict';
/** Generic (declarative) authentication, the form most community credentials use. */
class ProbeGenericApi {
	constructor() {
		this.name = 'probeGenericApi';
		this.displayName = 'Probe Generic API';
		this.properties = [
			{
				displayName: 'API Key',
				name: 'apiKey',
				type: 'string',
				typeOptions: { password: true },
				default: '',
			},
			{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: 'http://127.0.0.1:1' },
		];
		this.authenticate = {
			type: 'generic',
			properties: {
				headers: { Authorization: '=Bearer {{$credentials.apiKey}}' },
				qs: { via: 'generic' },
			},
		};
		this.test = {
			request: { baseURL: '={{$credentials.baseUrl}}', url: '/me', method: 'GET' },
			rules: [
				{ type: 'responseCode', properties: { value: 403, message: 'Key lacks access' } },
				{
					type: 'responseSuccessBody',
					properties: { key: 'user.disabled', value: true, message: 'User is disabled' },
				},
			],
		};
	}
}
module.exports = { ProbeGenericApi };
