'use strict';
// `npm run test:n8n -- --queue`: our package in n8n's queue mode (issue 19; lib/queue.js): Postgres,
// Redis, one main process and two workers (`n8n worker --concurrency=10`), one shared user folder
// with the package installed, against the local emulator. Legs:
//   examples  every example, started so that a worker runs it: Manual and Schedule Trigger
//             examples through POST /rest/workflows/:id/run (the editor's "Execute workflow";
//             OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true sends them to the queue), the Chat Trigger
//             example through its production chat URL (streamed: chunks relayed from the worker).
//             Each must meet its expectations and must have run on a worker (the workers' logs).
//   load      20 executions at once through a production webhook, 50 chat items each, one key,
//             limit 100 requests / 2 s (10 windows): 0 failed items, items out = items in for every
//             execution, no question admitted twice (the emulator's request log), both workers
//             used; the time against the limit's bound (goal ≤ 1.3 ×) is reported, a speed goal
//             whose figure B9 in bench/ owns (lib/queue-load.js).
//   faults    the load batch again while (1) a worker is killed (SIGKILL) mid-run, (2) Redis is
//             restarted mid-run: what n8n does is reported; checked is that the package adds no
//             harm: no question admitted twice, and every execution that n8n reports successful
//             has all its items.
// Then the work tree check. `--legs=examples,load,faults` picks legs; `--keep` leaves it running.

const fs = require('node:fs');
const path = require('node:path');

const { N8N_DIR } = require('../lib/paths');
const { log } = require('../lib/log');
const { prepare } = require('../setup');
const { freePort } = require('../lib/ports');
const { ensureOwner } = require('../lib/owner');
const { n8nEnv } = require('../lib/n8n');
const { startQueueServices, startQueueN8n, executionsByWorker } = require('../lib/queue');
const {
	LOAD,
	WORKFLOW_ID,
	installLoadWorkflow,
	warmUp,
	runLoadBatch,
	oneRequestMs,
	describeBatch,
} = require('../lib/queue-load');
const { Report } = require('./report');
const {
	isChatExample,
	adaptChatExample,
	runExampleViaRest,
	latestExecutionId,
} = require('./rest-examples');
const { trackedState, compareTrackedState } = require('./worktree');

const USER_FOLDER = path.join(N8N_DIR, '.e2e-queue');
const ALL_LEGS = ['examples', 'load', 'faults'];
const BOUND_FACTOR = 1.3;
/** The fault batches: 6 executions × 50 items (3 windows); how long their callers are waited for. */
const FAULT_EXECUTIONS = 6;
const FAULT_WAIT_MS = 100000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function parseArgs(argv) {
	const args = { legs: new Set(ALL_LEGS), keep: false };
	for (const arg of argv) {
		if (arg === '--queue') continue;
		else if (arg === '--keep') args.keep = true;
		else if (arg.startsWith('--legs='))
			args.legs = new Set(arg.slice(7).split(',').filter(Boolean));
		else
			throw new Error(`unknown argument ${arg} (--queue [--legs=${ALL_LEGS.join(',')}] [--keep])`);
	}
	for (const leg of args.legs) if (!ALL_LEGS.includes(leg)) throw new Error(`unknown leg ${leg}`);
	return args;
}

/** The executions of a workflow since `since`, with their status (n8n's REST list). */
async function executionsOf(rest, workflowId, since, slackMs = 1000) {
	const list = await rest.checked(
		'GET',
		`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=100`,
	);
	return (list.data.results || []).filter(
		(e) => new Date(e.startedAt || e.createdAt).getTime() >= since - slackMs,
	);
}

function countBy(values) {
	const out = {};
	for (const v of values) out[v] = (out[v] || 0) + 1;
	return out;
}

