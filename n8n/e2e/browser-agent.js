'use strict';
// Part of the browser leg: the AI Agent example (examples/agent-tool-memory.json) in the editor.
// - the ScaiGrid Chat Model is drawn attached to the agent's "Chat Model" socket (the canvas edge
//   from the model's ai_languageModel output to that input);
// - "Execute workflow" runs it: the stored execution meets the example's expectations (ScaiGrid
//   called the Calculator, the agent's answer carries 42) and the Calculator ran; a screenshot of
//   the canvas after the run (n8n/.e2e/screenshots/n8n-agent.png; --update-screenshot also writes
//   docs/n8n-agent.png, the README's picture);
// - on a scratch workflow with the agent alone (the editor saves every change, so the example is
//   never edited), the free Chat Model socket's "+" opens the node panel on the language models,
//   which lists ScaiGrid Chat Model, also when searching "ScaiGrid".

const fs = require('node:fs');
const path = require('node:path');

const { ROOT, SCREENSHOT_DIR } = require('../lib/paths');
const { checkRun } = require('../lib/examples');
const { runResultOf } = require('./run-data');
const { waitForExecution, latestExecutionId, executionRun } = require('./rest-examples');

const EXAMPLE = 'agent-tool-memory.json';
const AGENT_TYPE = '@n8n/n8n-nodes-langchain.agent';
const MODEL_TYPE = 'n8n-nodes-scaigrid.scaiGridChatModel';
const MODEL_NAME = 'ScaiGrid Chat Model';
/** The README's picture of the agent. */
const AGENT_SCREENSHOT = path.join(ROOT, 'docs', 'n8n-agent.png');

const css = (value) => JSON.stringify(value);

async function panelNames(page) {
	let names = [];
	let stable = 0;
	for (let i = 0; i < 20 && stable < 2; i++) {
		await page.waitForTimeout(250);
		const now = await page.$$eval('[data-test-id="node-creator-item-name"]', (els) =>
			els.map((e) => e.textContent.trim()),
		);
		stable = JSON.stringify(now) === JSON.stringify(names) && now.length ? stable + 1 : 0;
		names = now;
	}
	return names;
}

async function agentBrowserTest(ctx, page, rest, { updateScreenshot = false } = {}) {
	const example = ctx.examples.find((e) => e.file === EXAMPLE);
	if (!example) return [`examples/${EXAMPLE} is missing`];
	const { workflow } = example;
	const agent = workflow.nodes.find((n) => n.type === AGENT_TYPE);
	const model = workflow.nodes.find((n) => n.type === MODEL_TYPE);
	const problems = [];

	await page.goto(`${page.baseUrl}/workflow/${workflow.id}`);
	await page.locator(`[data-test-id="canvas-node"][data-node-name=${css(agent.name)}]`).waitFor();
	await page.locator(`[data-test-id="canvas-node"][data-node-name=${css(model.name)}]`).waitFor();

	// The agent's Chat Model socket and the edge from the ScaiGrid Chat Model into it.
	const socket = page.locator(
		`[data-test-id="canvas-node-input-handle"][data-nodeid=${css(agent.id)}][data-connection-type="ai_languageModel"]`,
	);
	const socketLabel = (await socket.count()) ? (await socket.first().innerText()).trim() : '';
	if (!/Chat Model/.test(socketLabel))
		problems.push(
			`the agent's ai_languageModel socket is labelled "${socketLabel}", expected "Chat Model"`,
		);
	const edgeId = `[${model.id}/outputs/ai_languageModel/0][${agent.id}/inputs/ai_languageModel/0]`;
	const edge = page.locator(`.vue-flow__edge[data-id=${css(edgeId)}]`);
	if ((await edge.count()) !== 1)
		problems.push(
			`no canvas edge from ${model.name} into the agent's Chat Model socket (${edgeId})`,
		);

	// Run it as a user does, and check what n8n stored.
	const clickedAt = Date.now() - 1000;
	await page.locator('[data-test-id="execute-workflow-button"]').click();
	const execution = await waitForExecution(rest, () =>
		latestExecutionId(rest, workflow.id, clickedAt),
	);
	const result = runResultOf(executionRun(execution));
	problems.push(...checkRun(result, example.config).map((p) => `stored execution: ${p}`));
	if (!result.ranNodes.includes('Calculator'))
		problems.push(`the Calculator tool did not run (ran: ${result.ranNodes.join(', ')})`);
	const answer = (result.output(agent.name)[0] || { json: {} }).json.output;

	// The canvas once the run's results are drawn: the agent's output edge label shows its item.
	for (let attempt = 0; attempt < 40; attempt++) {
		const ok = await page
			.locator(
				`[data-test-id="canvas-node"][data-node-name=${css(model.name)}] [data-test-id="canvas-node-status-success"]`,
			)
			.count();
		if (ok) break;
		await page.waitForTimeout(250);
	}
	await page.locator('[data-test-id="zoom-to-fit"]').click();
	await page.waitForTimeout(800);
	fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const screenshot = path.join(SCREENSHOT_DIR, 'n8n-agent.png');
	await page.screenshot({ path: screenshot });
	if (updateScreenshot) fs.copyFileSync(screenshot, AGENT_SCREENSHOT);

	// The socket's "+" (shown while the socket is free): the language models, ScaiGrid among them.
	// On a scratch workflow with the agent alone: the editor saves every change, so the example's
	// own connection is never touched.
	const scratch = (
		await rest.checked('POST', '/workflows', {
			name: 'e2e scratch: AI Agent without a model',
			nodes: [{ ...agent, parameters: { ...agent.parameters }, position: [0, 0] }],
			connections: {},
			settings: { executionOrder: 'v1' },
		})
	).data;
	let listed = [];
	let searched = [];
	try {
		await page.goto(`${page.baseUrl}/workflow/${scratch.id}`);
		const freeSocket = page.locator(
			`[data-test-id="canvas-node-input-handle"][data-node-name=${css(agent.name)}][data-connection-type="ai_languageModel"]`,
		);
		await freeSocket.waitFor();
		const plus = freeSocket.locator('[data-test-id="canvas-handle-plus"]');
		if (!(await plus.count())) problems.push('the free Chat Model socket shows no "+"');
		else {
			await plus.first().click();
			const search = page.locator('[data-test-id="node-creator-search-bar"]');
			await search.waitFor();
			listed = await panelNames(page);
			if (!listed.includes(MODEL_NAME))
				problems.push(
					`the Chat Model socket's panel does not list ${MODEL_NAME}: ${listed.join(', ')}`,
				);
			if (!listed.includes('OpenAI Chat Model'))
				problems.push(
					`the panel should be the language models (OpenAI Chat Model missing): ${listed.join(', ')}`,
				);
			await search.fill('ScaiGrid');
			searched = await panelNames(page);
			if (!searched.includes(MODEL_NAME))
				problems.push(
					`searching "ScaiGrid" in the socket's panel does not list ${MODEL_NAME}: ${searched.join(', ')}`,
				);
			await page.keyboard.press('Escape');
		}
	} finally {
		await rest.request('POST', `/workflows/${scratch.id}/archive`, {});
		await rest.request('DELETE', `/workflows/${scratch.id}`);
	}
	const detail = `${example.file}: socket "${socketLabel}" ← ${model.name}; answer "${String(answer).slice(0, 60)}"; "+" panel: ${listed.length} models, "ScaiGrid" → ${searched.join(', ')}; screenshot ${path.relative(ROOT, updateScreenshot ? AGENT_SCREENSHOT : screenshot)}`;
	return { problems, detail };
}

module.exports = { agentBrowserTest, AGENT_SCREENSHOT };
