'use strict';
// The local ScaiGrid emulator, written from shared/scaigrid-api.md alone (never from the nodes'
// client code), so two independent readings of the contract check each other.

const http = require('node:http');
const { performance } = require('node:perf_hooks');
const { ApiError, validation } = require('./errors');
const { sendError } = require('./envelope');
const { KeyStore } = require('./keys');
const { RateLimiter } = require('./ratelimit');
const { Faults, applyPlainFault } = require('./faults');
const { UsageStore } = require('./usage-store');
const { BudgetStore } = require('./budgets');
const { seedRecords } = require('./seed');
const { route } = require('./router');
const { oaiSurface } = require('./oai');
const { handleControl } = require('./control');
const { mediaFile } = require('./inference-media');
const { isMultipart } = require('./multipart');

/** ScaiGrid's native API. The OpenAI-compatible /oai/v1 (oai.js) goes through the same pipeline. */
const nativeSurface = { prefix: '/v1/', route, sendError };

const DEFAULT_RATE_LIMIT = { limit: 60, windowMs: 60000 };

async function startEmulator(options = {}) {
	const now = options.now || (() => new Date());
	const startedAt = performance.now();
	const logRequests = options.logRequests !== false;
	const keys = new KeyStore();
	const apiKey = keys.add({ key: options.apiKey });
	for (const k of options.keys || []) keys.add(typeof k === 'string' ? { key: k } : k);

	const initialRate = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit;
	const limiter = new RateLimiter(initialRate);
	const faults = new Faults();
	const store = new UsageStore(now);
	const budgets = new BudgetStore(store, now);
	const timers = new Set();
	let latency = options.latencyMs || 0;
	let streamPacing = options.streamPacingMs || 0;
	let pageSize = options.modelsPageSize || 20;
	let requestCounter = 0;
	let requests = [];
	const stats = { total: 0, byStatus: new Map() };

	const delay = (ms) =>
		new Promise((resolve) => {
			if (!(ms > 0)) return resolve();
			const t = setTimeout(() => {
				timers.delete(t);
				resolve();
			}, ms);
			timers.add(t);
		});

	const seedHistory = () => {
		if (!options.seedHistory) return;
		const cfg = options.seedHistory === true ? {} : options.seedHistory;
		store.addMany(seedRecords(cfg, now().getTime()));
	};
	seedHistory();

	const deps = {
		store,
		budgets,
		faults,
		now,
		pageSize: () => pageSize,
		streamPacing: () => streamPacing,
	};

	/**
	 * One API request, whichever surface: latency, faults, key, the key's rate limit (one limiter
	 * for both surfaces), then the surface's route; errors in the surface's shape.
	 */
	async function handleApi(surface, req, res, path, query, body, bodyError, rawBody) {
		requestCounter++;
		const ctx = {
			req,
			res,
			method: req.method,
			path,
			query,
			body,
			rawBody,
			requestId: `req_${String(requestCounter).padStart(8, '0')}`,
			rateHeaders: null,
			startedAt: performance.now(),
			delay,
			logEntry: null,
			sendError: surface.sendError,
		};
		if (logRequests) {
			const headers = { ...req.headers };
			if (headers.authorization !== undefined)
				headers.authorization = keys.describe(headers.authorization);
			// Whether any Authorization header arrived (its value is never logged, only the key id).
			const authorizationSent = req.headers.authorization !== undefined;
			ctx.logEntry = {
				method: req.method,
				path,
				query,
				body,
				headers,
				authorizationSent,
				time: Math.round((performance.now() - startedAt) * 1000) / 1000,
				status: null,
				request_id: ctx.requestId,
			};
			requests.push(ctx.logEntry);
		}
		try {
			const ms =
				typeof latency === 'function'
					? latency({ method: req.method, path, query, body, headers: req.headers })
					: latency;
			await delay(ms);
			const fault = faults.take(path, 'plain');
			if (fault && (await applyPlainFault(ctx, fault, limiter))) return;
			const key = keys.authenticate(req.headers.authorization);
			ctx.rateHeaders = limiter.check(key.id);
			if (bodyError)
				throw validation({ field: 'body', message: `is not valid JSON (${bodyError})` });
			surface.route(ctx, key, deps);
		} catch (err) {
			if (err instanceof ApiError) surface.sendError(ctx, err);
			else {
				surface.sendError(
					ctx,
					new ApiError('INTERNAL_ERROR', `Emulator bug: ${err && err.message}`, {
						httpStatus: 500,
					}),
				);
			}
		} finally {
			stats.total++;
			const s = ctx.logEntry ? ctx.logEntry.status : res.statusCode;
			stats.byStatus.set(s, (stats.byStatus.get(s) || 0) + 1);
		}
	}

	function metrics() {
		const lines = [
			'# HELP scaigrid_requests_total Requests served by the emulator.',
			'# TYPE scaigrid_requests_total counter',
		];
		for (const [s, n] of stats.byStatus) lines.push(`scaigrid_requests_total{status="${s}"} ${n}`);
		lines.push(
			'# TYPE scaigrid_usage_records gauge',
			`scaigrid_usage_records ${store.entries.length}`,
		);
		return lines.join('\n') + '\n';
	}

	function onRequest(req, res) {
		const q = req.url.indexOf('?');
		const path = q < 0 ? req.url : req.url.slice(0, q);
		const query = q < 0 ? {} : Object.fromEntries(new URLSearchParams(req.url.slice(q + 1)));
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			let body = null;
			let bodyError = null;
			// Multipart bodies (audio transcription) stay raw: the endpoint parses them.
			const raw = chunks.length ? Buffer.concat(chunks) : null;
			if (raw && !isMultipart(req.headers['content-type'])) {
				const text = raw.toString('utf8');
				if (text.trim() !== '') {
					try {
						body = JSON.parse(text);
					} catch (e) {
						bodyError = e.message;
					}
				}
			}
			if (path.startsWith('/v1/') || path === '/v1')
				return void handleApi(nativeSurface, req, res, path, query, body, bodyError, raw);
			if (path.startsWith(oaiSurface.prefix))
				return void handleApi(oaiSurface, req, res, path, query, body, bodyError, raw);
			if (req.method === 'GET' && path.startsWith('/media/')) return mediaFile(res, path);
			if (path.startsWith('/_emulator/')) return handleControl(emulator, req, res, path, body);
			if (req.method === 'GET' && path === '/health')
				return plain(res, 200, 'application/json', '{"status":"ok"}');
			if (req.method === 'GET' && path === '/metrics')
				return plain(res, 200, 'text/plain; version=0.0.4', metrics());
			return plain(
				res,
				404,
				'application/json',
				JSON.stringify({
					status: 'error',
					error: { code: 'NOT_FOUND', message: `No endpoint ${req.method} ${path}` },
					meta: { request_id: 'req_none' },
				}),
			);
		});
	}

	const server = http.createServer({ keepAliveTimeout: 65000 }, onRequest);
	server.keepAliveTimeout = 65000;
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port || 0, options.host || '127.0.0.1', resolve);
	});
	const address = server.address();
	const host = address.address.includes(':') ? `[${address.address}]` : address.address;

	const emulator = {
		url: `http://${host}:${address.port}`,
		port: address.port,
		apiKey,
		get requests() {
			return requests;
		},
		clearRequests() {
			requests = [];
		},
		addKey(spec = {}) {
			return keys.add(spec);
		},
		revokeKey(key) {
			keys.revoke(key);
		},
		failNext(spec = {}) {
			faults.add(spec);
		},
		get pendingFaults() {
			return faults.size;
		},
		setLatency(msOrFn) {
			latency = msOrFn || 0;
		},
		setStreamPacing(ms) {
			streamPacing = ms || 0;
		},
		setRateLimit(config) {
			limiter.configure(config);
		},
		setModelsPageSize(n) {
			pageSize = n;
		},
		get usage() {
			return store.records();
		},
		addUsageRecords(records) {
			return store.addMany(records);
		},
		addBudget(spec) {
			return budgets.add(spec);
		},
		get budgets() {
			return budgets.budgets.map((b) => budgets.view(b));
		},
		reset() {
			faults.clear();
			requests = [];
			store.clear();
			budgets.clear();
			limiter.configure(initialRate);
			latency = options.latencyMs || 0;
			streamPacing = options.streamPacingMs || 0;
			pageSize = options.modelsPageSize || 20;
			requestCounter = 0;
			seedHistory();
		},
		close() {
			for (const t of timers) clearTimeout(t);
			timers.clear();
			return new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
	return emulator;
}

function plain(res, status, type, text) {
	res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
	res.end(text);
}

module.exports = { startEmulator };
