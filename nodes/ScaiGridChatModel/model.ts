/**
 * ScaiGrid as a chat model for n8n's AI Agent and chains (@n8n/ai-node-sdk). It speaks
 * ScaiGrid's native `POST /v1/inference/chat` through the package's client, so an agent gets
 * what the Chat node gets: the retry table with Retry-After, pacing, BUDGET_EXCEEDED failing at
 * once, errors with code, request ID and what to do, the key never in an error, and the exact
 * cost of each call.
 *
 * n8n wraps this model in its LangChain adapter (token usage in the log panel, tool binding);
 * nothing here imports LangChain.
 */
import type { ChatModelConfig, GenerateResult, Message, StreamChunk } from '@n8n/ai-node-sdk';
import { BaseChatModel } from '@n8n/ai-node-sdk';
import type { IDataObject, INode, NodeExecutionHint } from 'n8n-workflow';

import { Channel } from './channel';
import {
	ChunkTranslator,
	toFinishReason,
	toGenerateResult,
	toTokenUsage,
	toWireMessages,
	toWireTools,
} from './convert';
import type { ChatResponse, CostInfo, ModelLookup, RetryPolicy, ScaiGridClient } from './scaigrid';
import {
	CHAT_PATH,
	ScaiGridError,
	callChat,
	costOf,
	readChatStream,
	settle,
	toNodeApiError,
} from './scaigrid';

export interface ScaiGridModelSettings {
	client: ScaiGridClient;
	retry: RetryPolicy;
	timeoutMs: number;
	/** The model's prices (and limits), looked up once and cached like the Chat node does. */
	lookup: ModelLookup;
	node: INode;
	/** Shows the user what a call used and cost (an execution hint on the model's run). */
	addHint?: (hint: NodeExecutionHint) => void;
}

/** What every answer carries besides the message: its identity, usage and exact cost. */
export interface CallReport extends IDataObject {
	model: string;
	requestId: string | null;
	attempts: number;
	latencyMs: number;
	promptTokens: number | null;
	completionTokens: number | null;
	cost: number | null;
	costDecimal: string | null;
	costNote?: string;
}

interface CallInfo {
	requestId?: string;
	attempts: number;
	latencyMs: number;
}

type StreamAttempt =
	| { response: ChatResponse; requestId?: string; latencyMs: number; calledTools: boolean }
	| { failed: unknown };

function combinedSignal(signals: Array<AbortSignal | undefined>): AbortSignal | undefined {
	const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
	if (present.length <= 1) return present[0];
	return AbortSignal.any(present);
}

export class ScaiGridChatModel extends BaseChatModel {
	constructor(
		modelId: string,
		private readonly settings: ScaiGridModelSettings,
		defaultConfig?: ChatModelConfig,
		/** The execution's cancel signal. */
		private readonly cancelSignal?: AbortSignal,
	) {
		super('scaigrid', modelId, defaultConfig);
	}

	/** The request body. `config` may be LangChain's call options: only known fields are read. */
	requestBody(messages: Message[], config?: ChatModelConfig): IDataObject {
		const merged = this.mergeConfig(config) as ChatModelConfig & { stop?: unknown };
		const body: IDataObject = { model: this.modelId, messages: toWireMessages(messages) };
		if (merged.maxTokens !== undefined) body.max_tokens = merged.maxTokens;
		if (merged.temperature !== undefined) body.temperature = merged.temperature;
		if (merged.topP !== undefined) body.top_p = merged.topP;
		if (merged.seed !== undefined) body.seed = merged.seed;
		const stop = [
			...(merged.stopSequences ?? []),
			...(Array.isArray(merged.stop)
				? merged.stop.filter((s): s is string => typeof s === 'string')
				: []),
		];
		if (stop.length) body.stop = [...new Set(stop)];
		const tools = toWireTools(this.tools);
		if (tools.length) body.tools = tools;
		return body;
	}

	private timeoutOf(config?: ChatModelConfig): number {
		const timeout = this.mergeConfig(config).timeout;
		return typeof timeout === 'number' && timeout > 0 ? timeout : this.settings.timeoutMs;
	}

	async generate(messages: Message[], config?: ChatModelConfig): Promise<GenerateResult> {
		const { client, retry, lookup } = this.settings;
		const body = this.requestBody(messages, config);
		// The price lookup runs beside the call (cached, best effort: it never fails the call).
		const [answer, model] = await Promise.all([
			settle(callChat({ client, body, retry, timeoutMs: this.timeoutOf(config) })),
			lookup(this.modelId),
		]);
		if (!answer.ok) throw this.failure(answer.error);
		const { response, ...call } = answer.value;
		const report = this.report(response, costOf(response, model), call);
		return toGenerateResult(response, { scaigrid: report });
	}

