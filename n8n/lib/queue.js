'use strict';
// n8n's queue mode on one machine, as n8n's reference setup (withPostgresAndWorker) but without
// Docker: Postgres and Redis from Debian's packages, each a plain process on a free loopback port
// with its data folder under n8n/ (no system service), then one `n8n start` (main) and `n8n worker`
// processes that share the database, the Redis queue and one n8n user folder (the same encryption
// key and the same installed community package, as a shared volume gives them in n8n's docker-
// compose setup).
//
// Used by `npm run n8n -- --queue` (start.js), `npm run test:n8n -- --queue` (e2e/queue.js) and
// the B9 benchmark (bench/scenarios/b9-queue-mode.js).

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const { log } = require('./log');
const { installStep } = require('./steps');
const { n8nEnv, stopGroup } = require('./n8n');
const { freePort } = require('./ports');

const REDIS_CANDIDATES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];
const DB_NAME = 'n8n';
const DB_USER = 'n8n';

function findRedis() {
	return REDIS_CANDIDATES.find((p) => fs.existsSync(p));
}

/** The newest Debian PostgreSQL's bin/ (initdb, postgres, pg_isready, createdb). */
function findPostgresBin() {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const versions = fs
		.readdirSync(root)
		.filter((v) => fs.existsSync(path.join(root, v, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(root, versions[0], 'bin') : undefined;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Redis and Postgres binaries, installed from Debian's packages on first use (needs root). */
function ensureQueueServices() {
	let redis = findRedis();
	let pgBin = findPostgresBin();
	const missing = [...(redis ? [] : ['redis-server']), ...(pgBin ? [] : ['postgresql'])];
	if (missing.length) {
		if (!isRoot())
			throw new Error(
				`queue mode needs ${missing.join(' and ')}: sudo apt-get install ${missing.join(' ')}`,
			);
		installStep(
			`${missing.join(' and ')} for queue mode (apt-get install ${missing.join(' ')})`,
			(run) => {
				const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
				run('apt-get', ['update'], { env });
				run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
			},
		);
		redis = findRedis();
		pgBin = findPostgresBin();
		if (!redis || !pgBin)
			throw new Error(
				`apt-get installed ${missing.join(' ')}, but ${!redis ? 'redis-server' : 'postgres'} was not found`,
			);
	}
	return { redis, pgBin };
}

/**
 * Postgres refuses to run as root: as root it runs as the system user `postgres` (created by
 * Debian's package; created here when missing), otherwise as the current user.
 */
function postgresUser() {
	if (!isRoot()) return {};
	const lookup = () => spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
	if (lookup().status !== 0) {
		const made = spawnSync(
			'useradd',
			['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'],
			{ encoding: 'utf8' },
		);
		if (made.status !== 0)
			throw new Error(`could not create the system user postgres: ${made.stderr}`);
	}
	const uid = Number(lookup().stdout.trim());
	const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
	return { uid, gid };
}

function chownTree(dir, { uid, gid }) {
	if (uid === undefined) return;
	fs.chownSync(dir, uid, gid);
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, entry.name);
		if (entry.isDirectory()) chownTree(p, { uid, gid });
		else fs.lchownSync(p, uid, gid);
	}
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function exitedPromise(child) {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) resolve();
		else child.once('exit', () => resolve());
	});
}

/** Stops a plain child (not a group): `signal`, then SIGKILL after `graceMs`. */
async function stopChild(child, signal = 'SIGTERM', graceMs = 10000) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const done = exitedPromise(child);
	child.kill(signal);
	const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
	await done;
	clearTimeout(timer);
}

/**
 * Postgres in `dir` (created with initdb on first use: user n8n, trust on loopback only),
 * listening on 127.0.0.1:`port`, its socket in the data folder. `fast`: no fsync (test data only).
 * Returns `{ port, env, stop }`; `env` is the DB_* environment n8n needs.
 */
