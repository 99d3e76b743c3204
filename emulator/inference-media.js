'use strict';
// The other inference endpoints (contract section 7): embeddings, image generation, audio
// transcription (multipart) and speech synthesis (raw audio bytes). Each checks `models:use`,
// the model's modality, the budget, and records its usage like chat does.

const { performance } = require('node:perf_hooks');
const { ApiError, validation } = require('./errors');
const { requirePermission } = require('./keys');
const { findModel } = require('./models');
const { countWords } = require('./tokens');
const { sendOk, sendRaw } = require('./envelope');
const { parseMultipart, isMultipart } = require('./multipart');
const media = require('./media');

/** Texts per embedding request (the docs: "most models take over 1,000"). */
const MAX_EMBED_INPUTS = 2048;
/** Largest audio upload (ours: OpenAI's 25 MB). */
const MAX_AUDIO_BYTES = 25 * 1024 * 1024;
const AUDIO_FORMATS = 'flac, m4a, mp3, mp4, mpeg, mpga, oga, ogg, wav, webm';
const MAX_SPEECH_CHARS = 4096;
const VOICES = ['alloy', 'echo', 'fable', 'onyx', 'nova', 'shimmer'];

function isObject(v) {
	return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The model of a request: present, of the modality (and capability), enabled, healthy. */
function requireModel(slug, modality, capability) {
	if (slug === undefined || slug === null || slug === '')
		throw validation({ field: 'model', message: 'is required' });
	if (typeof slug !== 'string') throw validation({ field: 'model', message: 'must be a string' });
	const model = findModel(slug);
	if (!model) throw new ApiError('MODEL_NOT_FOUND', `Model '${slug}' not found`);
	if (model.modality !== modality || (capability && !model.capabilities.includes(capability))) {
		throw validation({
			field: 'model',
			message: `'${slug}' is a ${model.modality} model without ${capability || modality}; pick one from GET /v1/models?modality=${modality}`,
		});
	}
	if (model.active_backend_count === 0)
		throw new ApiError('MODEL_UNAVAILABLE', `Model '${slug}' has no healthy backend`, {
			retryAfter: 30,
		});
	return model;
}

function begin(ctx, key, deps) {
	requirePermission(key, 'models:use');
	const blocked = deps.budgets.blocking(key);
	if (blocked) {
		throw new ApiError(
			'BUDGET_EXCEEDED',
			`Budget '${blocked.name}' (${blocked.id}) reached its hard limit for the current ${blocked.period} period`,
		);
	}
}

function record(ctx, key, deps, model, tokensIn, tokensOut) {
	return deps.store.add({
		model: model.slug,
		backend_id: model._backend,
		user_id: key.userId,
		tenant_id: key.tenantId,
		partner_id: key.partnerId,
		tokens_in: tokensIn,
		tokens_out: tokensOut,
		latency_ms: Math.round(performance.now() - ctx.startedAt),
		created_at: deps.now(),
		request_id: ctx.requestId,
	});
}

// ---- Embeddings ----------------------------------------------------------------------------

/** FNV-1a, 32 bit. */
function fnv(text, seed) {
	let h = seed >>> 0;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 16777619) >>> 0;
	}
	return h;
}

/**
 * A deterministic unit vector of `dimensions` from the text's words (feature hashing): texts that
 * share words point in similar directions, so nearest-neighbour searches give sensible answers.
 */
function embedText(text, dimensions, modelSlug) {
	const vector = new Float64Array(dimensions);
	const seed = fnv(modelSlug, 2166136261);
	const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) || [text];
	for (const word of words) {
		for (let k = 0; k < 3; k++) {
			const h = fnv(`${k}:${word}`, seed);
			vector[h % dimensions] += h & 0x80000000 ? -1 : 1;
		}
	}
	// A faint text-specific component, so different texts never share a vector exactly.
	const h = fnv(text, seed ^ 0x9e3779b9);
	vector[h % dimensions] += 0.01;
	let norm = 0;
	for (const v of vector) norm += v * v;
	norm = Math.sqrt(norm) || 1;
	return Array.from(vector, (v) => Math.round((v / norm) * 1e6) / 1e6);
}

