'use strict';
/**
 * B8's contenders: the ScaiGrid node's Embedding → Create over N items, reading each item's
 * `text` field (Text From: Field, as a user whose rows have a text field sets it up), and an
 * undici Pool batching the same way (the same Batch Size, as many batches in flight, every vector
 * kept in memory per text). Both tasks run in a child process of their own (lib/child.js).
 * `batchSize` (default: the node's) lets B8 compare sizes (B8_BATCH_SIZE, bench/README.md).
 */
const { Pool } = require('undici');

const { runConcurrently, timed } = require('./timing');

const EMBED_PATH = '/v1/inference/embed';
const EMBED_MODEL = 'openai/text-embedding-3-small';
/** The node's default Batch Size, from the built node itself (dist/); its batches in flight. */
const {
	DEFAULT_BATCH_SIZE: BATCH_SIZE,
} = require('../../dist/nodes/ScaiGrid/actions/embedding/create.operation');
const BATCHES_IN_FLIGHT = 3;
const WARM_UP_ITEMS = 5;

function textItems(count) {
	return Array.from({ length: count }, (_, i) => ({
		text: `Row ${i}: a short product description number ${i % 97} with a few words`,
	}));
}

function embeddingWorkflow(batchSize) {
	return {
		name: 'Bench: ScaiGrid embeddings',
		nodes: [
			{
				id: 'trigger',
				name: 'Trigger',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'embed',
				name: 'ScaiGrid',
				type: 'n8n-nodes-scaigrid.scaiGrid',
				typeVersion: 1,
				position: [200, 0],
				parameters: {
					resource: 'embedding',
					operation: 'create',
					model: { __rl: true, mode: 'id', value: EMBED_MODEL },
					textFrom: 'field',
					textField: 'text',
					options: { batchSize },
				},
				onError: 'continueRegularOutput',
			},
		],
		connections: { Trigger: { main: [[{ node: 'ScaiGrid', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** The baseline: batches of `batchSize` texts, BATCHES_IN_FLIGHT at a time, vectors kept per text. */
async function undiciEmbed({ url, apiKey, items, batchSize }) {
	const texts = items.map((item) => item.text);
	const pool = new Pool(url, { connections: BATCHES_IN_FLIGHT });
	const vectors = new Array(texts.length);
	const batches = Math.ceil(texts.length / batchSize);
	let failed = 0;
	try {
		const { ms } = await timed(async () => {
			await runConcurrently(batches, BATCHES_IN_FLIGHT, async (b) => {
				const input = texts.slice(b * batchSize, (b + 1) * batchSize);
				const response = await pool.request({
					method: 'POST',
					path: EMBED_PATH,
					headers: {
						authorization: `Bearer ${apiKey}`,
						accept: 'application/json',
						'content-type': 'application/json',
					},
					body: JSON.stringify({ model: EMBED_MODEL, input }),
				});
				const json = await response.body.json();
				if (response.statusCode !== 200) {
					failed += input.length;
					return;
				}
				for (const entry of json.data.data)
					vectors[b * batchSize + entry.index] = {
						embedding: entry.embedding,
						requestId: json.meta.request_id,
					};
			});
		});
		return { ms, items: vectors.filter(Boolean).length, failed };
	} finally {
		await pool.close();
	}
}

const engine = () => require('./engine');
const credentialsFor = (emulator) => ({
	scaiGridApi: { apiKey: emulator.apiKey, baseUrl: emulator.url },
});

const tasks = {
	ourEmbeddings: {
		async prepare({ emulator, batchSize = BATCH_SIZE }) {
			const credentials = credentialsFor(emulator);
			await engine().runMeasured(embeddingWorkflow(batchSize), {
				credentials,
				items: textItems(WARM_UP_ITEMS),
			});
			return { credentials };
		},
		async run({ items, batchSize = BATCH_SIZE }, { credentials }) {
			return await engine().runMeasured(embeddingWorkflow(batchSize), {
				credentials,
				items: textItems(items),
			});
		},
	},
	undiciEmbeddings: {
		async prepare({ emulator, batchSize = BATCH_SIZE }) {
			await undiciEmbed({
				url: emulator.url,
				apiKey: emulator.apiKey,
				items: textItems(WARM_UP_ITEMS),
				batchSize,
			});
			return {};
		},
		async run({ emulator, items, batchSize = BATCH_SIZE }) {
			return await undiciEmbed({
				url: emulator.url,
				apiKey: emulator.apiKey,
				items: textItems(items),
				batchSize,
			});
		},
	},
};

module.exports = { tasks, EMBED_PATH, BATCH_SIZE, BATCHES_IN_FLIGHT };