async function main(argv) {
	const args = parseArgs(argv);
	const report = new Report();
	const treeBefore = trackedState();
	const timings = {};
	let t = Date.now();
	const lap = (name) => {
		timings[name] = Math.round((Date.now() - t) / 100) / 10;
		t = Date.now();
	};
	const services = await startQueueServices({
		stateDir: path.join(USER_FOLDER, 'queue-state'),
		fresh: true,
		fast: true,
	});
	let ctx;
	let instance;
	const stop = async () => {
		if (instance) await instance.stop();
		await services.stop();
		if (ctx && ctx.emulator) await ctx.emulator.close();
	};
	for (const signal of ['SIGINT', 'SIGTERM'])
		process.once(signal, () => stop().finally(() => process.exit(130)));
	try {
		// fresh: wipes the user folder, and with it the queue state above, which startQueueServices
		// has already recreated: keep it.
		fs.mkdirSync(USER_FOLDER, { recursive: true });
		for (const entry of fs.readdirSync(USER_FOLDER))
			if (entry !== 'queue-state')
				fs.rmSync(path.join(USER_FOLDER, entry), { recursive: true, force: true });
		ctx = await prepare({
			userFolder: USER_FOLDER,
			pinTriggerItems: (example) => !isChatExample(example),
			adaptWorkflow: adaptChatExample,
			extraEnv: services.env,
		});
		lap('setup');
		const logDir = path.join(USER_FOLDER, 'queue-state');
		// Main looks for executions whose worker is gone every minute instead of n8n's 180 (the
		// fault leg would otherwise wait 3 hours to see what n8n makes of them).
		const mainExtra = { N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '1' };
		instance = await startQueueN8n(ctx, services, {
			userFolder: USER_FOLDER,
			port: await freePort(),
			workers: 2,
			concurrency: 10,
			logDir,
			mainExtra,
		});
		const server = instance.main;
		const { login, rest } = await ensureOwner(server.baseUrl, USER_FOLDER);
		lap('n8n start (main + 2 workers)');

		const ranOnWorker = (id) =>
			Object.entries(executionsByWorker(instance.workers)).find(([, ids]) =>
				ids.includes(String(id)),
			);

		if (args.legs.has('examples')) {
			for (const example of ctx.examples) {
				await report.check(`queue: ${example.file}`, async () => {
					const since = Date.now();
					const result = await runExampleViaRest(ctx, server, rest, example);
					const id = await latestExecutionId(rest, example.workflow.id, since - 1000);
					const worker = id && ranOnWorker(id);
					const problems = [...result.problems];
					if (!id) problems.push('no execution found');
					else if (!worker)
						problems.push(
							`execution ${id} ran on no worker (not in the workers' logs): it did not go through the queue`,
						);
					return {
						problems,
						detail: `execution ${id} on ${worker ? worker[0] : '?'}; ${result.detail || ''}`,
					};
				});
			}
		} else report.skip('queue: examples', 'leg "examples" not selected (--legs)');
		lap('examples');

		const needLoad = args.legs.has('load') || args.legs.has('faults');
		let oneMs = 0;
		if (needLoad) {
			await installLoadWorkflow(
				ctx,
				n8nEnv(ctx.runtime, {
					userFolder: USER_FOLDER,
					brokerPort: await freePort(),
					extra: services.env,
				}),
				rest,
			);
			oneMs = await oneRequestMs(ctx.emulator);
			// Both workers have looked up the model's prices (cached 10 minutes) and the webhook answers.
			for (let i = 0; i < 4; i++) await warmUp(server.baseUrl, `warm${i}`);
		}
		const batches = {};
		if (args.legs.has('load')) {
			await report.check(
				`queue: load, ${LOAD.executions} executions × ${LOAD.items} chat items over 2 workers`,
				async () => {
					const since = Date.now();
					const before = executionsByWorker(instance.workers);
					const b = await runLoadBatch({
						baseUrl: server.baseUrl,
						emulator: ctx.emulator,
						tag: 'load',
						oneRequestMs: oneMs,
					});
					batches.load = b;
					const after = executionsByWorker(instance.workers);
					const perWorker = Object.fromEntries(
						Object.keys(after).map((w) => [w, after[w].length - before[w].length]),
					);
					b.perWorker = perWorker;
					const problems = [];
					if (b.failedItems)
						problems.push(
							`${b.failedItems} failed items (first: ${b.perExecution.find((x) => x.failed).firstError})`,
						);
					if (b.executionsNotOk)
						problems.push(`${b.executionsNotOk} executions with items out ≠ items in`);
					if (b.duplicates)
						problems.push(`${b.duplicates} questions admitted more than once (duplicate spend)`);
					if (b.questionsAdmitted !== LOAD.executions * LOAD.items)
						problems.push(
							`${b.questionsAdmitted} questions admitted, expected ${LOAD.executions * LOAD.items}`,
						);
					if (Object.values(perWorker).some((n) => n === 0))
						problems.push(`not spread over both workers: ${JSON.stringify(perWorker)}`);
					const stored = countBy(
						(await executionsOf(rest, WORKFLOW_ID, since)).map((e) => e.status),
					);
					if ((stored.success || 0) < LOAD.executions)
						problems.push(
							`n8n stored ${JSON.stringify(stored)}, expected ${LOAD.executions} success`,
						);
					// Time is a speed goal: measured and reported here and by B9 (bench/), never a failure.
					const time = `time ${b.ratio.toFixed(2)} × the bound (goal ≤ ${BOUND_FACTOR}: ${b.ratio <= BOUND_FACTOR ? 'met' : 'not met'})`;
					return {
						problems,
						detail: `${describeBatch(b)}; ${time}; executions per worker ${JSON.stringify(perWorker)}`,
					};
				},
			);
		} else report.skip('queue: load', 'leg "load" not selected (--legs)');
		lap('load');

		if (args.legs.has('faults')) {
			batches.faults = {};
			await report.check('queue fault: a worker killed (SIGKILL) mid-run', () =>
				faultCheck('killWorker', { ctx, instance, rest, oneMs, batches }),
			);
			await report.check('queue fault: Redis restarted mid-run', () =>
				faultCheck('restartRedis', { ctx, instance, services, rest, oneMs, batches }),
			);
		} else report.skip('queue: faults', 'leg "faults" not selected (--legs)');
		lap('faults');

		fs.writeFileSync(
			path.join(USER_FOLDER, 'queue-batches.json'),
			`${JSON.stringify(batches, null, 2)}\n`,
		);
		if (args.keep) {
			log(
				`n8n (queue mode) stays up at ${server.baseUrl} (login ${login.email} / ${login.password}); Ctrl-C ends`,
			);
			await new Promise(() => {});
		}
	} finally {
		await stop();
	}
	lap('stop');
	if (treeBefore)
		await report.check('work tree: the run changed no tracked file', () =>
			compareTrackedState(treeBefore, trackedState(), []),
		);
	log(
		`times (s): ${Object.entries(timings)
			.map(([k, v]) => `${k} ${v}`)
			.join(', ')}`,
	);
	fs.writeFileSync(
		path.join(USER_FOLDER, 'report.json'),
		`${JSON.stringify({ checks: report.checks, timings }, null, 2)}\n`,
	);
	process.stdout.write(`${report.summary().replace('n8n-e2e:', 'n8n-e2e (queue mode):')}\n`);
	return report.failed ? 1 : 0;
}

