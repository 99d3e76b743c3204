'use strict';
// Part of the rest leg: the AI Agent with the ScaiGrid Chat Model in real n8n, through the chat
// URL of examples/agent-chat-streaming.json (Chat Trigger, response mode Streaming → AI Agent
// with the ScaiGrid Chat Model, the Calculator tool and Simple Memory), as a chat user reaches it
// (see rest-examples.js for why the e2e import is public). Three runs, each its own chat session:
// - tool + stream: ScaiGrid is asked (stream: true, with the tool bound) and calls Calculator with
//   {"input":"6*7"}; n8n runs the tool; its result goes back as a `tool` message; the answer
//   carries the tool's result; the chunks the chat received join to the agent's output;
// - a 429 with Retry-After 7 s on the agent's second model call (after the tool call) is waited
//   out inside the model and the run succeeds;
// - BUDGET_EXCEEDED on the first model call fails the run at once (one request, no wait) with
//   ScaiGrid's message and the request ID.
// Faults are set over the emulator's control API (POST /_emulator/fail-next), as a test of an
// n8n in another process or machine would.

const { executionRun, latestExecutionId, waitForExecution } = require('./rest-examples');
const { runResultOf } = require('./run-data');

const EXAMPLE = 'agent-chat-streaming.json';
const CHAT_PATH = '/v1/inference/chat';
const TOOL = 'Calculator';
const ARGS = { input: '6*7' };
const RESULT = '42';
const RETRY_AFTER_S = 7;
const BUDGET_MESSAGE = 'Budget hard limit reached';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The JSON lines of a streamed chat answer (n8n writes one object per line). */
function parseChunks(text) {
	const chunks = [];
	for (const line of text.split('\n')) {
		if (!line.trim()) continue;
		for (const part of line.replace(/}\s*{/g, '}\n{').split('\n')) chunks.push(JSON.parse(part));
	}
	return chunks;
}

async function failNext(emulator, spec) {
	const res = await fetch(`${emulator.url}/_emulator/fail-next`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(spec),
	});
	if (!res.ok) throw new Error(`fail-next answered ${res.status}: ${await res.text()}`);
}

/** One chat message to the published workflow; the execution, the chunks and the requests. */
async function chatRun(ctx, server, rest, example, chatInput, sessionId) {
	const trigger = example.workflow.nodes.find(
		(n) => n.type === '@n8n/n8n-nodes-langchain.chatTrigger',
	);
	const since = Date.now() - 1000;
	const before = ctx.emulator.requests.length;
	const started = Date.now();
	const post = () =>
		fetch(`${server.baseUrl}/webhook/${trigger.webhookId}/chat`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ action: 'sendMessage', sessionId, chatInput }),
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
	const execution = await waitForExecution(rest, () =>
		latestExecutionId(rest, example.workflow.id, since),
	);
	const ms = Date.now() - started;
	let chunks = [];
	try {
		chunks = parseChunks(body);
	} catch {
		// not JSON lines (an error page): the checks below say what is missing
	}
	const requests = ctx.emulator.requests
		.slice(before)
		.filter((r) => r.path === CHAT_PATH && r.method === 'POST');
	return {
		status: res.status,
		body,
		chunks,
		execution,
		run: executionRun(execution),
		ms,
		requests,
	};
}

function agentOutput(run) {
	const [item] = runResultOf(run).output('AI Agent', 0);
	return item ? item.json.output : undefined;
}

function streamedText(chunks) {
	return (
		chunks
			.filter((c) => c.type === 'item' && c.metadata && c.metadata.nodeName === 'AI Agent')
			.map((c) => c.content)
			.join('') ||
		chunks
			.filter((c) => c.type === 'item')
			.map((c) => c.content)
			.join('')
	);
}

/** What the tool run and the answer must show; problems found go into `problems`. */
function checkToolRun(r, problems) {
	const output = agentOutput(r.run);
	if (r.execution.status !== 'success') problems.push(`the execution ended ${r.execution.status}`);
	if (typeof output !== 'string') return problems.push('the AI Agent has no output');
	if (!output.includes(`Final answer using: ${TOOL}=`) || !output.includes(RESULT)) {
		problems.push(`the answer should carry the tool's result ${RESULT}, got "${output}"`);
	}
	const ok = r.requests.filter((q) => q.status === 200);
	const [first, second] = ok;
	if (!first || !second)
		return problems.push(`expected two answered model calls (tool call, answer), got ${ok.length}`);
	if (r.requests.some((q) => !q.body || q.body.stream !== true))
		problems.push('every model call of the streamed agent should ask ScaiGrid to stream');
	const bound = ((first.body && first.body.tools) || []).map((t) => t.function && t.function.name);
	if (!bound.includes(TOOL))
		problems.push(`the first call should bind ${TOOL}, bound ${JSON.stringify(bound)}`);
	const last = first.body.messages[first.body.messages.length - 1];
	if (!last || last.role !== 'user')
		problems.push(`the first call's last message should be the user's, got ${last && last.role}`);
	const messages = second.body.messages;
	const asked = messages.find(
		(m) => m.role === 'assistant' && Array.isArray(m.tool_calls) && m.tool_calls.length,
	);
	const call = asked && asked.tool_calls[0];
	if (!call || call.function.name !== TOOL)
		problems.push(
			`the second call should replay ScaiGrid's call of ${TOOL}, got ${JSON.stringify(asked)}`,
		);
	else {
		const args = JSON.parse(call.function.arguments);
		if (args.input !== ARGS.input)
			problems.push(
				`${TOOL} should be called with input ${ARGS.input}, got ${call.function.arguments}`,
			);
		const result = messages.find((m) => m.role === 'tool' && m.tool_call_id === call.id);
		if (!result || !String(result.content).includes(RESULT))
			problems.push(
				`the tool's result ${RESULT} should reach ScaiGrid as a tool message for ${call.id}, got ${JSON.stringify(result)}`,
			);
	}
	// n8n's own record of the tool run: the Calculator node ran with the arguments and gave 42.
	const toolRuns = r.run.data.resultData.runData[TOOL] || [];
	const toolJson = JSON.stringify(
		toolRuns.map((t) => ({ input: t.inputOverride, output: t.data })),
	);
	if (toolRuns.length !== 1)
		problems.push(`the ${TOOL} node should run once, ran ${toolRuns.length} times`);
	else if (!toolJson.includes('6*7') || !toolJson.includes(RESULT))
		problems.push(`the ${TOOL} run should show 6*7 → ${RESULT}: ${toolJson.slice(0, 300)}`);
	const streamed = streamedText(r.chunks);
	const types = r.chunks.map((c) => c.type);
	if (types[0] !== 'begin' || types[types.length - 1] !== 'end')
		problems.push(`chunks should go begin … end, got ${types.join(',').slice(0, 200)}`);
	if (r.chunks.filter((c) => c.type === 'item').length < 2)
		problems.push('the answer should arrive in several chunks');
	if (streamed !== output)
		problems.push(`the streamed chunks join to "${streamed}", the agent's output is "${output}"`);
	return { output, streamed };
}

