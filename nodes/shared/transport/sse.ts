/**
 * Incremental Server-Sent Events decoder (WHATWG HTML, "Interpreting an event stream").
 *
 * - Input chunks may be bytes (Uint8Array / Buffer) or strings, split anywhere: inside a
 *   multi-byte UTF-8 character (a streaming TextDecoder keeps the partial bytes) or between the
 *   `\r` and `\n` of a CRLF (remembered across chunks).
 * - Line ends: `\r\n`, `\n`, `\r`. One leading U+FEFF (BOM) is ignored at the start of the stream.
 * - Fields: `data` (lines joined with `\n`), `event` (default "message"), `id` (ignored when it
 *   contains U+0000; the last event ID persists across events, as in the spec), `retry` (ASCII
 *   digits only, else ignored). Comments (`:` lines) go to `onComment` if given. Unknown fields
 *   are ignored. A line without a colon is a field name with an empty value; one space after the
 *   colon is removed.
 * - A blank line dispatches the event, unless the data buffer is empty. An incomplete event at the
 *   end of the stream is discarded (spec); `hasPendingData` tells the caller the stream was cut.
 *
 * Runtime-neutral: uses only the `TextDecoder` global (no Node modules), so it is allowed in a
 * verified n8n community node.
 */

export interface SseEvent {
	/** Event type; "message" when the stream did not set one. */
	event: string;
	data: string;
	/** Last event ID in effect when the event was dispatched (absent when none / empty). */
	id?: string;
}

export interface SseDecoderOptions {
	/** Called with the text of each comment line (after the `:`, one leading space removed). */
	onComment?: (comment: string) => void;
	/** Called with each valid `retry` value (milliseconds). */
	onRetry?: (retryMs: number) => void;
}

const LF = 10;
const SPACE = 32;
const COLON = 58;

export class SseDecoder {
	private textDecoder: InstanceType<typeof TextDecoder> | undefined;
	/** Pieces of the current unterminated line (kept as an array: no repeated concatenation). */
	private parts: string[] = [];
	/** The previous text ended with `\r`: a `\n` at the start of the next text belongs to it. */
	private skipLF = false;
	/** No text seen yet: a leading U+FEFF is still to be stripped. */
	private atStart = true;
	private data = '';
	private dataLines = 0;
	private eventType = '';
	private lastEventIdBuf = '';
	private retryMs: number | undefined;
	private pendingAtEnd = false;
	private readonly onComment: ((comment: string) => void) | undefined;
	private readonly onRetry: ((retryMs: number) => void) | undefined;
	/** Output array of the push() in progress. */
	private out: SseEvent[] = [];

	constructor(options: SseDecoderOptions = {}) {
		this.onComment = options.onComment;
		this.onRetry = options.onRetry;
	}

	/** Last valid `retry` value seen (milliseconds), if any. */
	get retry(): number | undefined {
		return this.retryMs;
	}

	/** The current last-event-ID buffer ("" if none). */
	get lastEventId(): string {
		return this.lastEventIdBuf;
	}

	/**
	 * Before end(): whether an unterminated line or an undispatched event is buffered.
	 * After end(): whether the stream ended with such leftovers (a cut-off stream).
	 */
	get hasPendingData(): boolean {
		if (this.pendingAtEnd) return true;
		return this.parts.length > 0 || this.dataLines > 0 || this.eventType !== '';
	}

	/** Feed one chunk; returns the events completed by this chunk (possibly empty). */
	push(chunk: Uint8Array | string): SseEvent[] {
		const out: SseEvent[] = [];
		this.out = out;
		this.pendingAtEnd = false;
		if (typeof chunk === 'string') {
			if (this.textDecoder !== undefined) {
				// Switching from bytes to text: flush any partial character first.
				const rest = this.textDecoder.decode();
				if (rest.length > 0) this.feedText(rest);
			}
			this.feedText(chunk);
		} else {
			let dec = this.textDecoder;
			if (dec === undefined) {
				// ignoreBOM: keep U+FEFF so the BOM rule is applied once, in feedText, for both input kinds.
				dec = this.textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
			}
			this.feedText(dec.decode(chunk, { stream: true }));
		}
		return out;
	}

	/**
	 * End of stream. Per spec an incomplete event at EOF is discarded, so this returns [];
	 * `hasPendingData` then tells whether anything was left over. Resets the decoder for a new
	 * stream (BOM, line and event buffers); the last event ID and `retry` are kept, as for a reconnection.
	 */
	end(): SseEvent[] {
		let pending = false;
		if (this.textDecoder !== undefined) {
			if (this.textDecoder.decode().length > 0) pending = true;
			this.textDecoder = undefined;
		}
		if (this.parts.length > 0 || this.dataLines > 0 || this.eventType !== '') pending = true;
		this.parts = [];
		this.skipLF = false;
		this.atStart = true;
		this.data = '';
		this.dataLines = 0;
		this.eventType = '';
		this.pendingAtEnd = pending;
		return [];
	}

