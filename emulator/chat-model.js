'use strict';
// The deterministic "model": its answer is a pure function of the request body, so tests can
// see exactly what the client sent. Directives in the last user message steer it (README.md).

const { IMAGE_PARTS, AUDIO_PARTS } = require('./chat-validate');
const { countWords, promptTokens, toolCallTokens } = require('./tokens');

function textOf(content) {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content.filter((p) => p && p.type === 'text').map((p) => p.text).join(' ');
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
 */
function parseToolDirectives(text) {
	const out = [];
	const re = /\[\[tool(!?):([A-Za-z0-9_.\-]+)/g;
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

function decideToolCalls(body, lastUserText, firstId = 1) {
	const tools = Array.isArray(body.tools) ? body.tools.map((t) => t.function.name) : [];
	const choice = body.tool_choice;
	if (!tools.length || choice === 'none') return [];
	const directives = parseToolDirectives(lastUserText).filter((d) => d.forced || tools.includes(d.name));
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
	return calls.map((c, i) => ({ id: `call_${i + firstId}`, type: 'function', function: { name: c.name, arguments: c.args } }));
}

function toolResultsAnswer(messages) {
	const lastAssistant = lastIndexOfRole(messages, 'assistant');
	const names = new Map();
	if (lastAssistant >= 0 && Array.isArray(messages[lastAssistant].tool_calls)) {
		for (const c of messages[lastAssistant].tool_calls) if (c && c.id && c.function) names.set(c.id, c.function.name);
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
	// [[repeat_tools]]: after tool results the model calls the tools again (new call IDs) instead of answering.
	const repeat = last.role === 'tool' && /\[\[repeat_tools\]\]/.test(lastUserText);
	if (last.role === 'tool' && !repeat) {
		content = toolResultsAnswer(messages);
	} else {
		const answered = messages.filter((m) => m.role === 'tool').length;
		toolCalls = last.role === 'user' || repeat ? decideToolCalls(body, lastUserText, answered + 1) : [];
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
			if (images || audio) content += ` [${images} image${images === 1 ? '' : 's'}, ${audio} audio]`;
		}
	}

	let completion;
	if (toolCalls.length) {
		completion = toolCalls.reduce((n, c) => n + toolCallTokens(c.function.name, c.function.arguments), 0);
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
		usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
	};
}

module.exports = { respond, parseToolDirectives, textOf };
