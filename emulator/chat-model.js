'use strict';
// The deterministic "model": its answer is a pure function of the request body, so tests can
// see exactly what the client sent. Directives in the last user message steer it (README.md).

const { IMAGE_PARTS, AUDIO_PARTS } = require('./chat-validate');
const { countWords, promptTokens, toolCallTokens } = require('./tokens');

function textOf(content) {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content
		.filter((p) => p && p.type === 'text')
		.map((p) => p.text)
		.join(' ');
}

function mediaCount(content) {
	let images = 0;
	let audio = 0;
	if (Array.isArray(content)) {
		for (const p of content) {
			if (p && IMAGE_PARTS.has(p.type)) images++;
			if (p && AUDIO_PARTS.has(p.type)) audio++;
		}
	}
	return { images, audio };
}

/**
 * Finds `[[tool:NAME {json}]]` / `[[tool:NAME raw:text]]` / `[[tool:NAME]]` in order;
 * `[[tool!:NAME ...]]` is a call the model makes even when NAME is not in `tools` (hallucinated).
 * `keyword` 'then' reads `[[then:NAME ...]]` the same way.
 */
function parseToolDirectives(text, keyword = 'tool') {
	const out = [];
	const re = new RegExp(`\\[\\[${keyword}(!?):([A-Za-z0-9_.\\-]+)`, 'g');
	let m;
	while ((m = re.exec(text))) {
		const name = m[2];
		const forced = m[1] === '!';
		let rest = text.slice(re.lastIndex);
		if (rest.startsWith(']]')) {
			out.push({ name, args: '{}', forced });
			continue;
		}
		if (!/^\s/.test(rest)) continue;
		const lead = rest.length - rest.trimStart().length;
		rest = rest.slice(lead);
		if (rest.startsWith('raw:')) {
			const end = rest.indexOf(']]');
			if (end < 0) continue;
			out.push({ name, args: rest.slice(4, end), forced });
			re.lastIndex += lead + end + 2;
			continue;
		}
		// JSON may itself contain "]]": take the first "]]" that closes a parseable value.
		let end = rest.indexOf(']]');
		while (end >= 0) {
			try {
				const parsed = JSON.parse(rest.slice(0, end));
				out.push({ name, args: JSON.stringify(parsed), forced });
				re.lastIndex += lead + end + 2;
				break;
			} catch {
				end = rest.indexOf(']]', end + 1);
			}
		}
	}
	return out;
}

function lastIndexOfRole(messages, role) {
	for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === role) return i;
	return -1;
}

/**
 * A value that fits `schema`, built deterministically: `const`, else the first `enum` value,
 * else by type (string "example" padded to minLength, number/integer its minimum or 1, boolean
 * true, array one item or minItems, object every property). `anyOf`/`oneOf` take the first
 * form. `pattern` and `format` are not honoured.
 */
function exampleFor(schema, depth = 0) {
	if (!schema || typeof schema !== 'object' || depth > 8) return null;
	if ('const' in schema) return schema.const;
	if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
	const forms = schema.anyOf || schema.oneOf;
	if (Array.isArray(forms) && forms.length) return exampleFor(forms[0], depth + 1);
	const types = Array.isArray(schema.type)
		? schema.type.filter((t) => t !== 'null')
		: [schema.type];
	const type = types[0] || (schema.properties ? 'object' : schema.items ? 'array' : 'string');
	switch (type) {
		case 'string':
			return 'example'.padEnd(Number.isInteger(schema.minLength) ? schema.minLength : 0, 'x');
		case 'number':
		case 'integer':
			return typeof schema.minimum === 'number'
				? type === 'integer'
					? Math.ceil(schema.minimum)
					: schema.minimum
				: 1;
		case 'boolean':
			return true;
		case 'null':
			return null;
		case 'array':
			return Array.from(
				{ length: Math.max(1, Number.isInteger(schema.minItems) ? schema.minItems : 1) },
				() => exampleFor(schema.items, depth + 1),
			);
		case 'object': {
			const out = {};
			const props =
				schema.properties && typeof schema.properties === 'object' ? schema.properties : {};
			for (const [key, child] of Object.entries(props)) out[key] = exampleFor(child, depth + 1);
			return out;
		}
		default:
			return null;
	}
}

