'use strict';
/**
 * How the default Batch Size of Embedding → Create was chosen: B8's run (10,000 texts, 1536
 * dimensions, Text From: Field, 3 batches in flight) of the node at several Batch Sizes, one
 * child process per size, interleaved in rounds (the order rotates each round) so load on the
 * machine falls on all sizes alike. Per size: the median time and its quartiles, the median of
 * the rounds' ratios to the current default, RSS growth per item of the fresh process's first
 * run, the number of requests, and the wait the default key limit (60 requests a minute, sliding
 * window, docs/scaigrid-api.md §2) would add: request k cannot go before ⌊k / 60⌋ minutes.
 *
 *   npm run build && node bench/b8-batch-sizes.js [--sizes=50,100,200,500] [--rounds=5] [--items=10000]
 *
 * Not a scenario of `npm run bench` (it takes minutes and has no goal); its figures are in
 * README's ScaiGrid node section.
 */
const { withEmulator } = require('./lib/emulator');
const { startChild } = require('./lib/child');
const { BATCH_SIZE } = require('./lib/embed');
const { round, summary } = require('./lib/timing');

const KEY_LIMIT_PER_MINUTE = 60;

function option(name, fallback) {
	const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
	return arg ? arg.slice(name.length + 3) : fallback;
}

async function main() {
	const sizes = option('sizes', '50,100,200,500').split(',').map(Number);
	const rounds = Number(option('rounds', '5'));
	const items = Number(option('items', '10000'));
	const load = () =>
		require('node:os')
			.loadavg()
			.map((l) => l.toFixed(2))
			.join(', ');
	console.log(
		`B8 batch sizes ${sizes.join(', ')}: ${items} texts, ${rounds} rounds; load before ${load()}`,
	);
	await withEmulator({ latencyMs: 0, rateLimit: false }, async (emulator) => {
		const base = { emulator: { url: emulator.url, apiKey: emulator.apiKey }, items };
		const children = new Map();
		const times = new Map(sizes.map((size) => [size, []]));
		const growth = new Map();
		try {
			for (const size of sizes) {
				const child = await startChild('ourEmbeddings', { ...base, batchSize: size });
				children.set(size, child);
				const { result, memory } = await child.run();
				if (result.items !== items || result.failed)
					throw new Error(`batch ${size}: ${result.items} items, ${result.failed} failed`);
				growth.set(size, (memory.growthMb * 1024) / items);
			}
			for (let r = 0; r < rounds; r++) {
				const order = sizes.map((_, k) => sizes[(k + r) % sizes.length]);
				for (const size of order) {
					const { result } = await children.get(size).run({ sampleMemory: false });
					if (result.items !== items || result.failed)
						throw new Error(`batch ${size}: ${result.items} items, ${result.failed} failed`);
					times.get(size).push(result.ms);
				}
			}
		} finally {
			await Promise.all([...children.values()].map((child) => child.close()));
		}
		const reference = times.get(BATCH_SIZE) ?? times.get(sizes[0]);
		console.log(
			'| Batch Size | Requests | Median time (IQR) | × default | RSS growth per item | Wait at 60 requests/min |',
		);
		console.log('| --- | --- | --- | --- | --- | --- |');
		for (const size of sizes) {
			const s = summary(times.get(size));
			const ratio = summary(times.get(size).map((ms, k) => ms / reference[k]));
			const requests = Math.ceil(items / size);
			const wait = Math.floor((requests - 1) / KEY_LIMIT_PER_MINUTE) * 60;
			console.log(
				`| ${size}${size === BATCH_SIZE ? ' (default)' : ''} | ${requests} | ${round(s.median / 1000, 2)} s (${round(s.q1 / 1000, 2)}–${round(s.q3 / 1000, 2)}) | ${ratio.median.toFixed(2)} | ${growth.get(size).toFixed(1)} KB | ${wait ? `≥ ${wait} s` : 'none'} |`,
			);
		}
	});
	console.log(`load after ${load()}`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
