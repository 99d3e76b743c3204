'use strict';
// The example workflows of examples/, read with the project's own loader
// (test/helpers/examples.ts: the same list and expectations the demo and the engine tests use),
// and copies of them fixed up for `n8n import:workflow`. examples/ itself is never changed.

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

require('../../scripts/ts-register');
const { loadExamples, checkRun } = require('../../test/helpers/examples.ts');

/** The credential the examples reference (`{ id, name }` of scaiGridApi), the same in all. */
function credentialRef(examples) {
	const refs = new Map();
	for (const { workflow } of examples) {
		for (const node of workflow.nodes) {
			const ref = node.credentials && node.credentials.scaiGridApi;
			if (ref) refs.set(ref.id, ref);
		}
	}
	if (refs.size !== 1)
		throw new Error(
			`the examples should all use one scaiGridApi credential; found ${[...refs.keys()].join(', ') || 'none'}`,
		);
	return [...refs.values()][0];
}

/** The node that starts a workflow: the one no connection leads into (sticky notes aside). */
function startNode(workflow) {
	const targets = new Set();
	for (const byType of Object.values(workflow.connections || {})) {
		for (const outputs of Object.values(byType))
			for (const conns of outputs || []) for (const c of conns || []) targets.add(c.node);
	}
	const starts = workflow.nodes.filter(
		(n) =>
			!targets.has(n.name) &&
			n.type !== 'n8n-nodes-base.stickyNote' &&
			Object.keys(workflow.connections || {}).includes(n.name),
	);
	return starts[0];
}

/** A stable versionId per example, so re-imports of an unchanged example look unchanged. */
function versionIdFor(workflow) {
	const hex = crypto.createHash('sha256').update(JSON.stringify(workflow)).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Writes import-ready copies into `dir` (one file per workflow, for `import:workflow --separate`).
 * n8n's import wants `active` and a `versionId`. With `pinTriggerItems`, an example whose
 * expectations give `run.triggerItems` gets them pinned on its trigger node: the same thing the
 * engine harness does, and how n8n itself runs a trigger it cannot fire from the CLI. It may be a
 * function of the example. `adapt(example, copy)` may change a copy for a test (lib callers say why).
 */
function writeImportCopies(examples, dir, { pinTriggerItems = false, adapt } = {}) {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	for (const example of examples) {
		const workflow = {
			...example.workflow,
			active: false,
			versionId: versionIdFor(example.workflow),
		};
		const triggerItems = example.config.run && example.config.run.triggerItems;
		const pin = typeof pinTriggerItems === 'function' ? pinTriggerItems(example) : pinTriggerItems;
		if (pin && triggerItems) {
			const items = triggerItems.map((item) =>
				item && typeof item.json === 'object' ? item : { json: item },
			);
			workflow.pinData = { ...(workflow.pinData || {}), [startNode(workflow).name]: items };
		}
		if (adapt) adapt(example, workflow);
		fs.writeFileSync(path.join(dir, example.file), `${JSON.stringify(workflow, null, 2)}\n`);
	}
	return dir;
}

/** The example to show first (editor hint, browser test): the Chat node's tools as branches. */
const SHOWCASE = ['chat-tools-parallel.json', 'chat-tools-one.json'];
const CHAT_TYPE = 'n8n-nodes-scaigrid.scaiGridChat';

function toolsOf(node) {
	return ((node.parameters && node.parameters.tools && node.parameters.tools.tool) || []).map(
		(t) => t.name,
	);
}

function showcaseExample(examples) {
	const withTools = examples.filter((e) =>
		e.workflow.nodes.some((n) => n.type === CHAT_TYPE && toolsOf(n).length > 0),
	);
	return SHOWCASE.map((f) => withTools.find((e) => e.file === f)).find(Boolean) || withTools[0];
}

module.exports = {
	loadExamples,
	checkRun,
	credentialRef,
	startNode,
	writeImportCopies,
	showcaseExample,
	toolsOf,
	CHAT_TYPE,
};