function embed(ctx, key, body, deps) {
	begin(ctx, key, deps);
	if (!isObject(body)) throw validation({ field: 'body', message: 'must be a JSON object' });
	const model = requireModel(body.model, 'embedding');
	const inputs = typeof body.input === 'string' ? [body.input] : body.input;
	if (!Array.isArray(inputs) || inputs.length === 0)
		throw validation({
			field: 'input',
			message: 'must be a string or a non-empty array of strings',
		});
	if (inputs.length > MAX_EMBED_INPUTS)
		throw validation({
			field: 'input',
			message: `at most ${MAX_EMBED_INPUTS} texts per request, got ${inputs.length}`,
		});
	const native = model._dimensions;
	let dimensions = native;
	if (body.dimensions !== undefined && body.dimensions !== null) {
		if (!Number.isInteger(body.dimensions) || body.dimensions < 1 || body.dimensions > native) {
			throw validation({
				field: 'dimensions',
				message: `must be an integer from 1 to ${native} for ${model.slug}`,
			});
		}
		if (!model.capabilities.includes('dimensions'))
			throw validation({
				field: 'dimensions',
				message: `${model.slug} does not support choosing dimensions`,
			});
		dimensions = body.dimensions;
	}
	const details = [];
	const tokens = inputs.map((text, i) => {
		if (typeof text !== 'string')
			details.push({ field: `input[${i}]`, message: 'must be a string' });
		else if (text.trim() === '') details.push({ field: `input[${i}]`, message: 'is empty' });
		else {
			const n = countWords(text);
			if (n > model.context_window)
				details.push({
					field: `input[${i}]`,
					message: `has ${n} tokens, above the ${model.context_window} tokens ${model.slug} takes`,
				});
			return n;
		}
		return 0;
	});
	if (details.length) throw validation(details);
	const promptTokens = tokens.reduce((a, b) => a + b, 0);
	record(ctx, key, deps, model, promptTokens, 0);
	sendOk(ctx, {
		object: 'list',
		model: model.slug,
		data: inputs.map((text, index) => ({
			object: 'embedding',
			index,
			embedding: embedText(text, dimensions, model.slug),
		})),
		usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
	});
}

// ---- Images --------------------------------------------------------------------------------

function imageUrl(ctx, seed) {
	const host = ctx.req.headers.host || '127.0.0.1';
	const expires = Math.floor(Date.now() / 1000) + 3600;
	return `http://${host}/media/${Buffer.from(seed).toString('base64url')}.png?expires=${expires}`;
}

function generateImages(ctx, key, body, deps) {
	begin(ctx, key, deps);
	if (!isObject(body)) throw validation({ field: 'body', message: 'must be a JSON object' });
	const model = requireModel(body.model, 'image');
	const details = [];
	if (typeof body.prompt !== 'string' || body.prompt.trim() === '')
		details.push({ field: 'prompt', message: 'is required' });
	else if (countWords(body.prompt) > model.context_window)
		details.push({
			field: 'prompt',
			message: `is longer than the ${model.context_window} tokens ${model.slug} takes`,
		});
	const n = body.n === undefined || body.n === null ? 1 : body.n;
	if (!Number.isInteger(n) || n < 1 || n > model._maxImages)
		details.push({
			field: 'n',
			message: `must be an integer from 1 to ${model._maxImages} for ${model.slug}`,
		});
	const size = body.size || model._sizes[0];
	if (!model._sizes.includes(size))
		details.push({
			field: 'size',
			message: `must be one of ${model._sizes.join(', ')} for ${model.slug}`,
		});
	if (
		body.quality !== undefined &&
		body.quality !== null &&
		!['standard', 'hd'].includes(body.quality)
	)
		details.push({ field: 'quality', message: 'must be standard or hd' });
	if (body.style !== undefined && body.style !== null && !['vivid', 'natural'].includes(body.style))
		details.push({ field: 'style', message: 'must be vivid or natural' });
	const format = body.response_format || 'url';
	if (!['url', 'b64_json'].includes(format))
		details.push({ field: 'response_format', message: 'must be url or b64_json' });
	if (details.length) throw validation(details);
	const [w, h] = size.split('x').map(Number);
	const imageTokens = Math.round((w * h) / 1000) * (body.quality === 'hd' ? 2 : 1);
	const usage = { prompt_tokens: countWords(body.prompt), completion_tokens: n * imageTokens };
	usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
	record(ctx, key, deps, model, usage.prompt_tokens, usage.completion_tokens);
	const revise = model.capabilities.includes('revised_prompt');
	const data = Array.from({ length: n }, (_, i) => {
		const seed = `${model.slug}|${size}|${body.quality || ''}|${body.style || ''}|${body.prompt}|${i}`;
		const image =
			format === 'url'
				? { url: imageUrl(ctx, seed) }
				: { b64_json: media.makePng(seed).toString('base64') };
		if (revise)
			image.revised_prompt = `${body.prompt.trim()}, ${body.style === 'natural' ? 'natural light' : 'vivid colours'}, detailed`;
		return image;
	});
	sendOk(ctx, { created: Math.floor(deps.now().getTime() / 1000), model: model.slug, data, usage });
}

