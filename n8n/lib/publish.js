'use strict';
// Workflows a test or benchmark adds to a running n8n: imported with the CLI (in the instance's
// environment, so they land in its database) and published through the REST API, as the
// editor's Publish does, so their production webhooks answer.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { runCliChecked } = require('./n8n');

/** Imports `workflows` (each with an `id`) and publishes each; `rest` is logged in as the owner. */
async function importAndPublish(ctx, env, rest, workflows) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaigrid-publish-'));
	try {
		for (const workflow of workflows)
			fs.writeFileSync(path.join(dir, `${workflow.id}.json`), JSON.stringify(workflow));
		await runCliChecked(
			ctx.runtime,
			ctx.n8nBin,
			['import:workflow', '--separate', `--input=${dir}`],
			env,
		);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
	for (const { id } of workflows) {
		const stored = (await rest.checked('GET', `/workflows/${id}`)).data;
		await rest.checked('POST', `/workflows/${id}/activate`, { versionId: stored.versionId });
	}
}

module.exports = { importAndPublish };
