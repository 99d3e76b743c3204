/**
 * The chunks of one streamed answer (choice 0) joined into a non-streamed response's `data`:
 * text from `delta.content`, tool calls joined from their fragments by `index`, the last finish
 * reason, and usage only when a chunk carries it (absent stays absent, never zero), as
 * docs/scaigrid-api.md §4.4 tolerates.
 */
import type { ChatChunk, ChatResponse, ToolCall, Usage } from '../../shared/api/schemas';

type ChunkDelta = NonNullable<NonNullable<ChatChunk['choices']>[number]['delta']>;
type ToolCallFragment = NonNullable<ChunkDelta['tool_calls']>[number];

interface ToolCallParts {
	id?: string;
	type?: string;
	name?: string;
	arguments: string[];
}

/** Joins the chunks of one streamed answer (choice 0). */
export class ChatStreamAccumulator {
	private readonly textParts: string[] = [];
	private sawContent = false;
	private readonly toolCalls = new Map<number, ToolCallParts>();
	private id?: string;
	private model?: string;
	private created?: number;
	private role?: string;
	private finishReason?: string;
	private usage?: Usage;

	/** Adds one chunk; returns the text it carries ('' when none). */
	add(chunk: ChatChunk): string {
		this.id ??= chunk.id;
		this.model ??= chunk.model;
		if (this.created === undefined && typeof chunk.created === 'number')
			this.created = chunk.created;
		// The usage chunk has `choices: []`; a null usage on content chunks means "not yet".
		if (chunk.usage) this.usage = chunk.usage;
		let text = '';
		for (const choice of chunk.choices ?? []) {
			if ((choice.index ?? 0) !== 0) continue;
			if (choice.finish_reason) this.finishReason = choice.finish_reason;
			const delta = choice.delta;
			if (!delta) continue;
			if (delta.role) this.role ??= delta.role;
			if (typeof delta.content === 'string') {
				this.sawContent = true;
				if (delta.content !== '') {
					this.textParts.push(delta.content);
					text += delta.content;
				}
			}
			delta.tool_calls?.forEach((fragment, position) =>
				this.addToolCallFragment(fragment, position),
			);
		}
		return text;
	}

	private addToolCallFragment(fragment: ToolCallFragment, position: number): void {
		const index = fragment.index ?? position;
		let parts = this.toolCalls.get(index);
		if (!parts) {
			parts = { arguments: [] };
			this.toolCalls.set(index, parts);
		}
		if (fragment.id) parts.id ??= fragment.id;
		if (fragment.type) parts.type ??= fragment.type;
		// The name comes whole in the first fragment; some gateways repeat it, so it is not joined.
		if (fragment.function?.name) parts.name ??= fragment.function.name;
		if (fragment.function?.arguments) parts.arguments.push(fragment.function.arguments);
	}

	/** The text received so far. */
	get text(): string {
		return this.textParts.join('');
	}

	/** The answer in the shape of a non-streamed response's `data`. */
	response(): ChatResponse {
		const message: ChatResponse['choices'][number]['message'] = {
			role: this.role ?? 'assistant',
			// A tool-calling turn streams `content: null` and no text: it stays null, as unstreamed.
			content: this.sawContent ? this.text : null,
		};
		if (this.toolCalls.size > 0) {
			message.tool_calls = [...this.toolCalls.entries()]
				.sort(([a], [b]) => a - b)
				.map(([index, parts]): ToolCall => ({
					id: parts.id ?? `call_${index + 1}`,
					type: parts.type ?? 'function',
					function: { name: parts.name ?? '', arguments: parts.arguments.join('') },
				}));
		}
		const response: ChatResponse = {
			choices: [{ index: 0, message, finish_reason: this.finishReason ?? null }],
		};
		if (this.id !== undefined) response.id = this.id;
		if (this.model !== undefined) response.model = this.model;
		if (this.created !== undefined) response.created = this.created;
		if (this.usage) response.usage = this.usage;
		return response;
	}
}