/** GET /media/<seed>.png: the media proxy an image URL points at (no auth; the link is the secret). */
function mediaFile(res, path) {
	const m = /^\/media\/([A-Za-z0-9_-]+)\.png$/.exec(path);
	if (!m) {
		res.writeHead(404, { 'Content-Type': 'text/plain' });
		return res.end('not found');
	}
	const png = media.makePng(Buffer.from(m[1], 'base64url').toString('utf8'));
	res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length });
	return res.end(png);
}

// ---- Audio ---------------------------------------------------------------------------------

function timestamp(seconds, separator) {
	const ms = Math.round(seconds * 1000);
	const pad = (n, w = 2) => String(n).padStart(w, '0');
	return `${pad(Math.floor(ms / 3600000))}:${pad(Math.floor(ms / 60000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${separator}${pad(ms % 1000, 3)}`;
}

function transcribe(ctx, key, deps) {
	begin(ctx, key, deps);
	const contentType = ctx.req.headers['content-type'];
	if (!isMultipart(contentType))
		throw validation({
			field: 'body',
			message: 'must be multipart/form-data with the audio in "file"',
		});
	const { fields, files } = parseMultipart(ctx.rawBody || Buffer.alloc(0), contentType);
	if (ctx.logEntry) {
		const file = files.file && {
			filename: files.file.filename,
			contentType: files.file.contentType,
			bytes: files.file.data.length,
		};
		ctx.logEntry.body = { ...fields, file };
	}
	const model = requireModel(fields.model, 'audio', 'transcription');
	const file = files.file;
	if (!file || file.data.length === 0)
		throw validation({ field: 'file', message: 'is required: the audio file' });
	if (file.data.length > MAX_AUDIO_BYTES)
		throw validation({
			field: 'file',
			message: `is ${file.data.length} bytes, above the ${MAX_AUDIO_BYTES} bytes (25 MB) limit`,
		});
	const details = [];
	const format = fields.response_format || 'json';
	if (!['json', 'text', 'srt', 'verbose_json', 'vtt'].includes(format))
		details.push({
			field: 'response_format',
			message: 'must be json, text, srt, verbose_json or vtt',
		});
	if (fields.temperature !== undefined) {
		const t = Number(fields.temperature);
		if (!Number.isFinite(t) || t < 0 || t > 1)
			details.push({ field: 'temperature', message: 'must be a number from 0 to 1' });
	}
	if (fields.language !== undefined && !/^[a-z]{2}$/.test(fields.language))
		details.push({ field: 'language', message: 'must be an ISO-639-1 code such as en' });
	const heard = media.hear(file.data);
	if (!heard)
		details.push({
			field: 'file',
			message: `is not audio in a supported format (${AUDIO_FORMATS})`,
		});
	if (details.length) throw validation(details);

	const text = heard.text;
	const seconds = heard.seconds;
	const usage = {
		prompt_tokens: Math.max(1, Math.ceil(seconds * 10)),
		completion_tokens: countWords(text),
	};
	usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
	record(ctx, key, deps, model, usage.prompt_tokens, usage.completion_tokens);
	const language = fields.language || 'en';
	const granularities = Object.keys(fields)
		.filter((k) => k.startsWith('timestamp_granularities'))
		.map((k) => fields[k]);
	const words = text.split(/\s+/).filter(Boolean);
	if (format === 'text') return sendRaw(ctx, 200, 'text/plain; charset=utf-8', `${text}\n`);
	if (format === 'srt')
		return sendRaw(
			ctx,
			200,
			'application/x-subrip; charset=utf-8',
			`1\n${timestamp(0, ',')} --> ${timestamp(seconds, ',')}\n${text}\n`,
		);
	if (format === 'vtt')
		return sendRaw(
			ctx,
			200,
			'text/vtt; charset=utf-8',
			`WEBVTT\n\n${timestamp(0, '.')} --> ${timestamp(seconds, '.')}\n${text}\n`,
		);
	const data = { text, language, usage };
	if (format === 'verbose_json') {
		data.duration = seconds;
		if (granularities.length === 0 || granularities.includes('segment'))
			data.segments = [{ id: 0, start: 0, end: seconds, text }];
		if (granularities.includes('word')) {
			const step = seconds / Math.max(1, words.length);
			data.words = words.map((word, i) => ({
				word,
				start: Math.round(i * step * 1000) / 1000,
				end: Math.round((i + 1) * step * 1000) / 1000,
			}));
		}
	}
	return sendOk(ctx, data);
}