function toolSchema(body, name) {
	const tool = (Array.isArray(body.tools) ? body.tools : []).find((t) => t.function.name === name);
	return tool && tool.function.parameters
		? tool.function.parameters
		: { type: 'object', properties: {} };
}

/**
 * tool_choice naming a function forces that call on every turn, after tool messages too. The
 * directives come from the latest user message that has any; the k-th assistant turn after it
 * (attempt k) uses the k-th `[[tool:NAME ...]]` for the forced tool, the last one when there are
 * fewer, and a value built from the tool's schema when there is none. `[[ignore_tool_choice]]`
 * makes attempt 1 a text answer, as backends that ignore tool_choice do; `[[tool!:OTHER ...]]`
 * makes attempt 1 a call to OTHER instead.
 * → { text } or { call: {name, args} }
 */
function forcedAnswer(body, name) {
	const messages = body.messages;
	let source = -1;
	for (let i = messages.length - 1; i >= 0; i--) {
		if (messages[i].role === 'user' && textOf(messages[i].content).includes('[[')) {
			source = i;
			break;
		}
	}
	if (source < 0) source = lastIndexOfRole(messages, 'user');
	const text = source >= 0 ? textOf(messages[source].content) : '';
	const attempt = 1 + messages.slice(source + 1).filter((m) => m.role === 'assistant').length;
	if (attempt === 1 && /\[\[ignore_tool_choice\]\]/.test(text)) return { text: `Echo: ${text}` };
	const directives = parseToolDirectives(text);
	const rogue = directives.find((d) => d.forced && d.name !== name);
	if (attempt === 1 && rogue) return { call: { name: rogue.name, args: rogue.args } };
	const own = directives.filter((d) => d.name === name);
	if (own.length) return { call: { name, args: own[Math.min(attempt, own.length) - 1].args } };
	return { call: { name, args: JSON.stringify(exampleFor(toolSchema(body, name))) } };
}

function decideToolCalls(body, lastUserText, firstId = 1) {
	const tools = Array.isArray(body.tools) ? body.tools.map((t) => t.function.name) : [];
	const choice = body.tool_choice;
	if (!tools.length || choice === 'none') return [];
	const directives = parseToolDirectives(lastUserText).filter(
		(d) => d.forced || tools.includes(d.name),
	);
	let calls;
	if (choice && typeof choice === 'object') {
		const name = choice.function.name;
		const d = directives.find((x) => x.name === name);
		calls = [{ name, args: d ? d.args : '{}' }];
	} else if (directives.length) {
		calls = directives;
	} else if (choice === 'required') {
		calls = [{ name: tools[0], args: '{}' }];
	} else {
		calls = [];
	}
	return calls.map((c, i) => ({
		id: `call_${i + firstId}`,
		type: 'function',
		function: { name: c.name, arguments: c.args },
	}));
}

function toolResultsAnswer(messages) {
	const lastAssistant = lastIndexOfRole(messages, 'assistant');
	const names = new Map();
	if (lastAssistant >= 0 && Array.isArray(messages[lastAssistant].tool_calls)) {
		for (const c of messages[lastAssistant].tool_calls)
			if (c && c.id && c.function) names.set(c.id, c.function.name);
	}
	const parts = [];
	for (let i = lastAssistant + 1; i < messages.length; i++) {
		const msg = messages[i];
		if (msg.role !== 'tool') continue;
		const name = names.get(msg.tool_call_id) || msg.name || msg.tool_call_id;
		parts.push(`${name}=${textOf(msg.content)}`);
	}
	return `Final answer using: ${parts.join('; ')}`;
}

function dump(body) {
	return JSON.stringify({
		model: body.model,
		messages: body.messages,
		temperature: body.temperature,
		top_p: body.top_p,
		max_tokens: body.max_tokens,
		stop: body.stop,
		seed: body.seed,
		tools: Array.isArray(body.tools) ? body.tools.map((t) => t.function.name) : undefined,
		tool_choice: body.tool_choice,
		metadata: body.metadata,
	});
}

