'use strict';
/**
 * The workflows the scenarios run, built in one place: the same items and the same
 * `POST /v1/inference/chat` calls for our Chat node, n8n's HTTP Request node and the undici
 * baseline (lib/undici.js), and the usage-records read for the Usage Summary node.
 */
const MODEL = 'scailabs/poolnoodle-omni';
const CHAT_PATH = '/v1/inference/chat';
const USAGE_PATH = '/v1/accounting/usage';
const TRIGGER = 'Start';

/** Input items: one question each, all different (so no layer can cache an answer). */
function questionItems(count) {
	return Array.from({ length: count }, (_, i) => ({
		question: `Question ${i + 1}: what is ${i} + ${i}?`,
	}));
}

/** The chat request body for one item, as every contender sends it. */
function chatBody(question) {
	return { model: MODEL, messages: [{ role: 'user', content: question }] };
}

function node(name, type, typeVersion, parameters, extra = {}) {
	return { id: name, name, type, typeVersion, position: [0, 0], parameters, ...extra };
}

/** Trigger → one node under test; the items come in as the trigger's pinned output. */
function oneNodeWorkflow(name, testedNode) {
	return {
		name,
		nodes: [node(TRIGGER, 'n8n-nodes-base.manualTrigger', 1, {}), testedNode],
		connections: { [TRIGGER]: { main: [[{ node: testedNode.name, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/**
 * n8n's node settings for a failing item: keep going with an error item, so failed items can be
 * counted instead of one failure ending the run (the same for every contender).
 */
const CONTINUE_ON_FAIL = { onError: 'continueRegularOutput' };

/** Our Chat node, `concurrency` requests at a time (its Max Concurrent Requests option). */
function ourChatWorkflow({ concurrency, settings = {} }) {
	return oneNodeWorkflow(
		'Bench: ScaiGrid Chat',
		node(
			'ScaiGrid Chat',
			'n8n-nodes-scaigrid.scaiGridChat',
			1,
			{
				model: { __rl: true, mode: 'id', value: MODEL },
				prompt: 'simple',
				userMessage: '={{ $json.question }}',
				simplify: true,
				options: { maxConcurrency: concurrency },
			},
			{ ...CONTINUE_ON_FAIL, ...settings },
		),
	);
}

/**
 * What a user builds without our package: n8n's HTTP Request node posting the same body, with
 * a Header Auth credential and the node's batching option (`batchSize` requests, then a pause
 * of `batchIntervalMs`; 0 = no pause). `settings` adds node settings such as Retry On Fail.
 */
function httpRequestChatWorkflow({ url, batchSize, batchIntervalMs, settings = {} }) {
	return oneNodeWorkflow(
		'Bench: HTTP Request',
		node(
			'HTTP Request',
			'n8n-nodes-base.httpRequest',
			4.2,
			{
				method: 'POST',
				url: `${url}${CHAT_PATH}`,
				authentication: 'genericCredentialType',
				genericAuthType: 'httpHeaderAuth',
				sendBody: true,
				specifyBody: 'json',
				jsonBody: `={{ JSON.stringify({ model: "${MODEL}", messages: [{ role: "user", content: $json.question }] }) }}`,
				options: { batching: { batch: { batchSize, batchInterval: batchIntervalMs } } },
			},
			{
				credentials: {
					httpHeaderAuth: { id: 'bench-header-auth', name: 'ScaiGrid key as Header Auth' },
				},
				...CONTINUE_ON_FAIL,
				...settings,
			},
		),
	);
}

/** Usage Summary → Get Records, Return All, over [startIso, endIso). */
function ourUsageRecordsWorkflow({ startIso, endIso }) {
	return oneNodeWorkflow(
		'Bench: ScaiGrid Usage Summary records',
		node('ScaiGrid Usage Summary', 'n8n-nodes-scaigrid.scaiGridUsageSummary', 1, {
			operation: 'getRecords',
			range: 'custom',
			start: startIso,
			end: endIso,
			returnAll: true,
			simplify: true,
			options: {},
		}),
	);
}

/** Credentials for every contender: our credential type and the HTTP Request's Header Auth. */
function credentialsFor(emulator) {
	return {
		scaiGridApi: { apiKey: emulator.apiKey, baseUrl: emulator.url },
		httpHeaderAuth: { name: 'Authorization', value: `Bearer ${emulator.apiKey}` },
	};
}

module.exports = {
	MODEL,
	CHAT_PATH,
	USAGE_PATH,
	questionItems,
	chatBody,
	ourChatWorkflow,
	httpRequestChatWorkflow,
	ourUsageRecordsWorkflow,
	credentialsFor,
};
