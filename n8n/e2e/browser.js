'use strict';
// Leg 4: the editor itself, in headless Chromium (Debian's package) driven by playwright-core.
// Logs in through the sign-in form, opens the chat-with-tools example, checks the Chat node
// shows one output per tool, labelled with the tool's name (after the first, the answer),
// clicks "Execute workflow", and checks the items reached the right branches twice: on the
// canvas (the item counts n8n draws on each branch's connection) and in the execution n8n
// stored (the example's expectations). Saves the canvas as docs/n8n-editor.png for the README.

const fs = require('node:fs');
const path = require('node:path');

const { SCREENSHOT } = require('../lib/paths');
const { installRequire } = require('../lib/install');
const { ensureChromium, CHROMIUM_ARGS } = require('../lib/chromium');
const { checkRun, showcaseExample, toolsOf, CHAT_TYPE } = require('../lib/examples');
const { runResultOf } = require('./run-data');
const { waitForExecution, latestExecutionId, executionRun } = require('./rest-examples');

const css = (value) => JSON.stringify(value);
const itemsLabel = (n) => (n === 0 ? '' : `${n} item${n === 1 ? '' : 's'}`);

async function logIn(page, baseUrl, login) {
	await page.goto(`${baseUrl}/signin`);
	await page.locator('input[name="emailOrLdapLoginId"]').fill(login.email);
	await page.locator('input[name="password"]').fill(login.password);
	await page.locator('[data-test-id="form-submit-button"]').click();
	await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 60000 });
}

/** The output labels the canvas draws on a node, in output order. */
async function outputLabels(page, nodeId) {
	const handles = await page.$$eval(`[data-test-id="canvas-node-output-handle"][data-nodeid=${css(nodeId)}]`, (els) =>
		els.map((e) => ({ handle: e.getAttribute('data-handleid'), text: e.innerText.trim() })),
	);
	return handles
		.filter((h) => h.handle.startsWith('outputs/main/'))
		.sort((a, b) => Number(a.handle.split('/').pop()) - Number(b.handle.split('/').pop()))
		.map((h) => h.text);
}

async function edgeLabel(page, source, target) {
	const label = page.locator(`[data-test-id="edge-label"][data-source-node-name=${css(source)}][data-target-node-name=${css(target)}]`);
	return (await label.count()) ? (await label.first().textContent()).trim() : null;
}

async function browserTest(ctx, server, login, rest) {
	const example = showcaseExample(ctx.examples);
	if (!example) return [`no example in examples/ has a ${CHAT_TYPE} node with tools`];
	const workflow = example.workflow;
	const chat = workflow.nodes.find((n) => n.type === CHAT_TYPE && toolsOf(n).length > 0);
	const tools = toolsOf(chat);
	const problems = [];

	const { chromium } = installRequire('playwright-core');
	const browser = await chromium.launch({ executablePath: ensureChromium(), headless: true, args: CHROMIUM_ARGS });
	try {
		const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		page.setDefaultTimeout(60000);
		await logIn(page, server.baseUrl, login);
		await page.goto(`${server.baseUrl}/workflow/${workflow.id}`);
		await page.locator(`[data-test-id="canvas-node"][data-node-name=${css(chat.name)}]`).waitFor();

		// The Chat node's outputs by name: the answer first, then one per tool, in the tools' order.
		const labels = await outputLabels(page, chat.id);
		if (labels.length !== tools.length + 1 || tools.some((t, i) => labels[i + 1] !== t)) {
			problems.push(`${chat.name} shows outputs [${labels.join(', ')}], expected an answer output then [${tools.join(', ')}]`);
		}

		const clickedAt = Date.now() - 1000;
		await page.locator('[data-test-id="execute-workflow-button"]').click();
		const execution = await waitForExecution(rest, () => latestExecutionId(rest, workflow.id, clickedAt));
		const result = runResultOf(executionRun(execution));
		problems.push(...checkRun(result, example.config).map((p) => `stored execution: ${p}`));

		// What the canvas shows on each of the Chat node's branches must match the items n8n routed there.
		const branches = (workflow.connections[chat.name] && workflow.connections[chat.name].main) || [];
		const expected = branches.flatMap((conns, output) =>
			(conns || []).map((c) => ({ output, target: c.node, label: itemsLabel(result.output(chat.name, output).length) })),
		);
		let shown = [];
		for (let attempt = 0; attempt < 40; attempt++) {
			shown = await Promise.all(expected.map(async (e) => ({ ...e, shown: await edgeLabel(page, chat.name, e.target) })));
			if (shown.every((e) => e.shown === e.label)) break;
			await page.waitForTimeout(500);
		}
		for (const e of shown) {
			if (e.shown !== e.label) problems.push(`canvas: ${chat.name} output ${e.output} (${labels[e.output]}) → ${e.target} shows "${e.shown}", expected "${e.label}"`);
		}
		if (!expected.some((e) => e.label !== '')) problems.push('no branch of the Chat node received items');

		await page.locator('[data-test-id="zoom-to-fit"]').click();
		await page.waitForTimeout(800);
		fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
		await page.screenshot({ path: SCREENSHOT });
		const detail = `${example.file}: outputs [${labels.join(', ')}]; branches ${shown.map((e) => `${e.target}: ${e.shown || '0 items'}`).join(', ')}; screenshot ${path.relative(process.cwd(), SCREENSHOT)}`;
		return { problems, detail };
	} finally {
		await browser.close();
	}
}

module.exports = { browserTest };
