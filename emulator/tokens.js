'use strict';
// A deliberately simple tokenizer: tests can predict counts by hand.
// One token per whitespace-separated word; 4 tokens overhead per message;
// 85 per image part, 50 per audio part; 10 per tool definition; tool calls see toolCallTokens.

const MESSAGE_OVERHEAD = 4;
const IMAGE_TOKENS = 85;
const AUDIO_TOKENS = 50;
const TOOL_TOKENS = 10;

function countWords(text) {
	if (typeof text !== 'string') return 0;
	const trimmed = text.trim();
	return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

function contentTokens(content) {
	if (typeof content === 'string') return countWords(content);
	if (!Array.isArray(content)) return 0;
	let n = 0;
	for (const part of content) {
		if (!part) continue;
		if (part.type === 'text') n += countWords(part.text);
		else if (part.type === 'image_url' || part.type === 'image_base64') n += IMAGE_TOKENS;
		else if (part.type === 'audio_url' || part.type === 'audio_base64') n += AUDIO_TOKENS;
	}
	return n;
}

function promptTokens(messages, tools) {
	let n = 0;
	for (const m of messages) {
		n += MESSAGE_OVERHEAD + contentTokens(m.content);
		if (Array.isArray(m.tool_calls)) {
			for (const c of m.tool_calls)
				n += toolCallTokens(c.function && c.function.name, c.function && c.function.arguments);
		}
	}
	if (Array.isArray(tools)) n += TOOL_TOKENS * tools.length;
	return n;
}

// A tool call costs 1 token for the name plus one per 4 characters of its arguments string.
function toolCallTokens(name, args) {
	return 1 + Math.max(1, Math.ceil((typeof args === 'string' ? args.length : 0) / 4));
}

module.exports = {
	countWords,
	contentTokens,
	promptTokens,
	toolCallTokens,
	MESSAGE_OVERHEAD,
	IMAGE_TOKENS,
	AUDIO_TOKENS,
	TOOL_TOKENS,
};