	async *stream(messages: Message[], config?: ChatModelConfig): AsyncIterable<StreamChunk> {
		const body = { ...this.requestBody(messages, config), stream: true };
		const channel = new Channel<StreamChunk>();
		const stopper = new AbortController();
		const producing = this.produce(body, this.timeoutOf(config), channel, stopper);
		try {
			for (;;) {
				const next = await channel.next();
				if (next.done) return;
				yield next.value;
			}
		} finally {
			// The consumer stopped early (or the stream ended): close the connection to ScaiGrid.
			channel.stop();
			stopper.abort();
			await producing;
		}
	}

	/**
	 * Reads one streamed answer into the channel. Opening and reading are one attempt of the
	 * client's retry loop, as in the Chat node: a failure is retried only while nothing has
	 * reached the consumer; after that a retry would repeat text, so the failure ends the call.
	 * A mid-stream error frame or a cut stream is an error, never a shortened answer.
	 */
	private async produce(
		body: IDataObject,
		timeoutMs: number,
		channel: Channel<StreamChunk>,
		stopper: AbortController,
	): Promise<void> {
		const { client, retry, lookup } = this.settings;
		const signal = combinedSignal([this.cancelSignal, stopper.signal]);
		const singleAttempt: RetryPolicy = { ...retry, enabled: false };
		let delivered = false;
		const modelPromise = lookup(this.modelId);
		const outcome = await settle(
			client.retrying<StreamAttempt>(retry, async () => {
				const started = Date.now();
				const translator = new ChunkTranslator();
				const opened = await client.openStream(CHAT_PATH, {
					body,
					timeoutMs,
					retry: singleAttempt,
				});
				const read = await settle(
					readChatStream(opened.body, {
						requestId: opened.requestId,
						signal,
						onChunk: async (chunk) => {
							for (const out of translator.translate(chunk)) {
								delivered = true;
								await channel.push(out);
								if (channel.isStopped) stopper.abort();
							}
						},
					}),
				);
				if (read.ok) {
					return {
						response: read.value,
						requestId: opened.requestId,
						latencyMs: Date.now() - started,
						calledTools: translator.calledTools,
					};
				}
				if (delivered || !(read.error instanceof ScaiGridError)) return { failed: read.error };
				throw read.error;
			}),
		);
		if (channel.isStopped) return;
		if (!outcome.ok) return channel.fail(this.failure(outcome.error));
		if ('failed' in outcome.value) {
			const failed = outcome.value.failed;
			if (failed instanceof ScaiGridError) failed.attempts = outcome.value.attempts;
			return channel.fail(this.failure(failed));
		}
		const { response, requestId, latencyMs, calledTools, attempts } = outcome.value;
		const report = this.report(response, costOf(response, await modelPromise), {
			requestId,
			attempts,
			latencyMs,
		});
		await channel.push({
			type: 'finish',
			finishReason: toFinishReason(response.choices[0].finish_reason, calledTools),
			usage: toTokenUsage(response),
			providerMetadata: { scaigrid: report },
		});
		channel.close();
	}

	/**
	 * ScaiGrid failures become n8n errors with code, advice and request ID; others pass. n8n's AI
	 * Agent (2.41) re-wraps a model's error keeping only its message (its description becomes
	 * "Original error: NodeApiError"; the full error stays on the model's own run), so the message
	 * carries the request ID too.
	 */
	private failure(error: unknown): unknown {
		if (!(error instanceof ScaiGridError)) return error;
		const nodeError = toNodeApiError(this.settings.node, error);
		if (error.requestId && !nodeError.message.includes(error.requestId)) {
			nodeError.message = `${nodeError.message} (request ID ${error.requestId})`;
		}
		return nodeError;
	}

	private report(response: ChatResponse, cost: CostInfo, call: CallInfo): CallReport {
		const usage = response.usage;
		const report: CallReport = {
			model: response.model ?? this.modelId,
			requestId: call.requestId ?? response._meta?.request_id ?? null,
			attempts: call.attempts,
			latencyMs: response._meta?.latency_ms ?? call.latencyMs,
			promptTokens: usage?.prompt_tokens ?? null,
			completionTokens: usage?.completion_tokens ?? null,
			cost: cost.cost,
			costDecimal: cost.costDecimal,
			...(cost.costNote ? { costNote: cost.costNote } : {}),
		};
		this.settings.addHint?.({
			message: describeCall(report),
			type: 'info',
			location: 'outputPane',
		});
		return report;
	}
}

/** "ScaiGrid call req_1 (scailabs/poolnoodle-omni): 24 + 3 tokens, cost 0.000041." */
export function describeCall(report: CallReport): string {
	const tokens =
		report.promptTokens === null
			? 'no token usage reported'
			: `${report.promptTokens} + ${report.completionTokens} tokens`;
	const cost =
		report.costDecimal !== null
			? `cost ${report.costDecimal}`
			: `cost unknown (${report.costNote ?? 'no prices'})`;
	const retries = report.attempts > 1 ? `, after ${report.attempts} attempts` : '';
	return `ScaiGrid call ${report.requestId ?? '(no request ID)'} (${report.model}): ${tokens}, ${cost}${retries}.`;
}
