'use strict';
// POST /v1/inference/chat: validation, budget enforcement, the deterministic answer, plain or
// streamed (SSE), and the usage record of every served call. The OpenAI-compatible
// /oai/v1/chat/completions (oai.js) is the same call in another dialect: the answer without the
// envelope, no ScaiGrid-only stream events, usage in the stream only when asked for.

const { performance } = require('node:perf_hooks');
const { ApiError } = require('./errors');
const { requirePermission } = require('./keys');
const { validateChat } = require('./chat-validate');
const { respond } = require('./chat-model');
const { sendOk, sendBare, baseHeaders } = require('./envelope');

/** ScaiGrid's native shapes (docs §4). */
const NATIVE = {
	/** The answer as sent: the envelope around the completion, with `_meta`. */
	sendCompletion(ctx, completion, latencyMs) {
		sendOk(ctx, { ...completion, _meta: { request_id: ctx.requestId, latency_ms: latencyMs } });
	},
	/** A keep-alive comment and a persona event in every stream (tolerant clients are tested). */
	extraEvents: true,
	usageChunk: () => true,
	errorFrame: (code, message) => `event: error\ndata: ${JSON.stringify({ code, message })}\n\n`,
};

/** OpenAI's shapes for /oai/v1/chat/completions. */
const OPENAI = {
	sendCompletion(ctx, { id, created, model, choices, usage }) {
		sendBare(ctx, 200, {
			id,
			object: 'chat.completion',
			created,
			model,
			choices: choices.map((c) => ({ ...c, logprobs: null })),
			usage,
		});
	},
	extraEvents: false,
	/** OpenAI sends the usage chunk only with `stream_options: {include_usage: true}`. */
	usageChunk: (body) => !!(body.stream_options && body.stream_options.include_usage === true),
	/** OpenAI's mid-stream error: a data frame holding an error object. */
	errorFrame: (code, message) =>
		`data: ${JSON.stringify({ error: { message, type: 'server_error', code } })}\n\n`,
};

function chat(ctx, key, body, deps, dialect = NATIVE) {
	requirePermission(key, 'models:use');
	const model = validateChat(body, key);
	const blocked = deps.budgets.blocking(key);
	if (blocked) {
		throw new ApiError(
			'BUDGET_EXCEEDED',
			`Budget '${blocked.name}' (${blocked.id}) reached its hard limit for the current ${blocked.period} period`,
		);
	}
	const answer = respond(body);
	const created = Math.floor(deps.now().getTime() / 1000);
	const id = `chatcmpl-${ctx.requestId.slice(4)}`;
	const record = () =>
		deps.store.add({
			model: model.slug,
			backend_id: model._backend,
			user_id: key.userId,
			tenant_id: key.tenantId,
			partner_id: key.partnerId,
			tokens_in: answer.usage.prompt_tokens,
			tokens_out: answer.usage.completion_tokens,
			latency_ms: Math.round(performance.now() - ctx.startedAt),
			created_at: deps.now(),
			request_id: ctx.requestId,
		});

	if (body.stream === true) {
		const fault = deps.faults.take(ctx.path, 'stream');
		return stream(ctx, {
			id,
			created,
			model: model.slug,
			answer,
			fault,
			onComplete: record,
			pacingMs: deps.streamPacing ? deps.streamPacing() : 0,
			dialect,
			withUsage: dialect.usageChunk(body),
		});
	}
	const message = { role: 'assistant', content: answer.content };
	if (answer.toolCalls.length) message.tool_calls = answer.toolCalls;
	const rec = record();
	dialect.sendCompletion(
		ctx,
		{
			id,
			model: model.slug,
			created,
			choices: [{ index: 0, message, finish_reason: answer.finishReason }],
			usage: answer.usage,
		},
		rec.latency_ms,
	);
	return undefined;
}

function splitFragments(text, parts) {
	if (text.length <= 1) return [text];
	const size = Math.ceil(text.length / parts);
	const out = [];
	for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
	return out;
}

