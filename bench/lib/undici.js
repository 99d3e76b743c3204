'use strict';
/**
 * The baseline: the same ScaiGrid calls made directly with an undici Pool, no n8n. What the
 * machine and the emulator allow, and what our nodes are measured against.
 */
const { setTimeout: sleep } = require('node:timers/promises');
const { Pool } = require('undici');

const { CHAT_PATH, USAGE_PATH, chatBody } = require('./workflows');
const { runConcurrently, timed } = require('./timing');

/** One HTTP request; the body read and parsed as JSON (ScaiGrid's envelope). */
async function requestJson(pool, apiKey, { method, path, query, body, reset = false }) {
	const response = await pool.request({
		method,
		path,
		query,
		reset, // true: close the connection after this request (no keep-alive)
		headers: {
			authorization: `Bearer ${apiKey}`,
			accept: 'application/json',
			...(body ? { 'content-type': 'application/json' } : {}),
		},
		body: body ? JSON.stringify(body) : undefined,
	});
	return { statusCode: response.statusCode, json: await response.body.json() };
}

/**
 * POSTs one chat request per question, `concurrency` at a time, over a keep-alive Pool of that
 * many connections (or a new connection per request with `keepAlive: false`).
 */
async function chatWithPool({ url, apiKey, questions, concurrency, keepAlive = true }) {
	const pool = new Pool(url, { connections: concurrency });
	let failed = 0;
	try {
		const { ms } = await timed(() =>
			runConcurrently(questions.length, concurrency, async (i) => {
				const answer = await requestJson(pool, apiKey, {
					method: 'POST',
					path: CHAT_PATH,
					body: chatBody(questions[i]),
					reset: !keepAlive,
				});
				if (answer.statusCode !== 200 || !answer.json.data) failed++;
			}),
		);
		return { ms, failed };
	} finally {
		await pool.close();
	}
}

/**
 * The best a client can do with the rate-limit headers alone: send while the last answer's
 * `X-Scaigrid-Ratelimit-Remaining` allows (up to `concurrency` at a time); at 0, wait until
 * `X-Scaigrid-Ratelimit-Reset` (whole Unix seconds), no safety margin. A 429 puts the item back.
 */
async function chatPacedByHeaders({ url, apiKey, questions, concurrency }) {
	const pool = new Pool(url, { connections: concurrency });
	const queue = questions.map((_, i) => i);
	let remaining = concurrency;
	let resetAtMs = 0;
	let rateLimited = 0;
	try {
		const { ms } = await timed(async () => {
			while (queue.length) {
				if (remaining <= 0) await sleep(Math.max(0, resetAtMs - Date.now()));
				const batch = queue.splice(0, Math.max(1, Math.min(concurrency, remaining)));
				const answers = await Promise.all(
					batch.map(async (i) => {
						const response = await pool.request({
							method: 'POST',
							path: CHAT_PATH,
							headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
							body: JSON.stringify(chatBody(questions[i])),
						});
						await response.body.dump();
						return { i, status: response.statusCode, headers: response.headers };
					}),
				);
				remaining = Math.min(
					...answers.map((a) => Number(a.headers['x-scaigrid-ratelimit-remaining'] ?? concurrency)),
				);
				resetAtMs = Math.max(
					...answers.map((a) => Number(a.headers['x-scaigrid-ratelimit-reset'] ?? 0) * 1000),
				);
				for (const answer of answers) {
					if (answer.status === 429) {
						rateLimited++;
						queue.push(answer.i);
					}
				}
			}
		});
		return { ms, failed: 0, rateLimited };
	} finally {
		await pool.close();
	}
}

/** Reads every usage record of the range, 1,000 per page, following `next_cursor`. */
async function pageUsageRecords({ url, apiKey, query }) {
	const pool = new Pool(url, { connections: 1 });
	const records = [];
	let pages = 0;
	try {
		const { ms } = await timed(async () => {
			let cursor;
			do {
				const page = await requestJson(pool, apiKey, {
					method: 'GET',
					path: USAGE_PATH,
					query: { ...query, limit: 1000, ...(cursor ? { cursor } : {}) },
				});
				if (page.statusCode !== 200)
					throw new Error(`usage page failed: ${JSON.stringify(page.json)}`);
				pages++;
				records.push(...page.json.data.items);
				cursor = page.json.pagination?.has_more ? page.json.pagination.next_cursor : undefined;
			} while (cursor);
		});
		return { ms, records: records.length, pages };
	} finally {
		await pool.close();
	}
}

module.exports = { chatWithPool, chatPacedByHeaders, pageUsageRecords };
