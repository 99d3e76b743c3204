'use strict';
/**
 * A node that uses the execution features our nodes rely on, so the harness can be proven
 * before dist/ exists: authenticated HTTP (with the cancel signal), cancellable sleep,
 * streaming chunks, hints, token usage metadata, binary input and console output.
 */
const { NodeOperationError, accumulateTokenUsage, sleep } = require('n8n-workflow');

class Probe {
	constructor() {
		this.description = {
			displayName: 'Probe',
			name: 'probe',
			group: ['transform'],
			version: 1,
			description: 'Harness fixture',
			defaults: { name: 'Probe' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [
				{ name: 'probeGenericApi', required: false },
				{ name: 'probeFunctionApi', required: false },
			],
			properties: [
				{
					displayName: 'Operation',
					name: 'operation',
					type: 'options',
					default: 'request',
					options: [
						{ name: 'Request', value: 'request' },
						{ name: 'Sleep', value: 'sleep' },
						{ name: 'Stream', value: 'stream' },
						{ name: 'Binary', value: 'binary' },
					],
				},
				{
					displayName: 'Credential Type',
					name: 'credentialType',
					type: 'string',
					default: 'probeGenericApi',
				},
				{ displayName: 'Path', name: 'path', type: 'string', default: '/echo' },
				{
					displayName: 'Base URL (when the credential has none)',
					name: 'baseUrl',
					type: 'string',
					default: '',
				},
				{ displayName: 'Milliseconds', name: 'ms', type: 'number', default: 60000 },
			],
		};
	}

	async execute() {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0);
		const out = [];
		for (let i = 0; i < items.length; i++) {
			try {
				if (operation === 'request') {
					const type = this.getNodeParameter('credentialType', i);
					const credentials = await this.getCredentials(type);
					const body = await this.helpers.httpRequestWithAuthentication.call(this, type, {
						method: 'GET',
						url: `${credentials.baseUrl || this.getNodeParameter('baseUrl', i)}${this.getNodeParameter('path', i)}`,
						json: true,
					});
					out.push({ json: body, pairedItem: { item: i } });
				} else if (operation === 'sleep') {
					await sleep(this.getNodeParameter('ms', i), this.getExecutionCancelSignal());
					out.push({ json: { slept: true }, pairedItem: { item: i } });
				} else if (operation === 'stream') {
					const words = ['Hello', ' world'];
					if (this.isStreaming()) {
						await this.sendChunk('begin', i);
						for (const word of words) await this.sendChunk('item', i, word);
						await this.sendChunk('end', i);
					}
					accumulateTokenUsage(this, 3, 2);
					this.addExecutionHints({ message: 'probe hint', location: 'outputPane' });
					this.logNodeOutput('probe log', i);
					out.push({
						json: { text: words.join(''), streamed: this.isStreaming() },
						pairedItem: { item: i },
					});
				} else if (operation === 'binary') {
					this.helpers.assertBinaryData(i, 'file');
					const buffer = await this.helpers.getBinaryDataBuffer(i, 'file');
					out.push({
						json: { bytes: buffer.length, text: buffer.toString('utf8') },
						pairedItem: { item: i },
					});
				} else {
					throw new NodeOperationError(this.getNode(), `Unknown operation ${operation}`, {
						itemIndex: i,
					});
				}
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: error.message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		return [out];
	}
}
module.exports = { Probe };
