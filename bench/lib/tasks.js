'use strict';
/**
 * Tasks that run in a fresh child process (lib/child.js) because their memory is measured.
 * `prepare` loads what the task needs and warms it up with a small run; `run` is measured.
 * Both get the same JSON args; the emulator runs in the parent's emulator process.
 */
const workflows = require('./workflows');

// Enough to load and run every code path once; more would leave heap headroom that the
// measured run then fills without growing RSS.
const WARM_UP_ITEMS = 5;

const engine = () => require('./engine');

/** Heap in use after a full GC (the child runs with --expose-gc). */
function heapAfterGc() {
	global.gc();
	return process.memoryUsage().heapUsed;
}

/** A chat workflow (ours or the HTTP Request peer) over `items` questions. */
function chatTask(buildWorkflow) {
	return {
		async prepare({ emulator }) {
			const credentials = workflows.credentialsFor(emulator);
			await engine().runMeasured(buildWorkflow(emulator), {
				credentials,
				items: workflows.questionItems(WARM_UP_ITEMS),
			});
			return { credentials };
		},
		/** Also `held.retainedMb`: heap the finished execution still holds (its items), after a GC. */
		async run({ emulator, items }, { credentials }) {
			const input = workflows.questionItems(items);
			const before = heapAfterGc();
			return await engine().runMeasured(buildWorkflow(emulator), {
				credentials,
				items: input,
				whileHeld: () => ({ retainedMb: (heapAfterGc() - before) / 2 ** 20 }),
			});
		},
	};
}

const ourChat = chatTask(() => workflows.ourChatWorkflow({ concurrency: 10 }));

const peerChat = chatTask((emulator) =>
	workflows.httpRequestChatWorkflow({ url: emulator.url, batchSize: 10, batchIntervalMs: 1 }),
);

/** Usage Summary → Get Records, Return All, over the range the parent filled. */
const ourUsageRecords = {
	async prepare({ emulator, range }) {
		const credentials = workflows.credentialsFor(emulator);
		// Warm-up: the same node over the first minute of the range only.
		const warmUpEnd = new Date(Date.parse(range.start) + 60_000).toISOString();
		await engine().runMeasured(
			workflows.ourUsageRecordsWorkflow({ startIso: range.start, endIso: warmUpEnd }),
			{
				credentials,
				items: [{}],
			},
		);
		return { credentials };
	},
	async run({ range }, { credentials }) {
		const run = await engine().runMeasured(
			workflows.ourUsageRecordsWorkflow({ startIso: range.start, endIso: range.end }),
			{ credentials, items: [{}] },
		);
		return run;
	},
};

/** The baseline: undici paging through the same range, records kept in memory as well. */
const undiciUsageRecords = {
	async prepare({ emulator, range }) {
		const { pageUsageRecords } = require('./undici');
		const warmUpEnd = new Date(Date.parse(range.start) + 60_000).toISOString();
		await pageUsageRecords({
			url: emulator.url,
			apiKey: emulator.apiKey,
			query: { start: range.start, end: warmUpEnd },
		});
		return {};
	},
	async run({ emulator, range }) {
		const { pageUsageRecords } = require('./undici');
		return await pageUsageRecords({
			url: emulator.url,
			apiKey: emulator.apiKey,
			query: { start: range.start, end: range.end },
		});
	},
};

module.exports = { ourChat, peerChat, ourUsageRecords, undiciUsageRecords };

// B8's two contenders (embeddings): lib/embed.js.
Object.assign(module.exports, require('./embed').tasks);
