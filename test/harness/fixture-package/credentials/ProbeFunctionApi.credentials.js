'use strict';
/** Authentication as a function. */
class ProbeFunctionApi {
	constructor() {
		this.name = 'probeFunctionApi';
		this.displayName = 'Probe Function API';
		this.properties = [{ displayName: 'Token', name: 'token', type: 'string', default: '' }];
	}
	async authenticate(credentials, requestOptions) {
		return {
			...requestOptions,
			headers: { ...(requestOptions.headers || {}), 'x-token': `fn:${credentials.token}` },
		};
	}
}
module.exports = { ProbeFunctionApi };