function applyStop(text, stop) {
	const stops = typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop : [];
	let cut = -1;
	for (const s of stops) {
		if (!s) continue;
		const i = text.indexOf(s);
		if (i >= 0 && (cut < 0 || i < cut)) cut = i;
	}
	return cut >= 0 ? text.slice(0, cut) : text;
}

/** → {content, toolCalls, finishReason, usage} */
function respond(body) {
	const messages = body.messages;
	const last = messages[messages.length - 1];
	const userIdx = lastIndexOfRole(messages, 'user');
	const lastUser = userIdx >= 0 ? messages[userIdx] : null;
	const lastUserText = lastUser ? textOf(lastUser.content) : '';
	const prompt = promptTokens(messages, body.tools);

	let toolCalls = [];
	let finishReason = 'stop';
	let content;
	const choice = body.tool_choice;
	const answered = messages.filter((m) => m.role === 'tool').length;
	const toCalls = (calls) =>
		calls.map((c, i) => ({
			id: `call_${i + answered + 1}`,
			type: 'function',
			function: { name: c.name, arguments: c.args },
		}));
	// After tool results, tool_choice "required" calls the tools of [[then:NAME ...]] (if any).
	const then =
		last.role === 'tool' && choice === 'required' && Array.isArray(body.tools)
			? parseToolDirectives(lastUserText, 'then')
			: [];
	if (choice && typeof choice === 'object' && Array.isArray(body.tools) && body.tools.length) {
		const forced = forcedAnswer(body, choice.function.name);
		if (forced.call) toolCalls = toCalls([forced.call]);
		else content = forced.text;
	} else if (then.length) {
		toolCalls = toCalls(then);
	}
	// [[repeat_tools]]: after tool results the model calls the tools again (new call IDs) instead of answering.
	const repeat = last.role === 'tool' && /\[\[repeat_tools\]\]/.test(lastUserText);
	if (toolCalls.length) {
		content = null;
		finishReason = 'tool_calls';
	} else if (content !== undefined) {
		// a forced tool_choice answered in text ([[ignore_tool_choice]])
	} else if (last.role === 'tool' && !repeat) {
		content = toolResultsAnswer(messages);
	} else {
		toolCalls =
			last.role === 'user' || repeat ? decideToolCalls(body, lastUserText, answered + 1) : [];
		const reply = /\[\[reply:([\s\S]*?)\]\]/.exec(lastUserText);
		if (toolCalls.length) {
			content = null;
			finishReason = 'tool_calls';
		} else if (/\[\[content_filter\]\]/.test(lastUserText)) {
			content = '[filtered]';
			finishReason = 'content_filter';
		} else if (/\[\[dump\]\]/.test(lastUserText)) {
			content = dump(body);
		} else if (reply) {
			content = reply[1];
		} else {
			const { images, audio } = mediaCount(lastUser ? lastUser.content : null);
			content = `Echo: ${lastUserText}`;
			if (images || audio)
				content += ` [${images} image${images === 1 ? '' : 's'}, ${audio} audio]`;
		}
	}

	let completion;
	if (toolCalls.length) {
		completion = toolCalls.reduce(
			(n, c) => n + toolCallTokens(c.function.name, c.function.arguments),
			0,
		);
	} else {
		if (finishReason === 'stop') content = applyStop(content, body.stop);
		const words = content.trim() === '' ? [] : content.trim().split(/\s+/);
		if (Number.isInteger(body.max_tokens) && words.length > body.max_tokens) {
			content = words.slice(0, body.max_tokens).join(' ');
			finishReason = 'length';
		}
		completion = countWords(content);
	}
	return {
		content,
		toolCalls,
		finishReason,
		usage: {
			prompt_tokens: prompt,
			completion_tokens: completion,
			total_tokens: prompt + completion,
		},
	};
}

module.exports = { respond, parseToolDirectives, textOf, exampleFor };