/** The delta chunks of an answer, without finish/usage. */
function deltaChunks(answer) {
	const deltas = [];
	if (answer.toolCalls.length) {
		answer.toolCalls.forEach((c, index) => {
			const head = {
				index,
				id: c.id,
				type: 'function',
				function: { name: c.function.name, arguments: '' },
			};
			deltas.push(
				index === 0
					? { role: 'assistant', content: null, tool_calls: [head] }
					: { tool_calls: [head] },
			);
			for (const frag of splitFragments(c.function.arguments, 3))
				deltas.push({ tool_calls: [{ index, function: { arguments: frag } }] });
		});
	} else {
		const words = answer.content === '' ? [''] : answer.content.split(/(?<=\s)(?=\S)/);
		words.forEach((w, i) =>
			deltas.push(i === 0 ? { role: 'assistant', content: w } : { content: w }),
		);
	}
	return deltas;
}

function stream(
	ctx,
	{ id, created, model, answer, fault, onComplete, pacingMs, dialect, withUsage },
) {
	const { res } = ctx;
	if (ctx.logEntry) ctx.logEntry.status = 200;
	const headers = baseHeaders(ctx, 'text/event-stream');
	headers['Cache-Control'] = 'no-cache';
	res.writeHead(200, headers);
	const data = (obj) => `data: ${JSON.stringify(obj)}\n\n`;
	const chunk = (choices, extra) =>
		data({ id, object: 'chat.completion.chunk', model, created, choices, ...extra });
	const errorFrame = (code) => dialect.errorFrame(code, fault.message || 'upstream failed');
	const done = 'data: [DONE]\n\n';

	const content = deltaChunks(answer).map((delta) => chunk([{ index: 0, delta }]));
	// One keep-alive comment and one unknown event per stream exercise tolerant SSE clients.
	const frames = [];
	content.forEach((f, i) => {
		frames.push(f);
		if (!dialect.extraEvents) return;
		if (i === 0) frames.push(': keep-alive\n\n');
		if (i === Math.min(1, content.length - 1))
			frames.push(
				`event: persona_status\ndata: ${JSON.stringify({ status: 'generating', model })}\n\n`,
			);
	});
	const half = frames.slice(0, Math.max(1, Math.ceil(frames.length / 2)));
	const kind = fault && fault.fault;
	const code = (fault && fault.code) || 'BACKEND_ERROR';

	if (kind === 'streamErrorFirst') return res.end(errorFrame(code) + done);
	if (kind === 'streamErrorMidway') return res.end(half.join('') + errorFrame(code) + done);
	if (kind === 'streamNoDone') return res.end(frames.join(''));
	if (kind === 'streamCut') {
		res.write(half.join(''), () => setImmediate(() => res.socket && res.socket.destroy()));
		return undefined;
	}
	frames.push(chunk([{ index: 0, delta: {}, finish_reason: answer.finishReason }]));
	if (withUsage) frames.push(chunk([], { usage: answer.usage }));
	frames.push(done);
	onComplete();
	if (pacingMs > 0) return void paced(ctx, frames, pacingMs);
	res.end(frames.join(''));
	return undefined;
}

/**
 * Stream pacing (`setStreamPacing(ms)`): one frame per write, `ms` apart, so a client can be
 * watched reading (and cancelling) a stream in progress. The log entry records each write
 * (`streamWrites: [{at, frame}]`, `at` = performance.now() of this process) and how the stream
 * ended: `streamEnd` 'complete', or 'client-closed' when the client hung up before the end.
 */
async function paced(ctx, frames, pacingMs) {
	const { res } = ctx;
	const log = ctx.logEntry || {};
	log.streamWrites = [];
	let closed = false;
	res.on('close', () => {
		closed = true;
		if (!res.writableFinished) log.streamEnd = 'client-closed';
	});
	for (let i = 0; i < frames.length; i++) {
		if (i > 0) await ctx.delay(pacingMs);
		if (closed) return;
		log.streamWrites.push({ at: performance.now(), frame: frames[i] });
		if (i === frames.length - 1) res.end(frames[i]);
		else res.write(frames[i]);
	}
	res.once('finish', () => {
		log.streamEnd = 'complete';
	});
}

module.exports = { chat, NATIVE, OPENAI };
