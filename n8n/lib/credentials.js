'use strict';
// The ScaiGrid credential n8n gets, in `n8n import:credentials` form: plain `data`, which n8n
// encrypts with the user folder's key on import. Its id and name are the ones the examples use.

const fs = require('node:fs');
const path = require('node:path');

function writeCredentialFile(dir, ref, { apiKey, baseUrl, name }) {
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, 'credentials.json');
	const credential = {
		id: ref.id,
		name: name || ref.name,
		type: 'scaiGridApi',
		data: { apiKey, baseUrl },
	};
	// The file holds the key in plain text: readable by its owner only, and deleted after import.
	fs.writeFileSync(file, `${JSON.stringify([credential], null, 2)}\n`, { mode: 0o600 });
	return file;
}

module.exports = { writeCredentialFile };