	private feedText(s: string): void {
		const len = s.length;
		if (len === 0) return;
		let pos = 0;
		if (this.skipLF) {
			this.skipLF = false;
			if (s.charCodeAt(0) === LF) pos = 1;
		}
		if (this.atStart && pos < len) {
			this.atStart = false;
			if (s.charCodeAt(pos) === 0xfeff) pos++;
		}
		// Next LF / CR at or after pos; -1 = none left in s (never searched again).
		let lf = s.indexOf('\n', pos);
		let cr = s.indexOf('\r', pos);
		while (true) {
			if (lf !== -1 && lf < pos) lf = s.indexOf('\n', pos);
			if (cr !== -1 && cr < pos) cr = s.indexOf('\r', pos);
			let end: number;
			let next: number;
			if (cr === -1 || (lf !== -1 && lf < cr)) {
				if (lf === -1) break;
				end = lf;
				next = lf + 1;
			} else {
				end = cr;
				next = cr + 1;
				if (next === len) this.skipLF = true;
				else if (s.charCodeAt(next) === LF) next++;
			}
			if (this.parts.length === 0) {
				this.line(s, pos, end);
			} else {
				// The line started in an earlier chunk: join its pieces once.
				const parts = this.parts;
				if (end > pos) parts.push(s.slice(pos, end));
				const full = parts.length === 1 ? parts[0] : parts.join('');
				this.parts = [];
				this.line(full, 0, full.length);
			}
			pos = next;
		}
		if (pos < len) this.parts.push(pos === 0 ? s : s.slice(pos));
	}

	/** Process the line s[start, end) (without its line end). */
	private line(s: string, start: number, end: number): void {
		if (start === end) {
			this.dispatch();
			return;
		}
		const c0 = s.charCodeAt(start);
		// Fast path: "data:".
		if (
			c0 === 100 &&
			end - start >= 5 &&
			s.charCodeAt(start + 4) === COLON &&
			s.charCodeAt(start + 1) === 97 &&
			s.charCodeAt(start + 2) === 116 &&
			s.charCodeAt(start + 3) === 97
		) {
			let v = start + 5;
			if (v < end && s.charCodeAt(v) === SPACE) v++;
			this.appendData(s.slice(v, end));
			return;
		}
		if (c0 === COLON) {
			if (this.onComment !== undefined) {
				let v = start + 1;
				if (v < end && s.charCodeAt(v) === SPACE) v++;
				this.onComment(s.slice(v, end));
			}
			return;
		}
		let colon = start + 1;
		while (colon < end && s.charCodeAt(colon) !== COLON) colon++;
		let v = colon + 1;
		if (v < end && s.charCodeAt(v) === SPACE) v++;
		const value = v < end ? s.slice(v, end) : '';
		switch (colon - start) {
			case 4:
				if (s.startsWith('data', start)) this.appendData(value);
				break;
			case 5:
				if (s.startsWith('event', start)) {
					this.eventType = value;
				} else if (s.startsWith('retry', start)) {
					if (isAsciiDigits(value)) {
						this.retryMs = parseInt(value, 10);
						if (this.onRetry !== undefined) this.onRetry(this.retryMs);
					}
				}
				break;
			case 2:
				if (s.startsWith('id', start) && value.indexOf('\0') === -1) this.lastEventIdBuf = value;
				break;
		}
	}

	private appendData(value: string): void {
		if (this.dataLines === 0) this.data = value;
		else this.data = this.data + '\n' + value;
		this.dataLines++;
	}

	private dispatch(): void {
		if (this.dataLines === 0) {
			this.eventType = '';
			return;
		}
		const ev: SseEvent = {
			event: this.eventType === '' ? 'message' : this.eventType,
			data: this.data,
		};
		if (this.lastEventIdBuf !== '') ev.id = this.lastEventIdBuf;
		this.out.push(ev);
		this.data = '';
		this.dataLines = 0;
		this.eventType = '';
	}
}

function isAsciiDigits(s: string): boolean {
	if (s.length === 0) return false;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c < 48 || c > 57) return false;
	}
	return true;
}

/**
 * Decode an async iterable of chunks (e.g. the Node Readable returned by httpRequest with
 * `encoding: 'stream'`) into events. Pass your own `decoder` to read `decoder.hasPendingData`
 * after the loop (true = the stream was cut off mid-event); the generator's return value says
 * the same.
 */
export async function* decodeSseStream(
	source: AsyncIterable<Uint8Array | string>,
	decoder: SseDecoder = new SseDecoder(),
): AsyncGenerator<SseEvent, { hasPendingData: boolean }, undefined> {
	for await (const chunk of source) {
		const events = decoder.push(chunk);
		for (let i = 0; i < events.length; i++) yield events[i];
	}
	decoder.end();
	return { hasPendingData: decoder.hasPendingData };
}
