/**
 * The Streaming option and where streamed text goes: n8n's `sendChunk`, framed by begin and end,
 * when the workflow streams its response to its caller (Chat Trigger or Webhook in streaming mode).
 */
import type { IExecuteFunctions } from 'n8n-workflow';

export type StreamingMode = 'auto' | 'on' | 'off';

/** One item's streamed text on its way to the caller. */
export class ChunkForwarder {
	private begun = false;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly itemIndex: number,
	) {}

	/** Whether any text has reached the caller (from then on, a failed call cannot be retried). */
	get forwarded(): boolean {
		return this.begun;
	}

	async text(text: string): Promise<void> {
		if (!this.begun) {
			this.begun = true;
			await this.send('begin');
		}
		await this.send('item', text);
	}

	/** Closes the item's message, after a failure too, so the caller is not left waiting. */
	async end(): Promise<void> {
		if (this.begun) await this.send('end');
	}

	private async send(type: 'begin' | 'item' | 'end', content?: string): Promise<void> {
		// Declared as void, but n8n's implementation returns the hook's promise: awaiting it keeps
		// chunks in order and lets a slow caller slow the read down.
		const sent: unknown = this.ctx.sendChunk(type, this.itemIndex, content);
		await sent;
	}
}

export interface ChatStreaming {
	/** The text goes to the workflow's caller as it arrives (streaming response mode). */
	forward?: ChunkForwarder;
	/** The execution's cancel signal: cancelling closes the connection to ScaiGrid. */
	signal?: AbortSignal;
}

/**
 * The Streaming option → how item `itemIndex` is called. Auto streams exactly when the workflow
 * streams its response (Chat Trigger or Webhook in streaming mode); On always asks for a stream
 * (text reaches the caller only in a streaming run); Off never does.
 */
export function streamingFor(
	ctx: IExecuteFunctions,
	itemIndex: number,
	mode: StreamingMode = 'auto',
): ChatStreaming | undefined {
	const callerStreams = ctx.isStreaming();
	if (mode === 'off' || (mode === 'auto' && !callerStreams)) return undefined;
	return {
		forward: callerStreams ? new ChunkForwarder(ctx, itemIndex) : undefined,
		signal: ctx.getExecutionCancelSignal(),
	};
}
