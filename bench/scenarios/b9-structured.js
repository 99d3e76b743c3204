'use strict';
/**
 * B9: what Output Format = JSON Schema costs, for a 20-field schema (strings, enums, integers,
 * numbers, booleans, a list, a nested object). B1's setup (emulator latency 0, 10 in flight,
 * our Chat node) run two ways, interleaved: Text (B1's workflow) and JSON Schema (the same
 * workflow with the schema; the emulator answers the forced call with an object it builds from
 * the schema, valid by construction, so every item is parsed and fully checked).
 *
 * Goal (issue 17): the validation adds < 5 % to B1's CPU per item. Measured directly: the
 * answer check alone (dist/nodes/ScaiGridChat/structured/answer.js `judgeStructured`: JSON.parse
 * of the arguments plus the package's validator over the 20 fields), timed over many answers
 * after a warm-up, divided by the Text run's client CPU per item of the same run. The whole
 * difference between the two runs (a bigger request with the schema, a tool call to read back)
 * is reported beside it, as the median of the rounds' ratios of client CPU per item, with IQR.
 */
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const { withEmulator } = require('../lib/emulator');
const { runMeasured } = require('../lib/engine');
const { describeSummary, interleaved, pairedRatio, round, roundSummary, withCpu } = require('../lib/timing');
const workflows = require('../lib/workflows');

const CONCURRENCY = 10;
const ROUNDS = 7;
const TEXT = 'Text (B1)';
const SCHEMA = 'JSON Schema, 20 fields';

const str = { type: 'string' };
const SCHEMA_20 = {
	type: 'object',
	properties: {
		orderId: str,
		customerName: str,
		customerEmail: str,
		company: { type: ['string', 'null'] },
		street: str,
		city: str,
		zip: { type: 'string', minLength: 4, maxLength: 10 },
		country: { type: 'string', enum: ['CH', 'DE', 'AT', 'FR', 'IT'] },
		currency: { type: 'string', enum: ['CHF', 'EUR'] },
		status: { type: 'string', enum: ['new', 'paid', 'shipped', 'cancelled'] },
		priority: { type: 'string', enum: ['normal', 'urgent'] },
		deliveryDate: str,
		quantity: { type: 'integer', minimum: 1 },
		lineCount: { type: 'integer', minimum: 1 },
		total: { type: 'number', minimum: 0 },
		discount: { type: 'number', minimum: 0, maximum: 100 },
		giftWrap: { type: 'boolean' },
		invoiceByMail: { type: 'boolean' },
		tags: { type: 'array', items: str, maxItems: 10 },
		contact: { type: 'object', properties: { phone: str, name: str }, required: ['name'] },
	},
};
SCHEMA_20.required = Object.keys(SCHEMA_20.properties);

function structuredWorkflow() {
	const workflow = workflows.ourChatWorkflow({ concurrency: CONCURRENCY });
	Object.assign(workflow.nodes[workflow.nodes.length - 1].parameters, {
		outputFormat: 'jsonSchema',
		schemaMode: 'jsonSchema',
		jsonSchema: JSON.stringify(SCHEMA_20),
		schemaName: 'order',
	});
	return workflow;
}

/** µs per answer of the answer check alone, on the object the emulator builds. */
function checkCpuUs(answerArguments) {
	const ROOT = path.resolve(__dirname, '..', '..');
	const { judgeStructured } = require(path.join(ROOT, 'dist', 'nodes', 'ScaiGridChat', 'structured', 'answer.js'));
	const structured = { name: 'order', schema: SCHEMA_20, tool: {} };
	const response = {
		choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'order', arguments: answerArguments } }] } }],
	};
	const runs = 20_000;
	for (let i = 0; i < 2_000; i++) judgeStructured(response, structured);
	const samples = [];
	for (let s = 0; s < 5; s++) {
		const started = performance.now();
		for (let i = 0; i < runs; i++) {
			if (!('value' in judgeStructured(response, structured))) throw new Error('the benchmark answer is invalid');
		}
		samples.push(((performance.now() - started) * 1000) / runs);
	}
	return samples.sort((a, b) => a - b)[2];
}

async function run({ quick = false } = {}) {
	const items = quick ? 200 : 1000;
	const rounds = quick ? 2 : ROUNDS;
	return await withEmulator({ latencyMs: 0, rateLimit: false }, async (emulator) => {
		const credentials = workflows.credentialsFor(emulator);
		const questionItems = workflows.questionItems(items);
		const text = workflows.ourChatWorkflow({ concurrency: CONCURRENCY });
		const schema = structuredWorkflow();
		const contenders = {
			[TEXT]: () => withCpu(emulator, () => runMeasured(text, { credentials, items: questionItems })),
			[SCHEMA]: () => withCpu(emulator, () => runMeasured(schema, { credentials, items: questionItems })),
		};
		const warm = {
			[TEXT]: () => runMeasured(text, { credentials, items: questionItems.slice(0, 50) }),
			[SCHEMA]: () => runMeasured(schema, { credentials, items: questionItems.slice(0, 50) }),
		};
		const sample = await warm[SCHEMA]();
		await warm[TEXT]();
		if (sample.failed || !sample.firstItem?.json) throw new Error(`the JSON Schema run failed: ${JSON.stringify(sample.firstError ?? sample.error)}`);
		const measured = await interleaved(contenders, rounds);
		const cpuPerItem = (run) => run.clientCpuMs / items;
		const whole = pairedRatio(measured, SCHEMA, TEXT, cpuPerItem);
		const textCpuUs = (measured[TEXT].runs.map((r) => cpuPerItem(r) * 1000).sort((a, b) => a - b))[Math.floor((rounds - 1) / 2)];
		const checkUs = checkCpuUs(JSON.stringify(sample.firstItem.json));
		const share = checkUs / textCpuUs;
		const failed = Math.max(...Object.values(measured).flatMap((m) => m.runs.map((r) => r.failed)));
		return {
			scenario: `B9 structured output, 20-field schema, ${items.toLocaleString('en')} chat items, latency 0, ${CONCURRENCY} in flight`,
			unit: 'µs CPU/item',
			ours: round(checkUs, 1),
			peers: { [`${TEXT}, client CPU`]: round(textCpuUs) },
			ratio: `check alone ${(share * 100).toFixed(2)} % of B1's CPU/item; whole JSON Schema run ${describeSummary(whole)} Text`,
			goal: 'validation < 5 % of B1 CPU/item',
			met: failed === 0 && share < 0.05,
			detail: {
				items,
				rounds,
				checkUsPerAnswer: round(checkUs, 2),
				textClientCpuUsPerItem: round(textCpuUs),
				wholeRunCpuRatio: roundSummary(whole),
				runs: Object.fromEntries(
					Object.entries(measured).map(([name, m]) => [
						name,
						{ allMs: m.allMs, clientCpuUsPerItem: m.runs.map((r) => Math.round(cpuPerItem(r) * 1000)), failed: Math.max(...m.runs.map((r) => r.failed)) },
					]),
				),
				quick,
			},
		};
	});
}

module.exports = { run };
