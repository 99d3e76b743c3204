'use strict';
// Leg 2: the credential test through n8n's own path: the REST calls the editor makes when the
// user opens the saved ScaiGrid credential and n8n tests it (GET /rest/credentials/:id with
// includeData → POST /rest/credentials/test with what the form holds). n8n runs our credential's
// `test` request and rules; the messages must be ours (read from the built credential, one
// source of truth) and must never contain the key.

const path = require('node:path');

const { ROOT } = require('../lib/paths');

function ourMessages() {
	const { ScaiGridApi } = require(
		path.join(ROOT, 'dist', 'credentials', 'ScaiGridApi.credentials.js'),
	);
	const byStatus = {};
	for (const rule of new ScaiGridApi().test.rules) {
		if (rule.type === 'responseCode') byStatus[rule.properties.value] = rule.properties.message;
	}
	return byStatus;
}

/** Runs the cases; returns a list of problems (empty = all passed) and a one-line detail. */
async function credentialTestCases(ctx, rest) {
	const messages = ourMessages();
	const ref = ctx.credential;
	const stored = await rest.checked('GET', `/credentials/${ref.id}?includeData=true`);
	const form = stored.data;
	const problems = [];
	if (form.type !== 'scaiGridApi') problems.push(`stored credential has type ${form.type}`);
	if (JSON.stringify(form.data).includes(ctx.scaigrid.apiKey))
		problems.push('GET /rest/credentials returned the API key unredacted');

	const limitedKey = ctx.emulator.addKey({ permissions: ['models:use'] });
	const wrongKey = `sgk_${'0'.repeat(40)}`;
	const cases = [
		// What the editor sends for the saved credential: the form's data with the key redacted.
		{ name: 'saved credential (good key)', data: form.data, expect: { status: 'OK' } },
		{
			name: 'good key typed in',
			data: { ...form.data, apiKey: ctx.scaigrid.apiKey },
			expect: { status: 'OK' },
		},
		{
			name: 'wrong key',
			data: { ...form.data, apiKey: wrongKey },
			expect: { status: 'Error', message: messages[401] },
		},
		{
			name: 'key without models:list',
			data: { ...form.data, apiKey: limitedKey },
			expect: { status: 'Error', message: messages[403] },
		},
		{
			name: 'wrong base URL',
			data: { ...form.data, baseUrl: `${ctx.scaigrid.baseUrl}/not-scaigrid` },
			expect: { status: 'Error', message: messages[404] },
		},
	];
	const seen = [];
	for (const c of cases) {
		const res = await rest.request('POST', '/credentials/test', {
			credentials: { id: ref.id, name: form.name, type: form.type, data: c.data },
		});
		const answer = res.json && res.json.data;
		if (!res.ok || !answer) {
			problems.push(
				`${c.name}: POST /rest/credentials/test answered ${res.status}: ${res.text.slice(0, 200)}`,
			);
			continue;
		}
		seen.push(`${c.name} → ${answer.status}`);
		if (answer.status !== c.expect.status)
			problems.push(
				`${c.name}: expected ${c.expect.status}, got ${answer.status} (${answer.message})`,
			);
		if (c.expect.message !== undefined && answer.message !== c.expect.message) {
			problems.push(
				`${c.name}: expected our message "${c.expect.message}", got "${answer.message}"`,
			);
		}
		for (const key of [ctx.scaigrid.apiKey, wrongKey, limitedKey]) {
			if (String(answer.message || '').includes(key))
				problems.push(`${c.name}: the message contains an API key`);
		}
	}
	return { problems, detail: seen.join('; ') };
}

module.exports = { credentialTestCases };
