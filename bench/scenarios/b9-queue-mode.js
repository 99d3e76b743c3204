'use strict';
/**
 * B9: real n8n 2.41.1 in queue mode (issue 19). 20 executions started at once through a
 * production webhook, 50 chat items each (1,000 chat requests), one API key, the emulator's limit
 * 100 requests per 2 s (a sliding window): at least 10 windows. Run on queue mode (Postgres,
 * Redis, one main process, 2 workers with --concurrency=10, n8n/lib/queue.js) and, beside it, on
 * a single `n8n start` in regular mode (SQLite), both against the same emulator, in interleaved
 * rounds (queue, single, then single, queue, ...). The load workflow and the checks are the
 * e2e's (n8n/lib/queue-load.js): Webhook → Split Out → ScaiGrid Chat with its defaults.
 *
 * Goals (queue mode): 0 failed items, items out = items in for every execution, no question
 * admitted twice (the emulator's request log), time ≤ 1.3 × the bound. The bound: request k
 * cannot be admitted before ⌊k / 100⌋ × 2 s, so R admitted requests need ⌊(R − 1) / 100⌋ × 2 s,
 * plus one request's time; R counts every /v1 request admitted in the batch.
 *
 * Unlike the other scenarios, the clients under test are separate processes (n8n's): the
 * emulator runs inside this scenario's process (n8n/setup.js starts it), which only waits.
 * Startup (about 2 minutes on a busy 2-core machine: Postgres, Redis, 3 + 1 n8n processes,
 * imports) is not timed. Needs the real n8n install (`node n8n/setup.js`); as root, Redis and
 * Postgres are installed from Debian's packages on first use.
 */
const fs = require('node:fs');
const path = require('node:path');

const { N8N_DIR } = require('../../n8n/lib/paths');
const { prepare } = require('../../n8n/setup');
const { n8nEnv, startServer } = require('../../n8n/lib/n8n');
const { freePort } = require('../../n8n/lib/ports');
const { ensureOwner } = require('../../n8n/lib/owner');
const { startQueueServices, startQueueN8n, executionsByWorker } = require('../../n8n/lib/queue');
const {
	LOAD,
	installLoadWorkflow,
	warmUp,
	runLoadBatch,
	oneRequestMs,
} = require('../../n8n/lib/queue-load');
const { interleaved, pairedRatio, summary, describeSummary, round } = require('../lib/timing');

const STATE = path.join(N8N_DIR, '.bench-queue');
const QUEUE = 'n8n queue mode (main + 2 workers)';
const SINGLE = 'n8n single process';
const GOAL_FACTOR = 1.3;