async function withPublished(rest, example, fn) {
	const stored = (await rest.checked('GET', `/workflows/${example.workflow.id}`)).data;
	await rest.checked('POST', `/workflows/${example.workflow.id}/activate`, {
		versionId: stored.versionId,
	});
	try {
		return await fn();
	} finally {
		await rest.request('POST', `/workflows/${example.workflow.id}/deactivate`, {});
	}
}

/** The three agent checks, each a line of the report. */
async function agentChecks(ctx, server, rest, report) {
	const example = ctx.examples.find((e) => e.file === EXAMPLE);
	if (!example)
		return report.skip(
			'REST: AI Agent with the ScaiGrid Chat Model',
			`examples/${EXAMPLE} is missing`,
		);
	const input = example.config.run.triggerItems[0].chatInput;
	await withPublished(rest, example, async () => {
		await report.check(
			'REST: AI Agent (streamed) calls the tool with its arguments and answers with its result',
			async () => {
				const problems = [];
				const r = await chatRun(ctx, server, rest, example, input, 'e2e-agent-tool');
				const { streamed } = checkToolRun(r, problems) || {};
				return {
					problems,
					detail: `${r.requests.length} model calls, ${r.chunks.length} chunks, streamed "${(streamed || '').slice(0, 60)}", ${(r.ms / 1000).toFixed(1)} s`,
				};
			},
		);

		await report.check(
			`REST: AI Agent waits out a 429 with Retry-After ${RETRY_AFTER_S} s mid-run and succeeds`,
			async () => {
				const problems = [];
				await failNext(ctx.emulator, {
					code: 'RATE_LIMITED',
					retryAfter: RETRY_AFTER_S,
					skip: 1,
					path: CHAT_PATH,
				});
				const r = await chatRun(ctx, server, rest, example, input, 'e2e-agent-429');
				const statuses = r.requests.map((q) => q.status);
				if (JSON.stringify(statuses) !== JSON.stringify([200, 429, 200]))
					problems.push(`model calls should answer 200, 429, 200; got ${statuses.join(', ')}`);
				else {
					const waited = new Date(r.requests[2].time) - new Date(r.requests[1].time);
					if (waited < RETRY_AFTER_S * 1000 - 100)
						problems.push(
							`the retry came ${waited} ms after the 429, before its Retry-After of ${RETRY_AFTER_S} s`,
						);
				}
				checkToolRun({ ...r, requests: r.requests }, problems);
				return {
					problems,
					detail: `model calls ${statuses.join(', ')}, run ${(r.ms / 1000).toFixed(1)} s`,
				};
			},
		);

		await report.check(
			"REST: AI Agent fails at once on BUDGET_EXCEEDED, with ScaiGrid's message and the request ID",
			async () => {
				const problems = [];
				await failNext(ctx.emulator, { code: 'BUDGET_EXCEEDED', path: CHAT_PATH });
				const r = await chatRun(ctx, server, rest, example, input, 'e2e-agent-budget');
				if (r.execution.status !== 'error')
					problems.push(`the execution should fail, it ended ${r.execution.status}`);
				if (r.requests.length !== 1)
					problems.push(`BUDGET_EXCEEDED must not be retried: ${r.requests.length} model calls`);
				const requestId = r.requests[0] && r.requests[0].request_id;
				const error = r.run.data.resultData.error || {};
				const shown = `${error.message || ''} ${error.description || ''}`;
				for (const want of ['BUDGET_EXCEEDED', BUDGET_MESSAGE, requestId]) {
					if (want && !shown.includes(want))
						problems.push(`the run's error should show "${want}": ${shown.slice(0, 300)}`);
				}
				if (r.ms > 5000) problems.push(`the failure took ${r.ms} ms: it should come at once`);
				return { problems, detail: `"${String(error.message).slice(0, 70)}", ${r.ms} ms` };
			},
		);
	});
}

module.exports = { agentChecks, parseChunks, chatRun, failNext };
