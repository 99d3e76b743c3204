'use strict';
/**
 * The three ways to make the same chat calls, as functions `() => Promise<{ ms, failed }>`,
 * shared by the chat scenarios: our Chat node, n8n's HTTP Request node (the peer) and an undici
 * Pool (the baseline). Names are the table's column names.
 */
const { runMeasured } = require('./engine');
const { chatWithPool } = require('./undici');
const { withCpu } = require('./timing');
const workflows = require('./workflows');

const OURS = 'ScaiGrid Chat node';
const PEER = 'HTTP Request node';
const BASELINE = 'undici Pool';

/**
 * @param emulator  from lib/emulator.js
 * @param items     number of chat items
 * @param concurrency  ours and the baseline: requests in flight
 * @param peer      the HTTP Request node's batching `{ batchSize, batchIntervalMs }` and node
 *                  `settings` (e.g. Retry On Fail)
 * @param ourSettings  node settings for our node
 */
function chatContenders({ emulator, items, concurrency, peer, ourSettings }) {
	const credentials = workflows.credentialsFor(emulator);
	const questionItems = workflows.questionItems(items);
	const questions = questionItems.map((item) => item.question);
	const ours = workflows.ourChatWorkflow({ concurrency, settings: ourSettings });
	const httpRequest = workflows.httpRequestChatWorkflow({ url: emulator.url, ...peer });
	return {
		[OURS]: () => withCpu(emulator, () => runMeasured(ours, { credentials, items: questionItems })),
		[PEER]: () =>
			withCpu(emulator, () => runMeasured(httpRequest, { credentials, items: questionItems })),
		[BASELINE]: () =>
			withCpu(emulator, () =>
				chatWithPool({ url: emulator.url, apiKey: emulator.apiKey, questions, concurrency }),
			),
	};
}

/** A few calls of each contender, so module loading, JIT and first connections are not timed. */
async function warmUp(emulator, options) {
	for (const run of Object.values(chatContenders({ emulator, ...options, items: 50 }))) await run();
}

/** What goes into a result's detail for one measured contender: its median run, and every run's time. */
function describeRun(measured, items) {
	const { median, allMs } = measured;
	return {
		medianMs: Math.round(median.ms),
		allMs,
		failed: Math.max(...measured.runs.map((run) => run.failed)),
		clientCpuUsPerItem: Math.round((median.clientCpuMs * 1000) / items),
		emulatorCpuUsPerItem: Math.round((median.emulatorCpuMs * 1000) / items),
	};
}

module.exports = { OURS, PEER, BASELINE, chatContenders, warmUp, describeRun };