async function run({ quick = false } = {}) {
	const rounds = quick ? 1 : 3;
	const executions = quick ? 6 : LOAD.executions;
	fs.rmSync(STATE, { recursive: true, force: true });
	const queueFolder = path.join(STATE, 'queue');
	const singleFolder = path.join(STATE, 'single');
	const services = await startQueueServices({
		stateDir: path.join(STATE, 'queue-state'),
		fast: true,
	});
	let queueCtx;
	let instance;
	let single;
	try {
		queueCtx = await prepare({ userFolder: queueFolder, build: false, extraEnv: services.env });
		const emulator = queueCtx.emulator;
		const singleCtx = await prepare({
			userFolder: singleFolder,
			build: false,
			scaigrid: { baseUrl: emulator.url, apiKey: emulator.apiKey },
		});
		singleCtx.credential = queueCtx.credential;
		instance = await startQueueN8n(queueCtx, services, {
			userFolder: queueFolder,
			port: await freePort(),
			workers: 2,
			concurrency: 10,
			logLevel: 'info',
			logDir: path.join(STATE, 'queue-state'),
		});
		const singleEnv = n8nEnv(singleCtx.runtime, {
			userFolder: singleFolder,
			port: await freePort(),
			brokerPort: await freePort(),
			logLevel: 'warn',
		});
		single = await startServer(singleCtx.runtime, singleCtx.n8nBin, singleEnv, {
			logFile: path.join(STATE, 'n8n-single.log'),
		});
		const queueRest = (await ensureOwner(instance.main.baseUrl, queueFolder)).rest;
		const singleRest = (await ensureOwner(single.baseUrl, singleFolder)).rest;
		await installLoadWorkflow(
			queueCtx,
			n8nEnv(queueCtx.runtime, {
				userFolder: queueFolder,
				brokerPort: await freePort(),
				extra: services.env,
			}),
			queueRest,
		);
		await installLoadWorkflow(
			singleCtx,
			n8nEnv(singleCtx.runtime, { userFolder: singleFolder, brokerPort: await freePort() }),
			singleRest,
		);
		const oneMs = await oneRequestMs(emulator);
		// The warm-up runs under the batch's limit: a long-running n8n process has learned its
		// key's window before such a batch, and so has each one here before the first round (a
		// process that starts cold beside a busy one needs a while: the e2e's one batch is cold).
		// One warm-up a window apart, so each process's requests have the window to themselves.
		emulator.setRateLimit({ limit: LOAD.limit, windowMs: LOAD.windowMs });
		const apart = () => new Promise((resolve) => setTimeout(resolve, LOAD.windowMs + 500));
		for (let i = 0; i < 4; i++) {
			await warmUp(instance.main.baseUrl, `wq${i}`);
			await apart();
		}
		await warmUp(single.baseUrl, 'ws');

		let n = 0;
		const batch = (baseUrl, name) => async () => {
			const before = name === QUEUE ? executionsByWorker(instance.workers) : null;
			const b = await runLoadBatch({
				baseUrl,
				emulator,
				tag: `r${n++}`,
				executions,
				oneRequestMs: oneMs,
			});
			if (before) {
				const after = executionsByWorker(instance.workers);
				b.perWorker = Object.fromEntries(
					Object.keys(after).map((w) => [w, after[w].length - before[w].length]),
				);
			}
			return b;
		};
		const measured = await interleaved(
			{ [QUEUE]: batch(instance.main.baseUrl, QUEUE), [SINGLE]: batch(single.baseUrl, SINGLE) },
			rounds,
		);
		const q = measured[QUEUE];
		const s = measured[SINGLE];
		const all = (m, key) => m.runs.reduce((sum, r) => sum + r[key], 0);
		const describe = (m) =>
			`${round(m.median.ms / 1000, 1)} s = ${m.median.ratio.toFixed(2)} × bound; ${all(m, 'failedItems')} failed, ${all(m, 'duplicates')} dup, ${all(m, 'executionsNotOk')} exec out≠in, ${m.median.rateLimited} × 429`;
		const ratio = pairedRatio(measured, QUEUE, SINGLE);
		const boundRatio = summary(q.runs.map((r) => r.ratio));
		const met =
			all(q, 'failedItems') === 0 &&
			all(q, 'duplicates') === 0 &&
			all(q, 'executionsNotOk') === 0 &&
			boundRatio.median <= GOAL_FACTOR;
		return {
			scenario: `B9 queue mode: ${executions} executions × ${LOAD.items} chat items, limit ${LOAD.limit} / ${LOAD.windowMs / 1000} s, 2 workers`,
			unit: '',
			ours: describe(q),
			peers: { [SINGLE]: describe(s) },
			ratio: `queue ÷ single: ${describeSummary(ratio)}; queue ÷ bound: ${describeSummary(boundRatio)}`,
			goal: `0 failed, items out = in, 0 duplicates; ≤ ${GOAL_FACTOR} × bound`,
			met,
			detail: {
				rounds,
				oneRequestMs: oneMs,
				runs: Object.fromEntries(
					Object.entries(measured).map(([name, m]) => [
						name,
						m.runs.map((r) => ({
							ms: r.ms,
							boundMs: r.boundMs,
							ratio: round(r.ratio, 3),
							failedItems: r.failedItems,
							executionsNotOk: r.executionsNotOk,
							duplicates: r.duplicates,
							admitted: r.admitted,
							admittedSpanMs: r.admittedSpanMs,
							firstWindowSpreadMs: r.firstWindowSpreadMs,
							slotReuseLagMs: r.slotReuseLagMs,
							windowStartsMs: r.windowStartsMs,
							rateLimited: r.rateLimited,
							perWorker: r.perWorker,
						})),
					]),
				),
				quick,
			},
		};
	} finally {
		if (single) await single.stop();
		if (instance) await instance.stop();
		await services.stop();
		if (queueCtx && queueCtx.emulator) await queueCtx.emulator.close();
	}
}

module.exports = { run };
