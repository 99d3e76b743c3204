/** Reading an answer's body, whatever form n8n's helper hands it over in (text, bytes, a stream). */

export async function readText(body: unknown): Promise<string> {
	if (typeof body === 'string') return body;
	if (body === undefined || body === null) return '';
	if (body instanceof ArrayBuffer || ArrayBuffer.isView(body))
		return asBuffer(body).toString('utf8');
	if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
		const parts: string[] = [];
		const decoder = new TextDecoder();
		for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
			parts.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
		}
		parts.push(decoder.decode());
		return parts.join('');
	}
	return JSON.stringify(body);
}

/** An `arraybuffer` answer's body as a Buffer (the helper gives a Buffer; an ArrayBuffer is accepted too). */
export function asBuffer(body: unknown): Buffer {
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	if (typeof body === 'string') return Buffer.from(body, 'utf8');
	return Buffer.alloc(0);
}

export function isJson(contentType: string): boolean {
	return /[/+]json\b/i.test(contentType);
}
