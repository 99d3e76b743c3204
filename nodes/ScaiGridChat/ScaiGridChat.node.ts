import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeListSearchResult,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError, accumulateTokenUsage } from 'n8n-workflow';

import { ScaiGridClient } from '../shared/client';
import { runItems } from '../shared/itemRunner';
import { searchModels } from '../shared/models';
import { DEFAULT_TIMEOUT_MS, retryPolicyFor } from '../shared/properties';
import { buildAttachmentParts } from './attachments';
import { callChat, streamingFor } from './call';
import type { ChatOptions } from './description';
import { DEFAULT_CONCURRENCY, DEFAULT_MAX_ATTACHMENT_MB, chatProperties } from './description';
import { attachParts, buildPrompt } from './messages';
import { modelLookup } from './modelInfo';
import { generationFields } from './request';
import { shapeReply } from './result';
import { outputsExpression } from './tools/outputs';
import { askModel, toolCallItems } from './tools/route';
import type { ToolOptions } from './tools/setup';
import { outputCount, outputForTool, readToolSetup } from './tools/setup';
import { groupToolResults } from './tools/toolResults';

export class ScaiGridChat implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ScaiGrid Chat',
		name: 'scaiGridChat',
		icon: { light: 'file:../../icons/scaigrid.svg', dark: 'file:../../icons/scaigrid.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["model"].cachedResultName || $parameter["model"].value}}',
		description: 'Chat with AI models through ScaiGrid, with cost and usage on every item',
		defaults: { name: 'ScaiGrid Chat' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		// Message, then one output per tool (or one Tool Calls output): see tools/outputs.ts.
		outputs: outputsExpression,
		credentials: [{ name: 'scaiGridApi', required: true }],
		properties: chatProperties,
	};

	methods = {
		listSearch: {
			async searchChatModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				return await searchModels(this, 'chat', filter);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const client = await ScaiGridClient.create(this);
		const nodeOptions = this.getNodeParameter('options', 0, {}) as ChatOptions;
		const lookup = modelLookup(
			client,
			retryPolicyFor(this, nodeOptions),
			nodeOptions.timeout ?? DEFAULT_TIMEOUT_MS,
		);
		const ended = { length: 0, contentFilter: 0 };
		// Tool results of one assistant turn are answered together: one request per group.
		const resultGroups = this.getNodeParameter('prompt', 0) === 'toolResults' ? groupToolResults(this) : undefined;

		const output = await runItems(
			this,
			{
				outputs: outputCount(this),
				concurrency: nodeOptions.maxConcurrency ?? DEFAULT_CONCURRENCY,
				groups: resultGroups?.map((group) => group.items),
			},
			async (itemIndex) => {
				const options = this.getNodeParameter('options', itemIndex, {}) as ChatOptions;
				const slug = String(this.getNodeParameter('model', itemIndex, '', { extractValue: true }) ?? '').trim();
				if (!slug) {
					throw new NodeOperationError(this.getNode(), 'No model selected', {
						itemIndex,
						description: 'Pick a model from the list or enter its slug, e.g. scailabs/poolnoodle-omni.',
					});
				}
				const resultGroup = resultGroups?.find((group) => group.items[0] === itemIndex);
				if (resultGroup?.error) throw resultGroup.error;
				const prompt = resultGroup?.messages
					? {
							messages: resultGroup.messages,
							carriesConversation: true,
							conversationField: String(this.getNodeParameter('conversationField', itemIndex, 'messages')),
						}
					: buildPrompt(this, itemIndex);
				const parts = await buildAttachmentParts(this, itemIndex, options.maxAttachmentMb ?? DEFAULT_MAX_ATTACHMENT_MB);
				const messages = attachParts(prompt.messages, parts);
				const model = await lookup(slug);
				const tooling = readToolSetup(this, itemIndex, options as ToolOptions);
				const body = { model: slug, messages, ...generationFields(this, itemIndex, options, model), ...tooling.requestFields };

				// One request, or more when invalid tool calls are sent back to be fixed (tools/route.ts).
				const asked = await askModel({
					node: this.getNode(),
					itemIndex,
					body,
					messages,
					toolSet: tooling.toolSet,
					maxFixes: tooling.maxFixes,
					send: async (request) => {
						const sent = await callChat({
							client,
							body: request,
							timeoutMs: options.timeout ?? DEFAULT_TIMEOUT_MS,
							retry: retryPolicyFor(this, options),
							streaming: streamingFor(this, itemIndex, options.streaming),
						});
						if (sent.response.usage) {
							accumulateTokenUsage(this, sent.response.usage.prompt_tokens, sent.response.usage.completion_tokens);
						}
						return sent;
					},
				});
				const answer = asked.answer;
				const response = answer.response;
				if (asked.calls.length) {
					return toolCallItems({
						result: asked,
						model,
						conversationField: prompt.conversationField ?? 'messages',
						simplify: this.getNodeParameter('simplify', itemIndex, true) as boolean,
						outputFor: outputForTool(this),
					});
				}
				const finishReason = response.choices[0].finish_reason;
				if (finishReason === 'length') ended.length++;
				if (finishReason === 'content_filter') ended.contentFilter++;
				return [
					{
						output: 0,
						json: shapeReply({
							response,
							model,
							call: answer,
							simplify: this.getNodeParameter('simplify', itemIndex, true) as boolean,
							conversation: prompt.carriesConversation
								? { field: prompt.conversationField ?? 'messages', messages: asked.messages }
								: undefined,
						}),
					},
				];
			},
		);

		if (ended.length) {
			this.addExecutionHints({
				message: `${ended.length} ${ended.length === 1 ? 'reply was' : 'replies were'} cut off at Max Tokens (finish reason "length", flagged as truncated). Raise Max Tokens in the options.`,
				type: 'warning',
				location: 'outputPane',
			});
		}
		if (ended.contentFilter) {
			this.addExecutionHints({
				message: `${ended.contentFilter} ${ended.contentFilter === 1 ? 'reply was' : 'replies were'} stopped by a content filter (finish reason "content_filter", flagged as contentFiltered).`,
				type: 'warning',
				location: 'outputPane',
			});
		}
		return output;
	}
}
