'use strict';
// A small client for n8n's internal REST API (what the editor itself calls): owner setup, login,
// and the credential test. Keeps the auth cookie. n8n ties the auth cookie to a browser id sent
// in the `browser-id` header, so every request sends the same one.

const crypto = require('node:crypto');

class N8nRest {
	constructor(baseUrl) {
		this.baseUrl = baseUrl;
		this.cookie = '';
		this.browserId = crypto.randomUUID();
	}

	async request(method, path, body) {
		const res = await fetch(`${this.baseUrl}/rest${path}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': this.browserId,
				...(this.cookie && { cookie: this.cookie }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = res.headers.getSetCookie?.() ?? [];
		for (const c of setCookie) if (c.startsWith('n8n-auth=')) this.cookie = c.split(';')[0];
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: res.status, ok: res.ok, json, text };
	}

	async checked(method, path, body) {
		const res = await this.request(method, path, body);
		if (!res.ok)
			throw new Error(`${method} /rest${path} answered ${res.status}: ${res.text.slice(0, 300)}`);
		return res.json;
	}

	/** Whether the instance still waits for its owner account. */
	async needsOwnerSetup() {
		const settings = await this.checked('GET', '/settings');
		return settings.data.userManagement.showSetupOnFirstLoad === true;
	}

	async setupOwner(login) {
		await this.checked('POST', '/owner/setup', {
			email: login.email,
			firstName: login.firstName,
			lastName: login.lastName,
			password: login.password,
		});
	}

	async login(login) {
		await this.checked('POST', '/login', {
			emailOrLdapLoginId: login.email,
			password: login.password,
		});
	}
}

module.exports = { N8nRest };
