/**
 * The AI Agent examples (real n8n only) checked in the engine as far as the engine can: the tool
 * each example's prompt asks ScaiGrid to call must be a tool the agent really binds, under the
 * name n8n 2.x gives it. n8n names a tool after its node (`nodeNameToToolName`: the Calculator
 * node "Calculator" is the tool "Calculator", not LangChain's "calculator"); the emulator's model
 * calls only a tool that is in the request, by exact name, and otherwise echoes the prompt, so a
 * wrong name makes the agent answer without ever running the tool (issue 16: the first agent
 * example asked for "calculator" and ran in n8n without calling it).
 *
 * Each agent example's own ScaiGrid Chat Model node then runs in the engine, driven as the agent
 * drives it (bindTools with the tools n8n would bind, a tool call, the tool's result back), with
 * the example's own prompt: the call must come back for that tool with the example's arguments,
 * and the answer must carry the tool's result.
 */
import type { IDataObject } from 'n8n-workflow';
import { nodeNameToToolName } from 'n8n-workflow';

import { registerNodePackage, runWorkflow } from '../helpers/engine';
import { loadExamples } from '../helpers/examples';
import type { Example } from '../helpers/examples';
import { chatRequests } from '../helpers/requestLog';
import { credentialsFor } from '../helpers/workflows';

const { startEmulator } = require('../../emulator');

const AGENT_TYPE = '@n8n/n8n-nodes-langchain.agent';
const MODEL_TYPE = 'n8n-nodes-scaigrid.scaiGridChatModel';

interface WorkflowNode extends IDataObject {
	name: string;
	type: string;
}

type Connections = Record<string, Record<string, Array<Array<{ node: string; type: string }>>>>;

/** The nodes connected to `target` through a connection of `type` (ai_tool, ai_languageModel). */
function connectedTo(example: Example, target: string, type: string): WorkflowNode[] {
	const nodes = example.workflow.nodes as WorkflowNode[];
	const connections = (example.workflow.connections ?? {}) as Connections;
	const sources = Object.entries(connections)
		.filter(([, byType]) =>
			(byType[type] ?? []).some((out) => (out ?? []).some((c) => c.node === target)),
		)
		.map(([source]) => source);
	return nodes.filter((node) => sources.includes(node.name));
}

/** Every `[[tool:NAME {json}]]` directive in the example: workflow and the message it is run with. */
function toolDirectives(
	example: Example,
): Array<{ name: string; args: IDataObject; prompt: string }> {
	const texts: string[] = [];
	const collect = (value: unknown): void => {
		if (typeof value === 'string') texts.push(value);
		else if (Array.isArray(value)) value.forEach(collect);
		else if (value && typeof value === 'object') Object.values(value).forEach(collect);
	};
	collect(example.workflow.nodes);
	collect(example.config.run?.triggerItems ?? []);
	const found = [];
	for (const text of texts) {
		for (const match of text.matchAll(/\[\[tool:([^\s\]]+)\s*(\{.*?\})?\]\]/g)) {
			found.push({
				name: match[1],
				args: match[2] ? (JSON.parse(match[2]) as IDataObject) : {},
				prompt: text,
			});
		}
	}
	return found;
}

const agentExamples = loadExamples().filter((e) =>
	(e.workflow.nodes as WorkflowNode[]).some((n) => n.type === AGENT_TYPE),
);

let em: any;

beforeAll(async () => {
	em = await startEmulator({ rateLimit: false });
	await registerNodePackage('test/fixtures/model-consumer-package');
});

afterAll(async () => {
	await em?.close();
});

test('there are agent examples', () => {
	expect(agentExamples.length).toBeGreaterThan(0);
});

describe.each(agentExamples.map((e) => [e.file, e] as const))('%s', (_file, example) => {
	const agent = (example.workflow.nodes as WorkflowNode[]).find((n) => n.type === AGENT_TYPE)!;
	const toolNames = connectedTo(example, agent.name, 'ai_tool').map((node) =>
		nodeNameToToolName(node as never),
	);
	const directives = toolDirectives(example);

	test('its prompt asks for a tool the agent binds, under the name n8n gives it', () => {
		expect(directives.length).toBeGreaterThan(0);
		for (const directive of directives) expect(toolNames).toContain(directive.name);
	});

	test('its ScaiGrid Chat Model calls that tool with the arguments, and answers with the result', async () => {
		em.reset();
		em.setRateLimit(false);
		const [modelNode] = connectedTo(example, agent.name, 'ai_languageModel');
		expect(modelNode.type).toBe(MODEL_TYPE);
		const [directive] = directives;
		// The tools as n8n's agent binds them: each tool node under its n8n tool name.
		const tools = toolNames.map((name) => ({
			type: 'function',
			function: {
				name,
				description: `the ${name} tool`,
				parameters: { type: 'object', properties: { input: { type: 'string' } } },
			},
		}));
		const workflow = {
			id: 'agent-example-model',
			name: 'Agent example model',
			nodes: [
				{
					id: 't',
					name: 'Manual',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'c',
					name: 'Agent stand-in',
					type: 'n8n-nodes-model-consumer.modelConsumer',
					typeVersion: 1,
					position: [220, 0],
					parameters: { scenario: 'tools', prompt: directive.prompt, tools: JSON.stringify(tools) },
				},
				{ ...modelNode, name: 'Model', position: [220, 200] },
			],
			connections: {
				Manual: { main: [[{ node: 'Agent stand-in', type: 'main', index: 0 }]] },
				Model: {
					ai_languageModel: [[{ node: 'Agent stand-in', type: 'ai_languageModel', index: 0 }]],
				},
			},
		};
		const result = await runWorkflow(workflow, { credentials: credentialsFor(em) });
		if (result.status !== 'success')
			throw result.nodeError('Agent stand-in') ?? result.error ?? new Error(result.status);
		const json = result.output('Agent stand-in')[0].json as any;
		expect(json.first.toolCalls).toEqual([
			expect.objectContaining({ name: directive.name, args: directive.args }),
		]);
		expect(json.second.text).toBe(
			`Final answer using: ${directive.name}=${directive.name} says ${JSON.stringify(directive.args)}`,
		);
		expect(chatRequests(em)[0].body.tools.map((t: any) => t.function.name)).toEqual(toolNames);
	});
});
