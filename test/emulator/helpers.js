'use strict';
// Small fetch helpers shared by the emulator tests.

/** Calls `em` with `key` (default: its default key, read at each call). */
function client(em, key) {
	const call = async (method, path, body, extraHeaders) => {
		const headers = {
			authorization: `Bearer ${key === undefined ? em.apiKey : key}`,
			'content-type': 'application/json',
		};
		const res = await fetch(em.url + path, {
			method,
			headers: { ...headers, ...(extraHeaders || {}) },
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		});
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: res.status, headers: res.headers, text, json };
	};
	return {
		get: (path, h) => call('GET', path, undefined, h),
		post: (path, body, h) => call('POST', path, body, h),
		chat: (body) =>
			call('POST', '/v1/inference/chat', { model: 'scailabs/poolnoodle-omni', ...body }),
	};
}

/** Parses an SSE body into [{event, data}] frames and comment lines. */
function parseSse(text) {
	const frames = [];
	for (const block of text.split('\n\n')) {
		if (block.trim() === '') continue;
		const frame = { event: 'message', data: [], comments: [] };
		for (const line of block.split('\n')) {
			if (line.startsWith(':')) frame.comments.push(line.slice(1).trim());
			else if (line.startsWith('event:')) frame.event = line.slice(6).trim();
			else if (line.startsWith('data:')) frame.data.push(line.slice(5).trim());
		}
		frame.data = frame.data.join('\n');
		frames.push(frame);
	}
	return frames;
}

const user = (content) => ({ messages: [{ role: 'user', content }] });

module.exports = { client, parseSse, user };
