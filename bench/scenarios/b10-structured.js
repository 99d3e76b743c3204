'use strict';
/**
 * B10: what Output Format = JSON Schema costs, for a 20-field schema (strings, enums, integers,
 * numbers, booleans, a list, a nested object). B1's setup (emulator latency 0, 10 in flight,
 * our Chat node) run two ways, interleaved: Text (B1's workflow) and JSON Schema (the same
 * workflow with the schema; the emulator answers the forced call with an object it builds from
 * the schema, valid by construction, so every item is parsed and fully checked).
 *
 * Goal (issue 17): the validation adds < 5 % to B1's CPU per item. Measured directly: the
 * answer check alone (dist/nodes/ScaiGridChat/structured/answer.js `judgeStructured`: JSON.parse
 * of the arguments plus the package's validator over the 20 fields) is a third contender of the
 * interleaved rounds, 20,000 answers after a warm-up, timed by CPU time; each round's check CPU
 * per answer is divided by that round's Text client CPU per item, and the figure is the median
 * of those shares with its IQR. The whole
 * difference between the two runs (a bigger request with the schema, a tool call to read back)
 * is reported beside it, as the median of the rounds' ratios of client CPU per item, with IQR.
 */
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const { withEmulator } = require('../lib/emulator');
const { runMeasured } = require('../lib/engine');
const {
	cpuMs,
	describeSummary,
	interleaved,
	pairedRatio,
	round,
	roundSummary,
	summary,
	withCpu,
} = require('../lib/timing');
const workflows = require('../lib/workflows');

const CONCURRENCY = 10;
const ROUNDS = 7;
const TEXT = 'Text (B1)';
const SCHEMA = 'JSON Schema, 20 fields';
const CHECK = 'answer check alone';
const CHECKS = 20_000;

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

/**
 * The answer check alone as a contender: `checks` answers judged, timed by this process's CPU
 * time (the machine is shared: wall time would count other processes' turns).
 */
function answerCheck(answerArguments, checks) {
	const ROOT = path.resolve(__dirname, '..', '..');
	const { judgeStructured } = require(
		path.join(ROOT, 'dist', 'nodes', 'ScaiGridChat', 'structured', 'answer.js'),
	);
	const structured = { name: 'order', schema: SCHEMA_20, tool: {} };
	const response = {
		choices: [
			{
				index: 0,
				finish_reason: 'tool_calls',
				message: {
					role: 'assistant',
					content: null,
					tool_calls: [
						{
							id: 'call_1',
							type: 'function',
							function: { name: 'order', arguments: answerArguments },
						},
					],
				},
			},
		],
	};
	const once = () => {
		if (!('value' in judgeStructured(response, structured)))
			throw new Error('the benchmark answer is invalid');
	};
	for (let i = 0; i < 2_000; i++) once();
	return async () => {
		const started = performance.now();
		const cpu = process.cpuUsage();
		for (let i = 0; i < checks; i++) once();
		const clientCpuMs = cpuMs(cpu, process.cpuUsage());
		return { ms: performance.now() - started, clientCpuMs, failed: 0 };
	};
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
			[TEXT]: () =>
				withCpu(emulator, () => runMeasured(text, { credentials, items: questionItems })),
			[SCHEMA]: () =>
				withCpu(emulator, () => runMeasured(schema, { credentials, items: questionItems })),
		};
		const warm = {
			[TEXT]: () => runMeasured(text, { credentials, items: questionItems.slice(0, 50) }),
			[SCHEMA]: () => runMeasured(schema, { credentials, items: questionItems.slice(0, 50) }),
		};
		const sample = await warm[SCHEMA]();
		await warm[TEXT]();
		if (sample.failed || !sample.firstItem?.json)
			throw new Error(
				`the JSON Schema run failed: ${JSON.stringify(sample.firstError ?? sample.error)}`,
			);
		contenders[CHECK] = answerCheck(JSON.stringify(sample.firstItem.json), CHECKS);
		const measured = await interleaved(contenders, rounds);
		const cpuPerItem = (run) => run.clientCpuMs / items;
		const checkPerAnswer = (run) => run.clientCpuMs / CHECKS;
		const whole = pairedRatio(measured, SCHEMA, TEXT, cpuPerItem);
		// Round by round: the check's CPU per answer ÷ the Text run's client CPU per item.
		const share = summary(
			measured[CHECK].runs.map(
				(run, i) => checkPerAnswer(run) / cpuPerItem(measured[TEXT].runs[i]),
			),
		);
		const median = (values) =>
			[...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
		const textCpuUs = median(measured[TEXT].runs.map((r) => cpuPerItem(r) * 1000));
		const checkUs = median(measured[CHECK].runs.map((r) => checkPerAnswer(r) * 1000));
		const failed = Math.max(
			...[TEXT, SCHEMA].flatMap((name) => measured[name].runs.map((r) => r.failed)),
		);
		const percent = {
			median: share.median * 100,
			q1: share.q1 * 100,
			q3: share.q3 * 100,
			n: share.n,
		};
		return {
			scenario: `B10 structured output, 20-field schema, ${items.toLocaleString('en')} chat items, latency 0, ${CONCURRENCY} in flight`,
			unit: 'µs CPU/item',
			ours: round(checkUs, 1),
			peers: { [`${TEXT}, client CPU`]: round(textCpuUs) },
			ratio: `check alone ${describeSummary(percent, 2, ' %')} of B1's CPU/item; whole JSON Schema run ${describeSummary(whole)} Text`,
			goal: 'validation < 5 % of B1 CPU/item',
			met: failed === 0 && share.median < 0.05,
			detail: {
				items,
				rounds,
				checkUsPerAnswer: round(checkUs, 2),
				checkShareOfB1Cpu: roundSummary(share),
				textClientCpuUsPerItem: round(textCpuUs),
				wholeRunCpuRatio: roundSummary(whole),
				runs: Object.fromEntries(
					[TEXT, SCHEMA]
						.map((name) => [measured[name], name])
						.map(([m, name]) => [
							name,
							{
								allMs: m.allMs,
								clientCpuUsPerItem: m.runs.map((r) => Math.round(cpuPerItem(r) * 1000)),
								failed: Math.max(...m.runs.map((r) => r.failed)),
							},
						]),
				),
				checkCpuUsPerAnswer: measured[CHECK].runs.map((r) => round(checkPerAnswer(r) * 1000, 2)),
				quick,
			},
		};
	});
}

module.exports = { run };