/**
 * A fault in the middle of a smaller batch (6 executions × 50 items, the same limit: 3
 * windows). Reported: n8n's status for each execution, the answers the callers got. Checked:
 * the package adds no harm, i.e. no question admitted twice and every execution n8n stored as
 * successful has all its items; and the instance works again afterwards (a small batch).
 */
async function faultCheck(kind, { ctx, instance, services, rest, oneMs, batches }) {
	const server = instance.main;
	const since = Date.now();
	let done = false;
	let victim;
	const duringRun = async (elapsed) => {
		if (done || elapsed < 3000) return;
		done = true;
		if (kind === 'killWorker') {
			victim = instance.workers[0];
			log(`fault: SIGKILL to ${victim.name} at ${(elapsed / 1000).toFixed(1)} s`);
			await victim.kill();
		} else {
			log(`fault: restarting Redis at ${(elapsed / 1000).toFixed(1)} s`);
			await services.redis.restart({ downMs: 1000 });
			log('fault: Redis is back');
		}
	};
	// The webhook calls of executions on a killed worker may never be answered: bounded wait.
	const b = await runLoadBatch({
		baseUrl: server.baseUrl,
		emulator: ctx.emulator,
		tag: kind,
		executions: FAULT_EXECUTIONS,
		oneRequestMs: oneMs,
		duringRun,
		answerTimeoutMs: FAULT_WAIT_MS,
	});
	const problems = [];
	// No slack: the previous check's last executions may have started a moment before `since`.
	const stored = await executionsOf(rest, WORKFLOW_ID, since, 0);
	const statuses = countBy(stored.map((e) => e.status));
	const answered = b
		? countBy(
				b.perExecution.map((x) =>
					x.status === 200 && x.itemsOut === x.itemsIn
						? 'complete'
						: `http ${x.status}, ${x.itemsOut} items`,
				),
			)
		: { [`no answer within ${FAULT_WAIT_MS / 1000} s`]: FAULT_EXECUTIONS };
	if (b) {
		if (b.duplicates)
			problems.push(`${b.duplicates} questions admitted more than once (duplicate spend)`);
		// An execution n8n answered 200 for must hold every item, each answered correctly.
		const incomplete = b.perExecution.filter(
			(x) => x.status === 200 && (x.itemsOut !== x.itemsIn || x.failed),
		);
		if (incomplete.length)
			problems.push(
				`${incomplete.length} executions answered 200 but with missing or failed items`,
			);
	} else log(`fault ${kind}: some webhook calls got no answer within ${FAULT_WAIT_MS / 1000} s`);
	// Recovery: a killed worker is started again; then a small batch must run clean.
	if (kind === 'killWorker' && victim) {
		instance.workers.splice(instance.workers.indexOf(victim), 1);
		await instance.addWorker(`${victim.name}-restarted`);
	}
	const after = await runLoadBatch({
		baseUrl: server.baseUrl,
		emulator: ctx.emulator,
		tag: `${kind}-after`,
		executions: 4,
		items: 10,
		oneRequestMs: oneMs,
	}).catch((error) => ({ error }));
	if (after.error || after.failedItems || after.executionsNotOk || after.duplicates) {
		problems.push(
			`after the fault, a small batch did not run clean: ${after.error ? after.error.message : describeBatch(after)}`,
		);
	}
	batches.faults[kind] = {
		statuses,
		answered,
		batch: b && { ...b, perExecution: undefined },
		perExecution: b && b.perExecution,
	};
	return {
		problems,
		detail: `n8n stored ${JSON.stringify(statuses)}; callers got ${JSON.stringify(answered)}; ${b ? `${b.duplicates} duplicates, ${b.rateLimited} × 429, ${(b.ms / 1000).toFixed(1)} s` : ''}; afterwards ${after.error ? 'error' : `${after.failedItems} failed items`}`,
	};
}

module.exports = { main };
