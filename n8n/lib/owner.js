'use strict';
// The owner login of an n8n user folder. A new instance gets an owner with a generated password,
// saved next to the instance (readable by its owner only) so later runs can print it again.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { N8nRest } = require('./rest');

function newLogin() {
	// n8n's password rules: 8-64 characters with a digit and an uppercase letter.
	const password = `Sg${crypto.randomBytes(9).toString('base64url')}7`;
	return { email: 'owner@scaigrid.local', firstName: 'ScaiGrid', lastName: 'Demo', password };
}

/** Makes sure the instance has an owner and returns `{ login, rest }` logged in as that owner. */
async function ensureOwner(baseUrl, userFolder) {
	const file = path.join(userFolder, 'owner-login.json');
	const rest = new N8nRest(baseUrl);
	let login;
	if (await rest.needsOwnerSetup()) {
		login = newLogin();
		await rest.setupOwner(login);
		fs.writeFileSync(file, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
	} else if (fs.existsSync(file)) {
		login = JSON.parse(fs.readFileSync(file, 'utf8'));
	} else {
		throw new Error(
			`this n8n already has an owner, but ${file} is missing: delete ${userFolder} to start over`,
		);
	}
	await rest.login(login);
	return { login, rest };
}

module.exports = { ensureOwner };
