'use strict';
/**
 * n8n's engine for benchmarks: the test harness (test/helpers/engine.ts: n8n-core's
 * WorkflowExecute with our package loaded from dist/ and n8n-nodes-base from node_modules),
 * loaded from plain node the way `npm run demo` does.
 */
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
require(path.join(ROOT, 'scripts', 'ts-register'));
const { runWorkflow } = require(path.join(ROOT, 'test', 'helpers', 'engine.ts'));

/** The last node of a one-node workflow (lib/workflows.js): the node under test. */
function testedNodeName(workflow) {
	return workflow.nodes[workflow.nodes.length - 1].name;
}

/**
 * Runs a workflow and returns its wall time (execution start to end, retries of n8n's Retry On
 * Fail included) and the tested node's output. A failed item is an item with `json.error`
 * (the workflows continue on fail); a run that failed as a whole fails every item. The output
 * items themselves are not returned (memory is measured), only the first one.
 */
async function runMeasured(workflow, { credentials, items, whileHeld }) {
	const result = await runWorkflow(workflow, { credentials, triggerItems: items });
	const output = result.output(testedNodeName(workflow));
	// e.g. a heap measurement while the execution's data (every node's output) is still held
	const held = whileHeld?.();
	const failed =
		result.status === 'success'
			? output.filter((item) => item.json.error !== undefined).length
			: items.length;
	return {
		ms: result.durationMs,
		status: result.status,
		error: result.error?.message,
		items: output.length,
		failed,
		firstError: output.find((item) => item.json.error !== undefined)?.json,
		firstItem: output[0]?.json,
		...(held && { held }),
	};
}

module.exports = { runWorkflow, runMeasured };
