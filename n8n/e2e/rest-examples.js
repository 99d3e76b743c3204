'use strict';
// Leg 3: the examples the n8n CLI cannot start. `n8n execute` starts only at a Manual Trigger
// (or an Execute Workflow Trigger: findCliWorkflowStart in n8n/dist/utils.js), so these run
// against the started n8n instead:
// - a Schedule Trigger example the way the editor's "Execute workflow" runs it:
//   POST /rest/workflows/:id/run with the trigger to start from (it fires at once);
// - a Chat Trigger example the way a chat user reaches it: the workflow is published
//   (POST /rest/workflows/:id/activate) and the message POSTed to the production chat URL
//   /webhook/<webhookId>/chat. n8n 2.41 answers a non-public Chat Trigger only from the editor's
//   own chat session (ChatTrigger: `!isPublic && !isChatSessionTest()` → 404), so the e2e import
//   of such an example has `public: true` (adaptChatExample below); the example file keeps its
//   setting. With response mode Streaming, n8n answers with the chunks our Chat node sends (one
//   JSON object per line: begin, item..., end).
// Checked: the finished execution against the example's expectations, the requests the emulator
// received and, when streaming, the chunks and that the model was asked to stream.

const { checkRun, startNode } = require('../lib/examples');
const { installRequire } = require('../lib/install');
const { runResultOf } = require('./run-data');

const CHAT_TRIGGER = '@n8n/n8n-nodes-langchain.chatTrigger';
/** What `n8n execute` can start at (n8n 2.41: STARTING_NODES + Execute Workflow Trigger). */
const CLI_STARTS = [
	'n8n-nodes-base.manualTrigger',
	'@n8n/n8n-nodes-langchain.manualChatTrigger',
	'n8n-nodes-base.executeWorkflowTrigger',
];

function cliCanRun(example) {
	return example.workflow.nodes.some((n) => CLI_STARTS.includes(n.type));
}

function isChatExample(example) {
	return example.workflow.nodes.some((n) => n.type === CHAT_TRIGGER);
}

/** For the e2e import only: the Chat Trigger answers on its production URL (see above). */
function adaptChatExample(example, copy) {
	for (const node of copy.nodes) {
		if (node.type === CHAT_TRIGGER) node.parameters = { ...node.parameters, public: true };
	}
}

/** The JSON lines of a streamed chat answer (n8n writes one object per line). */
function parseChunks(text) {
	const chunks = [];
	for (const line of text.split('\n')) {
		if (!line.trim()) continue;
		for (const part of line.replace(/}\s*{/g, '}\n{').split('\n')) chunks.push(JSON.parse(part));
	}
	return chunks;
}

/** The execution's run data; n8n sends it flattened (`data` as a `flatted` string). */
function executionRun(execution) {
	const data =
		typeof execution.data === 'string'
			? installRequire('flatted').parse(execution.data)
			: execution.data;
	return { status: execution.status, data };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

async function waitForExecution(rest, find, timeoutMs = 90000) {
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		const id = await find();
		if (id) {
			const execution = (await rest.checked('GET', `/executions/${id}`)).data;
			if (FINISHED.has(execution.status)) return execution;
		}
		await sleep(500);
	}
	throw new Error(`the execution did not finish within ${timeoutMs / 1000} s`);
}

/** The newest execution of a workflow that started after `since`. */
async function latestExecutionId(rest, workflowId, since) {
	const list = await rest.checked(
		'GET',
		`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=5`,
	);
	const results = list.data.results || [];
	const mine = results.filter((e) => new Date(e.startedAt || e.createdAt).getTime() >= since);
	return mine.length ? mine[0].id : undefined;
}

async function sendChatMessage(server, example, trigger, problems, emulatorRequests) {
	const message = ((example.config.run && example.config.run.triggerItems) || [
		{ chatInput: 'Hello', sessionId: 'e2e' },
	])[0];
	const post = () =>
		fetch(`${server.baseUrl}/webhook/${trigger.webhookId}/chat`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				action: 'sendMessage',
				sessionId: message.sessionId,
				chatInput: message.chatInput,
			}),
			signal: AbortSignal.timeout(90000),
		});
	// Publishing returns before the production webhook is registered: retry while it is not.
	let res = await post();
	for (let attempt = 0; res.status === 404 && attempt < 40; attempt++) {
		await res.text();
		await sleep(500);
		res = await post();
	}
	const body = await res.text();
	if (!res.ok) {
		problems.push(`chat webhook answered ${res.status}: ${body.slice(0, 200)}`);
		return '';
	}
	if (!(example.config.run && example.config.run.streaming)) return '';
	const chunks = parseChunks(body);
	const types = chunks.map((c) => c.type);
	const items = chunks.filter((c) => c.type === 'item');
	if (types[0] !== 'begin' || types[types.length - 1] !== 'end')
		problems.push(`chunks should go begin … end, got ${types.join(',')}`);
	if (items.length < 2)
		problems.push(`expected the answer in several item chunks, got ${items.length}`);
	if (!emulatorRequests().some((r) => r.method === 'POST' && r.body && r.body.stream === true)) {
		problems.push('the emulator received no streaming (stream: true) chat request');
	}
	return items.map((c) => c.content).join('');
}

async function runExampleViaRest(ctx, server, rest, example) {
	const problems = [];
	const trigger = startNode(example.workflow);
	const since = Date.now() - 1000;
	const before = ctx.emulator.requests.length;
	const emulatorRequests = () =>
		ctx.emulator.requests.slice(before).filter((r) => r.path.startsWith('/v1/'));

	const stored = (await rest.checked('GET', `/workflows/${example.workflow.id}`)).data;
	let run = {};
	let streamed = '';
	if (trigger.type === CHAT_TRIGGER) {
		await rest.checked('POST', `/workflows/${example.workflow.id}/activate`, {
			versionId: stored.versionId,
		});
		try {
			streamed = await sendChatMessage(server, example, trigger, problems, emulatorRequests);
			if (problems.length) return { problems };
		} finally {
			await rest.request('POST', `/workflows/${example.workflow.id}/deactivate`, {});
		}
	} else {
		run = (
			await rest.checked('POST', `/workflows/${example.workflow.id}/run`, {
				workflowData: stored,
				triggerToStartFrom: { name: trigger.name },
			})
		).data;
		if (!run.executionId)
			problems.push(`expected an execution id from the run, got ${JSON.stringify(run)}`);
	}
	const execution = await waitForExecution(
		rest,
		async () => run.executionId || (await latestExecutionId(rest, example.workflow.id, since)),
	);
	const result = runResultOf(executionRun(execution));
	problems.push(...checkRun(result, example.config));
	if (streamed) {
		const answer = result.output(example.config.expect[0].node, 0)[0];
		// The Chat node answers in `text`, the AI Agent in `output`.
		const text = answer && (answer.json.text ?? answer.json.output);
		if (answer && text !== streamed)
			problems.push(`streamed text "${streamed}" differs from the node's output "${text}"`);
	}
	if (emulatorRequests().length === 0) problems.push('the emulator received no /v1 request');
	const detail = `${emulatorRequests().length} emulator requests${streamed ? `, streamed "${streamed.slice(0, 50)}"` : ''}`;
	return { problems, detail };
}

module.exports = {
	cliCanRun,
	isChatExample,
	adaptChatExample,
	runExampleViaRest,
	waitForExecution,
	latestExecutionId,
	executionRun,
	CHAT_TRIGGER,
};
