/**
 * A value mapped into a text parameter (User Message, System Message, a Message List entry,
 * Append User Message) or returned by a tool → the text sent to the model.
 *
 * An expression such as `{{ $json.order }}` gives the node the object itself, and `String()` of
 * it is "[object Object]": a request that is paid for and useless. Objects and arrays are sent
 * as compact JSON instead: the model reads it as well as indented JSON, it costs fewer tokens,
 * and it is what n8n's own `getNodeParameter(..., { ensureType: 'string' })` produces. Numbers
 * and booleans are written as they are. A value whose JSON is a plain string (a Date, a luxon
 * DateTime such as `$now`) is sent as that string, without the quotes.
 */
export function asText(value: unknown): string {
	if (typeof value === 'string') return value;
	if (value === undefined || value === null) return '';
	if (typeof value === 'object') {
		const json = JSON.stringify(value);
		if (json === undefined) return String(value);
		return json.startsWith('"') ? (JSON.parse(json) as string) : json;
	}
	return String(value);
}

/** The words the text parameters' hints use, so the editor says what the node does. */
export const MAPPED_VALUE_HINT = 'An object or array mapped here is sent as JSON text';
