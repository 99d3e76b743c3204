/**
 * One chat item (or one group of tool results) from parameters to output items: prompt and
 * attachments → request body → one call (more when invalid tool calls are sent back to be
 * fixed) → tool-call items on their outputs, or the reply (text, or with Output Format = JSON
 * Schema the checked object) on Message.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, accumulateTokenUsage } from 'n8n-workflow';

import type { ScaiGridClient } from '../shared/transport/client';
import type { ItemResult } from '../shared/execution/itemRunner';
import type { ReadParameter } from '../shared/execution/parameters';
import { callOptionsFor } from '../shared/descriptions';
import { buildAttachmentParts } from './prompt/attachments';
import { callChat } from './call/call';
import { streamingFor } from './call/forward';
import type { ChatOptions } from './options';
import { DEFAULT_MAX_ATTACHMENT_MB } from './options';
import type { BuiltPrompt } from './prompt/messages';
import { attachParts, buildPrompt } from './prompt/messages';
import type { ModelLookup } from '../shared/api/modelInfo';
import { generationFields } from './prompt/request';
import { shapeReply, toolCallItems } from './result';
import { askModel } from './tools/askAgain';
import type { ToolOptions } from './tools/setup';
import { readToolSetup } from './tools/setup';
import { readStructuredOutput } from './structured/setup';
import { MESSAGE_OUTPUT_INDEX, outputForTool } from './tools/outputs';
import type { ToolResultGroup } from './tools/toolResults';

/** What every item of one node run shares. */
export interface ChatRun {
	client: ScaiGridClient;
	lookup: ModelLookup;
	/** With Prompt = Tool Results From Input: the items answered together, keyed by first item. */
	resultGroups?: Map<number, ToolResultGroup>;
	/** How many replies ended early, for the node's execution hints. */
	ended: { length: number; contentFilter: number };
	/** Parameter reads, once per run for those without expressions. */
	param: ReadParameter;
}

function modelSlug(ctx: IExecuteFunctions, param: ReadParameter, itemIndex: number): string {
	const slug = String(param('model', itemIndex, '', { extractValue: true }) ?? '').trim();
	if (!slug) {
		throw new NodeOperationError(ctx.getNode(), 'No model selected', {
			itemIndex,
			description: 'Pick a model from the list or enter its slug, e.g. scailabs/poolnoodle-omni.',
		});
	}
	return slug;
}

function promptFor(ctx: IExecuteFunctions, run: ChatRun, itemIndex: number): BuiltPrompt {
	const group = run.resultGroups?.get(itemIndex);
	if (!group) return buildPrompt(ctx, itemIndex, run.param);
	if (group.error) throw group.error;
	return {
		messages: group.messages ?? [],
		carriesConversation: true,
		conversationField: String(run.param('conversationField', itemIndex, 'messages')),
	};
}

export async function chatItem(
	ctx: IExecuteFunctions,
	run: ChatRun,
	itemIndex: number,
): Promise<ItemResult[]> {
	const options = run.param<ChatOptions>('options', itemIndex, {});
	const simplify = run.param('simplify', itemIndex, true);
	const slug = modelSlug(ctx, run.param, itemIndex);
	const prompt = promptFor(ctx, run, itemIndex);
	const parts = await buildAttachmentParts(
		ctx,
		itemIndex,
		options.maxAttachmentMb ?? DEFAULT_MAX_ATTACHMENT_MB,
		run.param,
	);
	const messages = attachParts(prompt.messages, parts);
	// The model's limits are needed before sending only to check Max Tokens; its prices only
	// afterwards. Otherwise the lookup runs beside the chat call instead of in front of it.
	const modelInfo = run.lookup(slug);
	const tooling = readToolSetup(ctx, itemIndex, options as ToolOptions, run.param);
	const limits = options.maxTokens !== undefined ? await modelInfo : undefined;
	const schemaOutput = readStructuredOutput(
		ctx,
		itemIndex,
		tooling,
		(options as ToolOptions).toolChoice,
		run.param,
	);
	const body = {
		model: slug,
		messages,
		...generationFields(ctx, itemIndex, options, limits),
		...(schemaOutput?.requestFields ?? tooling.requestFields),
	};
	const streaming = streamingFor(ctx, itemIndex, options.streaming);
	// A structured answer is complete only at its end, and text instead of the schema's call is
	// an invalid answer: nothing goes to the workflow's caller, the call is still streamed.
	if (streaming && schemaOutput) streaming.forward = undefined;

	const asked = await askModel({
		node: ctx.getNode(),
		itemIndex,
		body,
		messages,
		toolSet: tooling.toolSet,
		structured: schemaOutput?.structured,
		maxFixes: tooling.maxFixes,
		send: async (request) => {
			const sent = await callChat({
				client: run.client,
				body: request,
				...callOptionsFor(ctx, options),
				streaming,
			});
			const usage = sent.response.usage;
			if (usage) accumulateTokenUsage(ctx, usage.prompt_tokens, usage.completion_tokens);
			return sent;
		},
	});

	const model = await modelInfo;
	const conversationField = prompt.conversationField ?? 'messages';
	if (asked.calls.length) {
		return toolCallItems({
			result: asked,
			model,
			conversationField,
			simplify,
			outputFor: outputForTool(ctx),
		});
	}
	const response = asked.answer.response;
	const finishReason = response.choices[0].finish_reason;
	if (finishReason === 'length') run.ended.length++;
	if (finishReason === 'content_filter') run.ended.contentFilter++;
	const conversation = prompt.carriesConversation
		? { field: conversationField, messages: asked.messages }
		: undefined;
	const json = shapeReply({
		response,
		model,
		call: asked.answer,
		simplify,
		conversation,
		structured: asked.structured,
		fixAttempts: asked.requests - 1,
	});
	return [{ output: MESSAGE_OUTPUT_INDEX, json }];
}