function synthesize(ctx, key, body, deps) {
	begin(ctx, key, deps);
	if (!isObject(body)) throw validation({ field: 'body', message: 'must be a JSON object' });
	const model = requireModel(body.model, 'audio', 'speech');
	const details = [];
	if (typeof body.input !== 'string' || body.input.trim() === '')
		details.push({ field: 'input', message: 'is required: the text to speak' });
	else if (body.input.length > MAX_SPEECH_CHARS)
		details.push({
			field: 'input',
			message: `is ${body.input.length} characters, above ${MAX_SPEECH_CHARS}`,
		});
	const voice = body.voice || 'alloy';
	if (!VOICES.includes(voice))
		details.push({ field: 'voice', message: `must be one of ${VOICES.join(', ')}` });
	const format = body.response_format || 'mp3';
	if (['opus', 'aac', 'flac'].includes(format))
		details.push({
			field: 'response_format',
			message: `${format} is valid for ScaiGrid, but this emulator synthesises mp3, wav and pcm only`,
		});
	else if (!media.SPEECH_FORMATS[format])
		details.push({ field: 'response_format', message: 'must be mp3, opus, aac, flac, wav or pcm' });
	const speed = body.speed === undefined || body.speed === null ? 1 : body.speed;
	if (typeof speed !== 'number' || !(speed >= 0.25 && speed <= 4))
		details.push({ field: 'speed', message: 'must be a number from 0.25 to 4' });
	if (details.length) throw validation(details);
	const seconds = Math.min(10, Math.max(0.1, (countWords(body.input) * 0.3) / speed));
	const audio = media.SPEECH_FORMATS[format].make(seconds, body.input);
	record(ctx, key, deps, model, body.input.length, 0);
	if (ctx.logEntry) ctx.logEntry.status = 200;
	const headers = {
		'Content-Type': media.SPEECH_FORMATS[format].mime,
		'X-Scaigrid-Request-Id': ctx.requestId,
		'Content-Length': audio.length,
	};
	if (ctx.rateHeaders) Object.assign(headers, ctx.rateHeaders);
	ctx.res.writeHead(200, headers);
	ctx.res.end(audio);
}

module.exports = {
	embed,
	generateImages,
	transcribe,
	synthesize,
	mediaFile,
	embedText,
	MAX_AUDIO_BYTES,
	MAX_EMBED_INPUTS,
};