async function startPostgres({ pgBin, dir: wanted, port, logFile, fast = false }) {
	const owner = postgresUser();
	const as = { uid: owner.uid, gid: owner.gid };
	let dir = wanted;
	fs.mkdirSync(dir, { recursive: true });
	chownTree(dir, owner);
	if (owner.uid !== undefined && spawnSync('test', ['-w', dir], as).status !== 0) {
		// E.g. a clone under /root (mode 700): the postgres user cannot enter the project's
		// folders. Its data then lives in the system's temporary folder, under a name that is
		// the same for this clone every run, so the workflows stored there survive restarts.
		const tag = crypto.createHash('sha256').update(wanted).digest('hex').slice(0, 12);
		dir = path.join(os.tmpdir(), `n8n-nodes-scaigrid-postgres-${tag}`);
		fs.mkdirSync(dir, { recursive: true });
		chownTree(dir, owner);
		log(
			`Postgres runs as the user postgres, which cannot enter ${wanted}: its data is in ${dir} instead`,
		);
	}
	const dataDir = path.join(dir, 'data');
	if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
		fs.rmSync(dataDir, { recursive: true, force: true });
		const init = spawnSync(
			path.join(pgBin, 'initdb'),
			['-D', dataDir, '-U', DB_USER, '--auth=trust', '-E', 'UTF8', '--no-instructions'],
			{
				encoding: 'utf8',
				...as,
			},
		);
		if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
	}
	const out = fs.openSync(logFile, 'a');
	const args = [
		'-D',
		dataDir,
		'-k',
		dataDir,
		'-p',
		String(port),
		'-h',
		'127.0.0.1',
		'-c',
		'max_connections=200',
	];
	if (fast)
		args.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
	const child = spawn(path.join(pgBin, 'postgres'), args, { stdio: ['ignore', out, out], ...as });
	fs.closeSync(out);
	const started = Date.now();
	for (;;) {
		if (child.exitCode !== null)
			throw new Error(`postgres exited (${child.exitCode}) at start; see ${logFile}`);
		const ready = spawnSync(path.join(pgBin, 'pg_isready'), [
			'-h',
			'127.0.0.1',
			'-p',
			String(port),
			'-U',
			DB_USER,
			'-q',
		]);
		if (ready.status === 0) break;
		if (Date.now() - started > 60000) {
			await stopChild(child, 'SIGINT');
			throw new Error(`postgres did not accept connections within 60 s; see ${logFile}`);
		}
		await sleep(200);
	}
	const created = spawnSync(
		path.join(pgBin, 'createdb'),
		['-h', '127.0.0.1', '-p', String(port), '-U', DB_USER, DB_NAME],
		{ encoding: 'utf8' },
	);
	if (created.status !== 0 && !/already exists/.test(created.stderr))
		throw new Error(`createdb failed: ${created.stderr}`);
	const env = {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(port),
		DB_POSTGRESDB_DATABASE: DB_NAME,
		DB_POSTGRESDB_USER: DB_USER,
		DB_POSTGRESDB_PASSWORD: '',
	};
	// SIGINT is Postgres's "fast shutdown": it ends the sessions and stops cleanly.
	return { port, env, child, stop: () => stopChild(child, 'SIGINT', 15000) };
}

/**
 * Redis on 127.0.0.1:`port`, no persistence (n8n's queue lives in it only while work is in
 * flight; Postgres holds the executions). `restart()` stops it and starts it again on the same
 * port, empty: a Redis restart as an operator would do one.
 */
async function startRedis({ redis, dir, port, logFile }) {
	fs.mkdirSync(dir, { recursive: true });
	const handle = { port, child: null };
	const launch = async () => {
		const out = fs.openSync(logFile, 'a');
		const child = spawn(
			redis,
			[
				'--port',
				String(port),
				'--bind',
				'127.0.0.1',
				'--dir',
				dir,
				'--save',
				'',
				'--appendonly',
				'no',
				'--daemonize',
				'no',
			],
			{
				stdio: ['ignore', out, out],
			},
		);
		fs.closeSync(out);
		handle.child = child;
		const started = Date.now();
		for (;;) {
			if (child.exitCode !== null)
				throw new Error(`redis-server exited (${child.exitCode}) at start; see ${logFile}`);
			if (await redisPing(port)) return;
			if (Date.now() - started > 30000)
				throw new Error(`redis-server did not answer within 30 s; see ${logFile}`);
			await sleep(100);
		}
	};
	await launch();
	handle.stop = () => stopChild(handle.child, 'SIGTERM');
	handle.restart = async ({ downMs = 0 } = {}) => {
		await handle.stop();
		if (downMs) await sleep(downMs);
		await launch();
	};
	return handle;
}

function redisPing(port) {
	const net = require('node:net');
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		const done = (ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (d) => done(String(d).startsWith('+PONG')));
	});
}

/** The environment every process of the queue-mode instance shares. */
function queueEnv({ postgres, redis }) {
	return {
		...postgres.env,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		// Executions started from the editor (and POST /rest/workflows/:id/run) go to the workers too.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		N8N_RUNNERS_MODE: 'internal',
	};
}

/**
 * `n8n worker --concurrency=N` in its own process group, its health server on 127.0.0.1:healthPort.
 * Resolves once /healthz/readiness answers 200 (database and Redis connected).
 */
