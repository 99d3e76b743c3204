'use strict';
/**
 * n8n's outbound HTTP helper alone: the function `this.helpers.httpRequest*` ends in
 * (@n8n/backend-network's OutboundHttp → axios, with new http/https agents built for every
 * request, so no connection is reused), called directly, without a workflow or a node. What
 * every n8n node pays per request, whoever wrote it.
 */
require('./engine'); // n8n-core's environment and DI container, as the engine has them
const { Container } = require('@n8n/di');
const { OutboundHttp } = require('@n8n/backend-network');
const { Workflow } = require('n8n-workflow');

const { CHAT_PATH, chatBody } = require('./workflows');
const { runConcurrently, runInBatches, timed } = require('./timing');

/**
 * `concurrency` requests in flight, each slot taking the next question as soon as its answer is
 * in, or with `batched`, `concurrency` at once and the next batch when all are in (as the HTTP
 * Request node's batching does; our nodes refill free slots together too, nodes/shared/execution/slots.ts).
 */
async function chatWithN8nHelper({ url, apiKey, questions, concurrency, batched = false }) {
	const { request } = Container.get(OutboundHttp).requests();
	let failed = 0;
	const schedule = batched ? runInBatches : runConcurrently;
	const { ms } = await timed(() =>
		schedule(questions.length, concurrency, async (i) => {
			const answer = await request({
				method: 'POST',
				url: `${url}${CHAT_PATH}`,
				headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/json' },
				body: chatBody(questions[i]),
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			});
			if (answer.statusCode !== 200) failed++;
		}),
	);
	return { ms, failed };
}

/**
 * CPU time of one evaluation of a credential's generic `authenticate` header expression, as n8n
 * resolves it before every request (`'=Bearer {{$credentials.apiKey}}'`, CredentialsHelper
 * → workflow.expression.getSimpleParameterValue). Why our credential adds its header with an
 * `authenticate` method instead of this declarative, generic form; the HTTP Request node's Header
 * Auth sets its header without an expression too.
 */
function credentialExpressionCpuUs(evaluations = 2000) {
	const node = {
		id: 'credential',
		name: 'Credential',
		type: 'bench.mock',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const mockType = { description: { properties: [] } };
	const nodeTypes = {
		getByName: () => mockType,
		getByNameAndVersion: () => mockType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const credentials = { apiKey: `sgk_${'0'.repeat(40)}`, baseUrl: 'http://127.0.0.1' };
	const evaluate = () =>
		workflow.expression.getSimpleParameterValue(
			node,
			'=Bearer {{$credentials.apiKey}}',
			'internal',
			{ $credentials: credentials },
			undefined,
			'',
		);
	for (let i = 0; i < 200; i++) evaluate(); // warm-up
	const before = process.cpuUsage();
	for (let i = 0; i < evaluations; i++) evaluate();
	const used = process.cpuUsage(before);
	return (used.user + used.system) / evaluations;
}

module.exports = { chatWithN8nHelper, credentialExpressionCpuUs };
