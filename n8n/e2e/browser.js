'use strict';
// Leg "browser": the editor itself, in headless Chromium (the system's) driven by playwright-core.
// Logs in through the sign-in form, then:
// - node panel: every node package.json's n8n.nodes lists (so a node added later is checked too)
//   must be found by searching "ScaiGrid", its display name, and each word of its name after
//   "ScaiGrid" ("usage", "models"...), and must be listed in the panel's AI section, where n8n's
//   own vendor nodes (OpenAI, Anthropic) are (a chat model sub-node: under AI → Other AI Nodes →
//   Language Models, beside OpenAI Chat Model);
// - the chat-with-tools example: every Chat node shows its model as the subtitle on the canvas;
//   the Chat node shows one output per tool, labelled with the tool's name (after the first,
//   the answer); "Execute workflow" is clicked and the items must reach the right branches twice:
//   on the canvas (the item counts n8n draws on each branch's connection) and in the execution
//   n8n stored (the example's expectations).
// Screenshots go to n8n/.e2e/screenshots/; --update-screenshot also copies the canvas to
// docs/n8n-editor.png, the README's picture.

const fs = require('node:fs');
const path = require('node:path');

const { ROOT, README_SCREENSHOT, SCREENSHOT_DIR } = require('../lib/paths');
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
	const handles = await page.$$eval(
		`[data-test-id="canvas-node-output-handle"][data-nodeid=${css(nodeId)}]`,
		(els) =>
			els.map((e) => ({ handle: e.getAttribute('data-handleid'), text: e.innerText.trim() })),
	);
	return handles
		.filter((h) => h.handle.startsWith('outputs/main/'))
		.sort((a, b) => Number(a.handle.split('/').pop()) - Number(b.handle.split('/').pop()))
		.map((h) => h.text);
}

async function edgeLabel(page, source, target) {
	const label = page.locator(
		`[data-test-id="edge-label"][data-source-node-name=${css(source)}][data-target-node-name=${css(target)}]`,
	);
	return (await label.count()) ? (await label.first().textContent()).trim() : null;
}

/** Headless Chromium, logged in to n8n: `fn(page)`, then the browser is closed. */
async function withEditor(server, login, fn) {
	const { chromium } = installRequire('playwright-core');
	const browser = await chromium.launch({
		executablePath: ensureChromium(),
		headless: true,
		args: CHROMIUM_ARGS,
	});
	try {
		const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		page.setDefaultTimeout(60000);
		page.baseUrl = server.baseUrl;
		await logIn(page, server.baseUrl, login);
		return await fn(page);
	} finally {
		await browser.close();
	}
}

/** The nodes package.json registers, with their display names, from the built package. */
function packageNodes() {
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	return pkg.n8n.nodes.map((file) => {
		const exports = require(path.join(ROOT, file));
		const NodeClass = Object.values(exports).find((v) => typeof v === 'function');
		const { displayName, name, outputs } = new NodeClass().description;
		return {
			file,
			displayName,
			name,
			subNode: Array.isArray(outputs) && outputs.includes('ai_languageModel'),
		};
	});
}

/** What a user would type to find a node: "ScaiGrid", its name, and each word after "ScaiGrid". */
function searchTerms(displayName) {
	const rest = displayName.replace(/^ScaiGrid\s*/i, '');
	const words = rest
		.split(/\s+/)
		.filter((w) => w.length >= 3)
		.map((w) => w.toLowerCase());
	const terms = new Map(
		['ScaiGrid', displayName, rest, ...words].filter(Boolean).map((t) => [t.toLowerCase(), t]),
	);
	return [...terms.values()];
}

async function openNodePanel(page) {
	const search = page.locator('[data-test-id="node-creator-search-bar"]');
	if (await search.isVisible().catch(() => false)) return search;
	await page.locator('[data-test-id="node-creator-plus-button"]').first().click();
	await search.waitFor();
	return search;
}

async function closeNodePanel(page) {
	await page.keyboard.press('Escape');
	await page
		.locator('[data-test-id="node-creator-search-bar"]')
		.waitFor({ state: 'hidden' })
		.catch(() => {});
}