async function startWorker(
	runtime,
	n8nBin,
	env,
	{ name, logFile, concurrency, timeoutMs = 180000 },
) {
	const healthPort = await freePort();
	const workerEnv = {
		...env,
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		QUEUE_HEALTH_CHECK_PORT: String(healthPort),
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
	};
	const out = fs.openSync(logFile, 'a');
	const child = spawn(runtime.nodeBin, [n8nBin, 'worker', `--concurrency=${concurrency}`], {
		env: workerEnv,
		stdio: ['ignore', out, out],
		detached: true,
	});
	fs.closeSync(out);
	const worker = { name, child, logFile, healthPort, concurrency, stop: () => stopGroup(child) };
	// A kill for the fault tests: the whole group at once, no graceful shutdown.
	worker.kill = () => {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			// gone
		}
		return exitedPromise(child);
	};
	const started = Date.now();
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(`${name} exited before it was ready; see ${logFile}`);
		if (Date.now() - started > timeoutMs) {
			await worker.stop();
			throw new Error(`${name} was not ready within ${timeoutMs / 1000} s; see ${logFile}`);
		}
		try {
			const res = await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`);
			if (res.status === 200) break;
		} catch {
			// not listening yet
		}
		await sleep(500);
	}
	log(
		`${name} ready after ${((Date.now() - started) / 1000).toFixed(1)} s (concurrency ${concurrency}, health http://127.0.0.1:${healthPort}/healthz)`,
	);
	return worker;
}

/**
 * Starts Postgres and Redis for a queue-mode instance whose state lives in `stateDir`
 * (postgres/, redis/, logs). `fresh` wipes it first. Returns `{ postgres, redis, env, stop }`.
 */
async function startQueueServices({ stateDir, fresh = false, fast = false }) {
	const { redis: redisBin, pgBin } = ensureQueueServices();
	if (fresh) fs.rmSync(stateDir, { recursive: true, force: true });
	fs.mkdirSync(stateDir, { recursive: true });
	const postgres = await startPostgres({
		pgBin,
		dir: path.join(stateDir, 'postgres'),
		port: await freePort(),
		logFile: path.join(stateDir, 'postgres.log'),
		fast,
	});
	log(
		`Postgres ${path.basename(path.dirname(pgBin))} on 127.0.0.1:${postgres.port} (data ${path.join(stateDir, 'postgres')})`,
	);
	let redis;
	try {
		redis = await startRedis({
			redis: redisBin,
			dir: path.join(stateDir, 'redis'),
			port: await freePort(),
			logFile: path.join(stateDir, 'redis.log'),
		});
	} catch (error) {
		await postgres.stop();
		throw error;
	}
	log(`Redis on 127.0.0.1:${redis.port}`);
	const env = queueEnv({ postgres, redis });
	return {
		postgres,
		redis,
		env,
		stop: async () => {
			await redis.stop();
			await postgres.stop();
		},
	};
}

/**
 * The n8n processes of a queue-mode instance: main (`n8n start`) on `port`, then `workers`
 * workers with `concurrency` each, all on `userFolder` and `services.env`. Returns
 * `{ main, workers, stop, addWorker }`. `mainExtra`: more environment for main only.
 */
async function startQueueN8n(
	ctx,
	services,
	{ userFolder, port, workers = 2, concurrency = 10, logLevel = 'info', logDir, mainExtra = {} },
) {
	const { startServer } = require('./n8n');
	const base = (extra) =>
		n8nEnv(ctx.runtime, { userFolder, logLevel, extra: { ...services.env, ...extra } });
	const mainEnv = {
		...base(mainExtra),
		N8N_PORT: String(port),
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
	};
	const main = await startServer(ctx.runtime, ctx.n8nBin, mainEnv, {
		logFile: path.join(logDir, 'n8n-main.log'),
	});
	const instance = { main, workers: [] };
	instance.addWorker = async (name) => {
		const worker = await startWorker(ctx.runtime, ctx.n8nBin, base({}), {
			name,
			logFile: path.join(logDir, `n8n-${name}.log`),
			concurrency,
		});
		instance.workers.push(worker);
		return worker;
	};
	instance.stop = async () => {
		await Promise.all(instance.workers.map((w) => w.stop()));
		await main.stop();
	};
	try {
		// One after the other: each n8n start costs several CPU-seconds on a machine of 2 cores.
		for (let i = 1; i <= workers; i++) await instance.addWorker(`worker-${i}`);
	} catch (error) {
		await instance.stop();
		throw error;
	}
	return instance;
}

/** Which worker ran which execution, read from the workers' logs ("Worker started execution 12"). */
function executionsByWorker(workers) {
	const byWorker = {};
	for (const w of workers) {
		const text = fs.existsSync(w.logFile) ? fs.readFileSync(w.logFile, 'utf8') : '';
		byWorker[w.name] = [...text.matchAll(/started execution (\d+)/gi)].map((m) => m[1]);
	}
	return byWorker;
}

module.exports = {
	ensureQueueServices,
	startQueueServices,
	startQueueN8n,
	startPostgres,
	startRedis,
	startWorker,
	executionsByWorker,
	queueEnv,
};
