'use strict';
// Everything `npm run n8n` and `npm run test:n8n` need before n8n starts, idempotent:
// Node 24 (n8n/.runtime/), n8n itself (n8n/.install/, once per clone), our package built and
// installed under its production name, the emulator, and the ScaiGrid credential plus every
// example workflow imported. `node n8n/setup.js` alone does only the installs (Node 24, n8n).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { log } = require('./lib/log');
const { ensureNode24 } = require('./lib/runtime');
const { ensureN8nInstalled } = require('./lib/install');
const { buildPackage, installPackage } = require('./lib/package');
const { n8nEnv, runCliChecked } = require('./lib/n8n');
const { freePort } = require('./lib/ports');
const { loadExamples, credentialRef, writeImportCopies } = require('./lib/examples');
const { writeCredentialFile } = require('./lib/credentials');

/** Node 24 and n8n: `{ runtime, n8nBin }`. */
function ensureInstalled() {
	const runtime = ensureNode24();
	const n8nBin = ensureN8nInstalled(runtime);
	return { runtime, n8nBin };
}

/**
 * Prepares an n8n user folder. `scaigrid`: `{ baseUrl, apiKey }` of a real ScaiGrid, or omitted
 * for the local emulator (started here on `emulatorPort`, any free port when omitted;
 * `ctx.emulator.close()` stops it). `fresh` wipes the folder first. `build: false` uses the
 * dist/ already built. `extraEnv`: more environment for the import commands (queue mode's DB_*). `pinTriggerItems`, `adaptWorkflow`: see writeImportCopies in lib/examples.js.
 */
async function prepare({
	userFolder,
	fresh = false,
	build = true,
	scaigrid,
	emulatorPort = 0,
	credentialName,
	pinTriggerItems = false,
	adaptWorkflow,
	extraEnv,
}) {
	const { runtime, n8nBin } = ensureInstalled();
	if (build) buildPackage();
	if (fresh) fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(userFolder, { recursive: true });
	const pkg = installPackage(userFolder);

	let emulator = null;
	let target = scaigrid;
	if (!target) {
		const { startEmulator } = require('../emulator');
		// Seeded usage history: the usage examples need records to report on (as in `npm run demo`).
		emulator = await startEmulator({ port: emulatorPort, host: '127.0.0.1', seedHistory: true });
		target = { baseUrl: emulator.url, apiKey: emulator.apiKey };
		log(`ScaiGrid emulator on ${emulator.url}`);
	}

	const examples = loadExamples();
	const ref = credentialRef(examples);
	// extraEnv: queue mode's database (lib/queue.js), so the imports land where main and workers read.
	const env = n8nEnv(runtime, { userFolder, brokerPort: await freePort(), extra: extraEnv });
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scaigrid-n8n-'));
	try {
		const credFile = writeCredentialFile(tmp, ref, { ...target, name: credentialName });
		await runCliChecked(runtime, n8nBin, ['import:credentials', `--input=${credFile}`], env);
		log(`imported credential "${credentialName || ref.name}" (id ${ref.id}) → ${target.baseUrl}`);
		const dir = writeImportCopies(examples, path.join(tmp, 'workflows'), {
			pinTriggerItems,
			adapt: adaptWorkflow,
		});
		await runCliChecked(runtime, n8nBin, ['import:workflow', '--separate', `--input=${dir}`], env);
		log(
			`imported ${examples.length} example workflows: ${examples.map((e) => e.workflow.id).join(', ')}`,
		);
	} catch (error) {
		if (emulator) await emulator.close();
		throw error;
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	return {
		runtime,
		n8nBin,
		userFolder,
		emulator,
		scaigrid: target,
		examples,
		credential: ref,
		pkg,
	};
}

module.exports = { ensureInstalled, prepare };

if (require.main === module) {
	try {
		const { runtime, n8nBin } = ensureInstalled();
		log(`ready: node ${runtime.nodeBin}, n8n ${n8nBin}`);
	} catch (error) {
		process.stderr.write(`${error.message}\n`);
		process.exit(1);
	}
}
