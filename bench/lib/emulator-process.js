'use strict';
/**
 * Child-process side of lib/emulator.js: the ScaiGrid emulator in a process of its own, so its
 * CPU time and memory are not mixed with the client being measured (on a 2-core machine the
 * emulator gets one core, the client the other). Controlled over IPC.
 */
const path = require('node:path');
const { startEmulator } = require(path.join(__dirname, '..', '..', 'emulator'));

/** Records spread one second apart, ending at `endMs`, spread over a few models and users. */
function usageRecords(count, endMs) {
	const models = [
		'scailabs/poolnoodle-omni',
		'openai/gpt-4o',
		'meta/llama-3.1-70b',
		'local/qwen2.5-7b',
	];
	const records = new Array(count);
	for (let i = 0; i < count; i++) {
		records[i] = {
			model: models[i % models.length],
			user_id: `usr_${i % 7}`,
			tokens_in: 20 + (i % 300),
			tokens_out: 5 + (i % 500),
			latency_ms: 100 + (i % 900),
			created_at: new Date(endMs - (count - i) * 1000).toISOString(),
		};
	}
	return records;
}

const commands = {
	setLatency: (em, ms) => em.setLatency(ms),
	setRateLimit: (em, config) => em.setRateLimit(config),
	addUsageRecords: (em, { count, endMs }) => em.addUsageRecords(usageRecords(count, endMs)).length,
	cpuUsage: () => process.cpuUsage(),
	requestCount: (em) => em.requests.length,
	clearRequests: (em) => em.clearRequests(),
	requests: (em) =>
		em.requests.map(({ method, path: p, query, status, time, headers, body }) => ({
			method,
			path: p,
			query,
			status,
			time,
			headers,
			body,
		})),
};

async function main() {
	const options = JSON.parse(process.argv[2] || '{}');
	const em = await startEmulator({ port: 0, ...options });
	process.on('message', async ({ id, command, argument }) => {
		try {
			const value = await commands[command](em, argument);
			process.send({ id, value });
		} catch (error) {
			process.send({ id, error: error.stack || String(error) });
		}
	});
	process.on('disconnect', () => em.close().then(() => process.exit(0)));
	process.send({ ready: { url: em.url, apiKey: em.apiKey } });
}

main().catch((error) => {
	process.stderr.write(`${error.stack || error}\n`);
	process.exit(1);
});
