'use strict';
// API keys and their permissions (contract section 6). Keys are derived from a counter via a
// hash so they are stable across runs yet look like real `sgk_` keys.

const crypto = require('node:crypto');
const { ApiError } = require('./errors');

const ALL_PERMISSIONS = [
	'models:list',
	'models:use',
	'accounting:view_own',
	'accounting:view_tenant',
	'accounting:view_partner',
];

class KeyStore {
	constructor() {
		this.byKey = new Map();
		this.counter = 0;
	}

	add({
		key,
		permissions = ALL_PERMISSIONS,
		tenantId = 'acme',
		userId = 'usr_demo',
		partnerId = 'partner_scailabs',
		revoked = false,
	} = {}) {
		this.counter++;
		const id = `key_${this.counter}`;
		const value =
			key ||
			`sgk_${crypto.createHash('sha256').update(`scaigrid-emulator-key-${this.counter}`).digest('hex').slice(0, 40)}`;
		this.byKey.set(value, {
			id,
			key: value,
			permissions: new Set(permissions),
			tenantId,
			userId,
			partnerId,
			revoked: !!revoked,
		});
		return value;
	}

	revoke(key) {
		const k = this.byKey.get(key);
		if (k) k.revoked = true;
	}

	/** The key id for logs: never the key itself. */
	describe(authorization) {
		if (authorization === undefined) return undefined;
		const k = this.byKey.get(bearer(authorization));
		return k ? `Bearer <${k.id}>` : 'Bearer <unknown>';
	}

	authenticate(authorization) {
		if (!authorization)
			throw new ApiError(
				'AUTH_TOKEN_MISSING',
				'Authorization header is missing: send "Authorization: Bearer <key>"',
			);
		const token = bearer(authorization);
		const k = token && this.byKey.get(token);
		if (!k) throw new ApiError('AUTH_TOKEN_INVALID', 'API key is invalid');
		if (k.revoked) throw new ApiError('AUTH_TOKEN_INVALID', 'API key has been revoked');
		return k;
	}
}

function bearer(header) {
	const m = /^Bearer\s+(\S+)\s*$/i.exec(header || '');
	return m ? m[1] : null;
}

function requirePermission(key, permission) {
	if (!key.permissions.has(permission)) {
		throw new ApiError(
			'AUTHZ_PERMISSION_DENIED',
			`Permission denied: this key lacks the permission "${permission}"`,
		);
	}
}

module.exports = { KeyStore, requirePermission, ALL_PERMISSIONS };