/** The node names the panel lists for a search (n8n filters as you type; wait until it settles). */
async function panelResults(page, term) {
	const search = await openNodePanel(page);
	await search.fill('');
	await search.fill(term);
	let names = [];
	let stable = 0;
	for (let i = 0; i < 20 && stable < 2; i++) {
		await page.waitForTimeout(250);
		const now = await page.$$eval('[data-test-id="node-creator-item-name"]', (els) =>
			els.map((e) => e.textContent.trim()),
		);
		stable = JSON.stringify(now) === JSON.stringify(names) ? stable + 1 : 0;
		names = now;
	}
	return names;
}

/**
 * The node names listed in the panel's AI section (the category n8n's own vendor nodes are in),
 * or, with `subcategories` (["Other AI Nodes", "Language Models"]), in that subcategory of it,
 * where n8n's own chat model sub-nodes are.
 */
async function aiSectionNodes(page, subcategories = []) {
	const search = await openNodePanel(page);
	await search.fill('');
	await page
		.locator('[data-test-id="node-creator-item-name"]', { hasText: /^AI$/ })
		.first()
		.click();
	await page.waitForTimeout(800);
	for (const sub of subcategories) {
		await page.locator('[data-test-id="item-iterator-item"]', { hasText: sub }).first().click();
		await page.waitForTimeout(800);
	}
	const names = await page.$$eval('[data-test-id="node-creator-item-name"]', (els) =>
		els.map((e) => e.textContent.trim()),
	);
	await closeNodePanel(page);
	return names;
}

async function nodePanelTest(ctx, page) {
	const nodes = packageNodes();
	const problems = [];
	// A workflow that has its trigger: the panel then offers what comes next (a new workflow's
	// panel asks for a trigger first).
	const example = showcaseExample(ctx.examples) || ctx.examples[0];
	await page.goto(`${page.baseUrl}/workflow/${example.workflow.id}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor();
	const results = new Map(); // one search per term ("ScaiGrid" serves every node)
	for (const node of nodes) {
		for (const term of searchTerms(node.displayName)) {
			if (!results.has(term)) results.set(term, await panelResults(page, term));
			const names = results.get(term);
			if (!names.includes(node.displayName)) {
				problems.push(
					`searching "${term}" does not list ${node.displayName} (${node.file}); listed: ${names.slice(0, 12).join(', ') || 'nothing'}`,
				);
			}
		}
	}
	await closeNodePanel(page);
	const ai = await aiSectionNodes(page);
	for (const node of nodes.filter((n) => !n.subNode)) {
		if (!ai.includes(node.displayName))
			problems.push(
				`${node.displayName} is not listed in the node panel's AI section (beside OpenAI, Anthropic); it lists ${ai.join(', ')}`,
			);
	}
	if (!ai.includes('OpenAI'))
		problems.push(
			`the AI section does not list OpenAI either; the panel may have changed: ${ai.join(', ')}`,
		);
	// A chat model sub-node is where n8n's own are: AI → Other AI Nodes → Language Models.
	if (nodes.some((n) => n.subNode)) {
		const models = await aiSectionNodes(page, ['Other AI Nodes', 'Language Models']);
		for (const node of nodes.filter((n) => n.subNode)) {
			if (!models.includes(node.displayName))
				problems.push(
					`${node.displayName} is not listed under AI → Other AI Nodes → Language Models (beside OpenAI Chat Model); it lists ${models.join(', ')}`,
				);
		}
		if (!models.includes('OpenAI Chat Model'))
			problems.push(
				`AI → Other AI Nodes → Language Models does not list OpenAI Chat Model either; the panel may have changed: ${models.join(', ')}`,
			);
	}
	return {
		problems,
		detail: `${nodes.length} nodes from package.json (${nodes.map((n) => n.displayName).join(', ')}), searched ${[...results.keys()].map((t) => `"${t}"`).join(', ')}; AI section`,
	};
}

