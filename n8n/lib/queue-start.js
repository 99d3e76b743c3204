'use strict';
// `npm run n8n -- --queue`: the editor as in `npm run n8n`, but n8n in queue mode: Postgres and
// Redis (lib/queue.js), one main process and two workers, the package installed for all of them
// (one shared user folder), the examples loaded, the emulator running. Ctrl-C stops everything.
// Its state (database, the user folder with the owner's login) stays in n8n/.queue/ between runs.

const path = require('node:path');

const { N8N_DIR, ROOT } = require('./paths');
const { log } = require('./log');
const { prepare } = require('../setup');
const { firstFreePort } = require('./ports');
const { ensureOwner } = require('./owner');
const { showcaseExample } = require('./examples');
const { startQueueServices, startQueueN8n } = require('./queue');

const QUEUE_DIR = path.join(N8N_DIR, '.queue');
const WORKERS = 2;
const CONCURRENCY = 10;

async function startQueueMode(args, { emulatorPort, realScaiGrid, n8nPort }) {
	const userFolder = args.userFolderGiven ? args.userFolder : path.join(QUEUE_DIR, 'user');
	const stateDir = args.userFolderGiven ? path.join(userFolder, 'queue-state') : QUEUE_DIR;
	const scaigrid = args.real ? await realScaiGrid() : undefined;
	let services;
	let ctx;
	let instance;
	let stopping = false;
	const stopAll = async (code) => {
		if (stopping) return;
		stopping = true;
		log('stopping n8n (main and workers), Redis, Postgres and the emulator');
		if (instance) await instance.stop();
		if (services) await services.stop();
		if (ctx && ctx.emulator) await ctx.emulator.close();
		process.exit(code);
	};
	process.on('SIGINT', () => stopAll(0));
	process.on('SIGTERM', () => stopAll(0));
	try {
		services = await startQueueServices({ stateDir });
		ctx = await prepare({
			userFolder,
			build: args.build,
			scaigrid,
			emulatorPort: scaigrid ? undefined : await emulatorPort(userFolder, args.emulatorPort),
			credentialName: args.real ? 'ScaiGrid' : undefined,
			extraEnv: services.env,
		});
		const port = args.port || (await firstFreePort(n8nPort));
		log(
			`starting n8n in queue mode: main on http://localhost:${port}, then ${WORKERS} workers (logs in ${path.relative(ROOT, stateDir)}/)`,
		);
		instance = await startQueueN8n(ctx, services, {
			userFolder,
			port,
			workers: WORKERS,
			concurrency: CONCURRENCY,
			logDir: stateDir,
		});
		for (const child of [instance.main.child, ...instance.workers.map((w) => w.child)]) {
			child.on('exit', (code) => {
				if (!stopping) {
					log(`an n8n process exited unexpectedly (${code}); see the logs in ${stateDir}`);
					stopAll(1);
				}
			});
		}
		const { login } = await ensureOwner(instance.main.baseUrl, userFolder);
		const first = showcaseExample(ctx.examples) || ctx.examples[0];
		const credentialName = args.real ? 'ScaiGrid' : ctx.credential.name;
		const rel = (p) => path.relative(ROOT, p);
		const lines = [
			'',
			`  n8n in queue mode with n8n-nodes-scaigrid ${ctx.pkg.version} is running: ${instance.main.baseUrl}`,
			`  Log in:   ${login.email}   password: ${login.password}`,
			'',
			'  What runs (each stops with Ctrl-C):',
			`    main     n8n start   ${instance.main.baseUrl}   log ${rel(instance.main.logFile)}`,
			...instance.workers.map(
				(w) =>
					`    ${w.name.padEnd(8)} n8n worker --concurrency=${w.concurrency}   health http://127.0.0.1:${w.healthPort}/healthz   log ${rel(w.logFile)}`,
			),
			`    Postgres 127.0.0.1:${services.postgres.port}   data ${rel(path.join(stateDir, 'postgres'))}   database n8n, user n8n`,
			`    Redis    127.0.0.1:${services.redis.port}   no persistence (the queue; executions are stored in Postgres)`,
			`    ScaiGrid ${ctx.emulator ? 'emulator (for a credential of your own):' : ''}`,
			`      Base URL: ${ctx.scaigrid.baseUrl}`,
			...(ctx.emulator ? [`      API Key:  ${ctx.scaigrid.apiKey}`] : []),
			`    (The examples use the credential "${credentialName}".)`,
			'',
			'  Executions go through the queue to the workers: production webhooks, chat, schedules, and',
			'  "Execute workflow" in the editor too (OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true).',
			`  Try: ${instance.main.baseUrl}/workflow/${first.workflow.id}  (${first.workflow.name}), "Execute workflow";`,
			`  the worker that ran it logs "Worker started execution N".`,
			'',
			'  Ctrl-C stops n8n, Redis, Postgres' + (ctx.emulator ? ' and the emulator.' : '.'),
			'',
		];
		process.stdout.write(`${lines.join('\n')}\n`);
	} catch (error) {
		process.stderr.write(`${error.stack || error.message}\n`);
		await stopAll(1);
	}
}

module.exports = { startQueueMode, QUEUE_DIR };
