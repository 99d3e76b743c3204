'use strict';
// The queue-mode load case (issue 19), shared by `npm run test:n8n -- --queue` (e2e/queue.js)
// and `npm run bench`'s B9: EXECUTIONS executions started at once through a production webhook,
// ITEMS chat items each, one API key, the emulator's rate limit set so the batch needs several
// windows. The workflow: Webhook (response "when the last node finishes", all items) → Split Out
// → ScaiGrid Chat with its defaults (Max Concurrent Requests 5).
//
// What a batch reports: failed items (missing, error, or an answer that is not the echo of its
// own question), items out = items in per execution, duplicate spend (a question the emulator
// admitted, status 200, more than once: the request log), 429s, and the time against the bound
// the limit allows: in a sliding window of W with limit L, request k (0-based) cannot be admitted
// before ⌊k / L⌋ × W, so R requests need at least ⌊(R − 1) / L⌋ × W, plus one request's time.
// R counts every /v1 request the limit admitted in the batch (the chat requests, and a model's
// price lookup when a process has not cached it yet).

const { quantile } = require('../../bench/lib/timing');
const { importAndPublish } = require('./publish');

const LOAD = { executions: 20, items: 50, limit: 100, windowMs: 2000 };
// SCAIGRID_QUEUE_LIMIT=250/5000 measures the same batch under another limit (requests / window ms):
// how much of the time is the 2-second window's whole-second reset (README, "Scaling out").
if (process.env.SCAIGRID_QUEUE_LIMIT) {
	const [limit, windowMs] = process.env.SCAIGRID_QUEUE_LIMIT.split('/').map(Number);
	if (!(limit > 0 && windowMs > 0))
		throw new Error('SCAIGRID_QUEUE_LIMIT must be <requests>/<window ms>, e.g. 250/5000');
	Object.assign(LOAD, { limit, windowMs });
}
// SCAIGRID_QUEUE_CONCURRENCY=10 sets the Chat node's Max Concurrent Requests (default 5): what a
// user can set for a key's limit (README, "What to set").
const NODE_CONCURRENCY = process.env.SCAIGRID_QUEUE_CONCURRENCY
	? Number(process.env.SCAIGRID_QUEUE_CONCURRENCY)
	: undefined;
if (NODE_CONCURRENCY !== undefined && !(Number.isInteger(NODE_CONCURRENCY) && NODE_CONCURRENCY > 0))
	throw new Error('SCAIGRID_QUEUE_CONCURRENCY must be a whole number ≥ 1, e.g. 10');
const WORKFLOW_ID = 'scaigrid-queue-load';
const WEBHOOK_PATH = 'scaigrid-queue-load';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function loadWorkflow(credential) {
	return {
		id: WORKFLOW_ID,
		name: 'ScaiGrid: queue-mode load case (webhook → 50 chat items)',
		active: false,
		versionId: '9b1e0c52-4a1d-4c3e-8f00-19000000a001',
		settings: { executionOrder: 'v1' },
		connections: {
			Webhook: { main: [[{ node: 'One Item per Question', type: 'main', index: 0 }]] },
			'One Item per Question': { main: [[{ node: 'ScaiGrid Chat', type: 'main', index: 0 }]] },
		},
		nodes: [
			{
				id: '9b1e0c52-4a1d-4c3e-8f00-190000000001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '9b1e0c52-4a1d-4c3e-8f00-1900000000ff',
				parameters: {
					httpMethod: 'POST',
					path: WEBHOOK_PATH,
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
			},
			{
				id: '9b1e0c52-4a1d-4c3e-8f00-190000000002',
				name: 'One Item per Question',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					fieldToSplitOut: 'body.questions',
					include: 'noOtherFields',
					options: { destinationFieldName: 'question' },
				},
			},
			{
				id: '9b1e0c52-4a1d-4c3e-8f00-190000000003',
				name: 'ScaiGrid Chat',
				type: 'n8n-nodes-scaigrid.scaiGridChat',
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					model: { __rl: true, mode: 'id', value: 'scailabs/poolnoodle-omni' },
					prompt: 'simple',
					userMessage: '={{ $json.question }}',
					simplify: true,
					options: NODE_CONCURRENCY ? { maxConcurrency: NODE_CONCURRENCY } : {},
				},
				credentials: { scaiGridApi: { id: credential.id, name: credential.name } },
			},
		],
		connectionsVersion: undefined,
	};
}