/** The subtitle the canvas shows under a node (n8n renders the node's subtitle expression). */
async function canvasSubtitle(page, nodeName) {
	const node = page.locator(`[data-test-id="canvas-node"][data-node-name=${css(nodeName)}]`);
	const subtitle = node
		.locator('[data-test-id="canvas-node-subtitle"], [class*="subtitle"]')
		.first();
	return (await subtitle.count()) ? (await subtitle.textContent()).trim() : '';
}

async function browserTest(ctx, page, rest, { updateScreenshot = false } = {}) {
	const example = showcaseExample(ctx.examples);
	if (!example) return [`no example in examples/ has a ${CHAT_TYPE} node with tools`];
	const workflow = example.workflow;
	const chat = workflow.nodes.find((n) => n.type === CHAT_TYPE && toolsOf(n).length > 0);
	const tools = toolsOf(chat);
	const problems = [];

	await page.goto(`${page.baseUrl}/workflow/${workflow.id}`);
	await page.locator(`[data-test-id="canvas-node"][data-node-name=${css(chat.name)}]`).waitFor();

	// Every Chat node shows its model under its name.
	const subtitles = [];
	for (const node of workflow.nodes.filter((n) => n.type === CHAT_TYPE)) {
		const model =
			node.parameters.model &&
			(node.parameters.model.cachedResultName || node.parameters.model.value);
		const shown = await canvasSubtitle(page, node.name);
		subtitles.push(`${node.name}: "${shown}"`);
		if (!shown.includes(model))
			problems.push(
				`canvas: ${node.name} shows the subtitle "${shown}", expected its model "${model}"`,
			);
	}

	// The Chat node's outputs by name: the answer first, then one per tool, in the tools' order.
	const labels = await outputLabels(page, chat.id);
	if (labels.length !== tools.length + 1 || tools.some((t, i) => labels[i + 1] !== t)) {
		problems.push(
			`${chat.name} shows outputs [${labels.join(', ')}], expected an answer output then [${tools.join(', ')}]`,
		);
	}

	const clickedAt = Date.now() - 1000;
	await page.locator('[data-test-id="execute-workflow-button"]').click();
	const execution = await waitForExecution(rest, () =>
		latestExecutionId(rest, workflow.id, clickedAt),
	);
	const result = runResultOf(executionRun(execution));
	problems.push(...checkRun(result, example.config).map((p) => `stored execution: ${p}`));

	// What the canvas shows on each of the Chat node's branches must match the items n8n routed there.
	const branches = (workflow.connections[chat.name] && workflow.connections[chat.name].main) || [];
	const expected = branches.flatMap((conns, output) =>
		(conns || []).map((c) => ({
			output,
			target: c.node,
			label: itemsLabel(result.output(chat.name, output).length),
		})),
	);
	let shown = [];
	for (let attempt = 0; attempt < 40; attempt++) {
		shown = await Promise.all(
			expected.map(async (e) => ({ ...e, shown: await edgeLabel(page, chat.name, e.target) })),
		);
		if (shown.every((e) => e.shown === e.label)) break;
		await page.waitForTimeout(500);
	}
	for (const e of shown) {
		if (e.shown !== e.label)
			problems.push(
				`canvas: ${chat.name} output ${e.output} (${labels[e.output]}) → ${e.target} shows "${e.shown}", expected "${e.label}"`,
			);
	}
	if (!expected.some((e) => e.label !== ''))
		problems.push('no branch of the Chat node received items');

	await page.locator('[data-test-id="zoom-to-fit"]').click();
	await page.waitForTimeout(800);
	fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const screenshot = path.join(SCREENSHOT_DIR, 'n8n-editor.png');
	await page.screenshot({ path: screenshot });
	if (updateScreenshot) fs.copyFileSync(screenshot, README_SCREENSHOT);
	const detail = `${example.file}: subtitles ${subtitles.join(', ')}; outputs [${labels.join(', ')}]; branches ${shown.map((e) => `${e.target}: ${e.shown || '0 items'}`).join(', ')}; screenshot ${path.relative(ROOT, updateScreenshot ? README_SCREENSHOT : screenshot)}`;
	return { problems, detail };
}

module.exports = { withEditor, nodePanelTest, browserTest, packageNodes, searchTerms };
