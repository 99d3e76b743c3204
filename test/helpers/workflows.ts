/**
 * Builders for the small workflows engine tests run: a Manual Trigger feeding one node, with
 * the node's settings (Retry On Fail, Max Tries, Wait Between Tries, On Error) next to its
 * parameters, as n8n stores them in workflow JSON. Shared by every engine test file. The
 * emulator's request log: requestLog.ts; the expected cost of a call: cost.ts.
 */
import type { IDataObject } from 'n8n-workflow';

/** Node settings n8n keeps beside `parameters` on the node (not inside them). */
export interface NodeSettings {
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	alwaysOutputData?: boolean;
	executeOnce?: boolean;
	/** Defaults to the builder's node name. */
	name?: string;
	/** The node's id in the workflow JSON; defaults to "node-under-test". */
	id?: string;
}

export const PACKAGE = 'n8n-nodes-scaigrid';
export const TRIGGER_NAME = 'Manual';
export const CHAT_TYPE = `${PACKAGE}.scaiGridChat`;
export const CHAT_NAME = 'ScaiGrid Chat';
/** A chat model the emulator serves to the default key, with prices and limits. */
export const DEFAULT_CHAT_MODEL = 'scailabs/poolnoodle-omni';

/** The Chat node's name in chat.test.ts, chat-volume.test.ts and streaming.test.ts. */
export const CHAT = 'Chat';
/** Settings that name the Chat node CHAT (id "chat"), as those files' workflows have it. */
export const CHAT_NODE: NodeSettings = { name: CHAT, id: 'chat' };

/** A resource-locator value typed "By ID", as the editor stores it. */
export function rl(slug: string): IDataObject {
	return { __rl: true, mode: 'id', value: slug };
}

/** The credential data runWorkflow takes, pointing at an emulator (or any base URL). */
export function credentialsFor(
	emu: { url: string; apiKey: string },
	overrides: { apiKey?: string; baseUrl?: string } = {},
): { scaiGridApi: { apiKey: string; baseUrl: string } } {
	return {
		scaiGridApi: { apiKey: overrides.apiKey ?? emu.apiKey, baseUrl: overrides.baseUrl ?? emu.url },
	};
}

/** Manual Trigger → one node of `type` with these parameters and settings. */
export function singleNodeWorkflow(
	type: string,
	parameters: IDataObject,
	settings: NodeSettings = {},
) {
	const { name = nodeNameFor(type), ...nodeSettings } = settings;
	return {
		id: 'test-workflow',
		name: `${name} test`,
		nodes: [
			{
				id: 'trigger',
				name: TRIGGER_NAME,
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0] as [number, number],
				parameters: {},
			},
			{
				id: 'node-under-test',
				name,
				type,
				typeVersion: 1,
				position: [220, 0] as [number, number],
				parameters,
				...nodeSettings,
			},
		],
		connections: {
			[TRIGGER_NAME]: { main: [[{ node: name, type: 'main', index: 0 }]] },
		},
	};
}

/**
 * Manual Trigger → ScaiGrid Chat. Defaults: the emulator's default chat model, a simple prompt
 * that takes the user message from the incoming item's `prompt` field (so each trigger item is
 * a different request), falling back to "Hello". Node settings go in `settings`; CHAT_NODE
 * names the node CHAT instead of CHAT_NAME. Every default is overridden by `chatParameters()`.
 */
export function chatWorkflow(parameters: IDataObject = {}, settings: NodeSettings = {}) {
	return singleNodeWorkflow(
		CHAT_TYPE,
		{
			model: rl(DEFAULT_CHAT_MODEL),
			prompt: 'simple',
			userMessage: '={{ $json.prompt ?? "Hello" }}',
			...parameters,
		},
		{ name: CHAT_NAME, ...settings },
	);
}

/**
 * Chat node parameters: model by ID, a simple prompt whose user message is the incoming item's
 * `question` field (no fallback), no options; plus overrides.
 */
export function chatParameters(overrides: IDataObject = {}): IDataObject {
	return {
		model: rl(DEFAULT_CHAT_MODEL),
		prompt: 'simple',
		userMessage: '={{ $json.question }}',
		options: {},
		...overrides,
	};
}

/** "ScaiGrid Chat" from "n8n-nodes-scaigrid.scaiGridChat"; other types keep their short name. */
function nodeNameFor(type: string): string {
	if (type === CHAT_TYPE) return CHAT_NAME;
	const short = type.slice(type.lastIndexOf('.') + 1);
	return short.charAt(0).toUpperCase() + short.slice(1);
}