/** Imports the load workflow with the import CLI (the instance's environment) and publishes it. */
function installLoadWorkflow(ctx, env, rest) {
	return importAndPublish(ctx, env, rest, [loadWorkflow(ctx.credential)]);
}

const QUESTION_ID = /\[q:([\w-]+)\]/;

function questions(tag, execution, items) {
	return Array.from(
		{ length: items },
		(_, i) => `[q:${tag}-${execution}-${i}] What is ${execution} times ${i}?`,
	);
}

/** POSTs one execution's questions; retries while the just-published webhook is not registered yet (404). */
async function postBatch(baseUrl, body, timeoutMs = 600000) {
	for (let attempt = 0; ; attempt++) {
		const res = await fetch(`${baseUrl}/webhook/${WEBHOOK_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(timeoutMs),
		});
		const text = await res.text();
		if (res.status === 404 && attempt < 40) {
			await sleep(500);
			continue;
		}
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: res.status, json, text };
	}
}

/** Waits until the registered webhook answers (an empty batch), so the timed batch starts warm. */
async function warmUp(baseUrl, tag) {
	const r = await postBatch(baseUrl, { questions: questions(`${tag}-warm`, 0, 2) });
	if (r.status !== 200)
		throw new Error(`the load webhook answered ${r.status}: ${r.text.slice(0, 300)}`);
}

/**
 * One batch: sets the emulator's limit, waits for a fresh window, fires `executions` webhook calls
 * at once and analyses answers and the emulator's request log. `duringRun(elapsedMs)` is polled
 * every 100 ms while the batch runs (the fault tests kill a worker or restart Redis from it).
 */
async function runLoadBatch({
	baseUrl,
	emulator,
	tag,
	executions = LOAD.executions,
	items = LOAD.items,
	limit = LOAD.limit,
	windowMs = LOAD.windowMs,
	oneRequestMs = 0,
	duringRun,
	answerTimeoutMs,
}) {
	emulator.setRateLimit({ limit, windowMs });
	await sleep(windowMs + 500);
	const before = emulator.requests.length;
	const started = Date.now();
	let running = true;
	const poller = (async () => {
		while (running && duringRun) {
			await duringRun(Date.now() - started);
			await sleep(100);
		}
	})();
	const answers = await Promise.all(
		Array.from({ length: executions }, (_, e) =>
			postBatch(baseUrl, { questions: questions(tag, e, items) }, answerTimeoutMs).catch(
				(error) => ({ status: 0, text: `no answer: ${error.message}` }),
			),
		),
	);
	const ms = Date.now() - started;
	running = false;
	// Requests still in flight (an execution the callers stopped waiting for) land in the log late.
	if (answers.some((a) => a.status === 0)) await sleep(2000);
	await poller;
	const perExecution = answers.map((a, e) => {
		const list = Array.isArray(a.json)
			? a.json
			: a.json && typeof a.json === 'object'
				? [a.json]
				: [];
		const asked = questions(tag, e, items);
		let failed = 0;
		for (let i = 0; i < items; i++) {
			const out = list[i];
			const ok =
				out &&
				!out.error &&
				typeof out.text === 'string' &&
				out.text.includes(asked[i].replace(/^\[q:[^\]]+\] /, ''));
			if (!ok) failed++;
		}
		return {
			status: a.status,
			itemsIn: items,
			itemsOut: list.length,
			failed,
			firstError:
				a.status !== 200 ? a.text.slice(0, 200) : (list.find((x) => x && x.error) || {}).error,
		};
	});
	const log = emulator.requests.slice(before).filter((r) => r.path.startsWith('/v1/'));
	const admittedByQuestion = new Map();
	for (const r of log) {
		if (!r.path.startsWith('/v1/inference/chat') || r.status !== 200) continue;
		const m = QUESTION_ID.exec(JSON.stringify(r.body || {}));
		if (!m || !m[1].startsWith(`${tag}-`)) continue;
		admittedByQuestion.set(m[1], (admittedByQuestion.get(m[1]) || 0) + 1);
	}
	const duplicates = [...admittedByQuestion.values()].filter((n) => n > 1).length;
	const admittedTimes = log
		.filter((r) => r.status !== 429)
		.map((r) => r.time)
		.sort((a, b) => a - b);
	const admitted = admittedTimes.length;
	const boundMs = Math.floor((Math.max(admitted, 1) - 1) / limit) * windowMs + oneRequestMs;
	return {
		tag,
		ms,
		executions,
		items,
		limit,
		windowMs,
		failedItems: perExecution.reduce((s, x) => s + x.failed, 0),
		executionsNotOk: perExecution.filter((x) => x.status !== 200 || x.itemsOut !== x.itemsIn)
			.length,
		perExecution,
		chatRequests: log.filter((r) => r.path.startsWith('/v1/inference/chat')).length,
		admitted,
		rateLimited: log.filter((r) => r.status === 429).length,
		otherErrors: log.filter((r) => r.status >= 400 && r.status !== 429).length,
		questionsAdmitted: admittedByQuestion.size,
		duplicates,
		boundMs,
		ratio: ms / boundMs,
		// From the first admitted request to the last: the part of `ms` the pacing decides (the
		// rest is n8n starting the executions and answering the webhooks).
		admittedSpanMs: admitted ? Math.round(admittedTimes[admitted - 1] - admittedTimes[0]) : 0,
		// How long the first window's requests took to be admitted: n8n starts the executions over
		// that time, and a sliding window carries that spread into every later window.
		firstWindowSpreadMs:
			admitted >= limit ? Math.round(admittedTimes[limit - 1] - admittedTimes[0]) : undefined,
		// How much later than at best each slot was taken again: request k waits for request
		// k − limit to leave the window, so it can be admitted one window after it. What the
		// pacers (and the busy n8n processes sending for them) add per window, median and 90th
		// percentile.
		slotReuseLagMs: reuseLag(admittedTimes, limit, windowMs),
		// When each window's first request was admitted (request k × limit), from the first: one
		// window apart at best.
		windowStartsMs: admittedTimes
			.filter((_, k) => k % limit === 0)
			.map((time) => Math.round(time - admittedTimes[0])),
	};
}

/** The delays of request k beyond request k − limit's time plus one window: median and p90. */
function reuseLag(admittedTimes, limit, windowMs) {
	const lags = [];
	for (let k = limit; k < admittedTimes.length; k++)
		lags.push(admittedTimes[k] - admittedTimes[k - limit] - windowMs);
	if (lags.length === 0) return undefined;
	lags.sort((a, b) => a - b);
	return { p50: Math.round(quantile(lags, 0.5)), p90: Math.round(quantile(lags, 0.9)) };
}

/** One request's time, measured directly against the emulator (the "+ one request" of the bound). */
async function oneRequestMs(emulator) {
	emulator.setRateLimit(false);
	const call = () =>
		fetch(`${emulator.url}/v1/inference/chat`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${emulator.apiKey}` },
			body: JSON.stringify({
				model: 'scailabs/poolnoodle-omni',
				messages: [{ role: 'user', content: 'one request' }],
			}),
		}).then((r) => r.text());
	await call();
	const t = Date.now();
	await call();
	return Date.now() - t;
}

function describeBatch(b) {
	return `${b.executions} × ${b.items} items in ${(b.ms / 1000).toFixed(1)} s = ${b.ratio.toFixed(2)} × bound ${(b.boundMs / 1000).toFixed(1)} s (${b.admitted} admitted requests, limit ${b.limit} / ${b.windowMs / 1000} s); ${b.failedItems} failed items, ${b.executionsNotOk} executions with items out ≠ in, ${b.duplicates} questions admitted twice, ${b.rateLimited} answered 429`;
}

module.exports = {
	LOAD,
	WORKFLOW_ID,
	loadWorkflow,
	installLoadWorkflow,
	warmUp,
	runLoadBatch,
	oneRequestMs,
	describeBatch,
};
