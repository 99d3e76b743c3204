'use strict';
// Validation of POST /v1/inference/chat bodies (contract section 4). All problems are
// collected so one VALIDATION_ERROR names every wrong field.

const { ApiError, validation } = require('./errors');
const { findModel } = require('./models');

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);
const IMAGE_PARTS = new Set(['image_url', 'image_base64']);
const AUDIO_PARTS = new Set(['audio_url', 'audio_base64']);

function isObject(v) {
	return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function validatePart(part, path, details) {
	if (!isObject(part)) return details.push({ field: path, message: 'must be an object' });
	const t = part.type;
	const need = (cond, field, message) => {
		if (!cond) details.push({ field: `${path}.${field}`, message });
	};
	switch (t) {
		case 'text':
			return need(typeof part.text === 'string', 'text', 'must be a string');
		case 'image_url':
		case 'audio_url':
			return need(
				isObject(part[t]) && typeof part[t].url === 'string' && part[t].url !== '',
				`${t}.url`,
				'must be a non-empty string',
			);
		case 'image_base64':
		case 'audio_base64':
			need(
				isObject(part[t]) && typeof part[t].data === 'string' && part[t].data !== '',
				`${t}.data`,
				'must be a non-empty base64 string',
			);
			need(
				isObject(part[t]) && typeof part[t].media_type === 'string',
				`${t}.media_type`,
				'must be a string such as "image/png"',
			);
			return undefined;
		default:
			return details.push({
				field: `${path}.type`,
				message: `unknown content part type ${JSON.stringify(t)}; expected text, image_url, image_base64, audio_url or audio_base64`,
			});
	}
}

function validateMessages(messages, model, details) {
	if (messages === undefined) return details.push({ field: 'messages', message: 'is required' });
	if (!Array.isArray(messages) || messages.length === 0)
		return details.push({ field: 'messages', message: 'must be a non-empty array' });
	const caps = new Set(model ? model.capabilities || [] : []);
	messages.forEach((msg, i) => {
		const path = `messages[${i}]`;
		if (!isObject(msg)) return details.push({ field: path, message: 'must be an object' });
		if (!ROLES.has(msg.role))
			details.push({
				field: `${path}.role`,
				message: `must be one of system, user, assistant, tool (got ${JSON.stringify(msg.role)})`,
			});
		const hasToolCalls = Array.isArray(msg.tool_calls) && msg.tool_calls.length > 0;
		if (msg.role === 'tool' && (typeof msg.tool_call_id !== 'string' || msg.tool_call_id === '')) {
			details.push({ field: `${path}.tool_call_id`, message: 'is required for tool messages' });
		}
		const c = msg.content;
		if (typeof c === 'string') return undefined;
		if (Array.isArray(c)) {
			c.forEach((part, j) => {
				validatePart(part, `${path}.content[${j}]`, details);
				if (model && isObject(part) && IMAGE_PARTS.has(part.type) && !caps.has('vision')) {
					details.push({
						field: `${path}.content[${j}]`,
						message: `model ${model.slug} does not accept images`,
					});
				}
				if (model && isObject(part) && AUDIO_PARTS.has(part.type) && !caps.has('audio')) {
					details.push({
						field: `${path}.content[${j}]`,
						message: `model ${model.slug} does not accept audio`,
					});
				}
			});
			return undefined;
		}
		if ((c === null || c === undefined) && msg.role === 'assistant' && hasToolCalls)
			return undefined;
		return details.push({
			field: `${path}.content`,
			message: 'must be a string or an array of content parts',
		});
	});
	return undefined;
}

function validateTools(body, details) {
	const names = new Set();
	if (body.tools !== undefined) {
		if (!Array.isArray(body.tools)) {
			details.push({ field: 'tools', message: 'must be an array' });
		} else {
			body.tools.forEach((tool, i) => {
				if (
					!isObject(tool) ||
					tool.type !== 'function' ||
					!isObject(tool.function) ||
					typeof tool.function.name !== 'string' ||
					!tool.function.name
				) {
					details.push({
						field: `tools[${i}]`,
						message: 'must be {"type":"function","function":{"name":...}}',
					});
				} else {
					names.add(tool.function.name);
					if (tool.function.parameters !== undefined && !isObject(tool.function.parameters)) {
						details.push({
							field: `tools[${i}].function.parameters`,
							message: 'must be a JSON Schema object',
						});
					}
				}
			});
		}
	}
	const tc = body.tool_choice;
	if (tc !== undefined) {
		if (typeof tc === 'string') {
			if (!['auto', 'none', 'required'].includes(tc))
				details.push({
					field: 'tool_choice',
					message: 'must be auto, none, required or {"type":"function","function":{"name":...}}',
				});
		} else if (
			isObject(tc) &&
			tc.type === 'function' &&
			isObject(tc.function) &&
			typeof tc.function.name === 'string'
		) {
			if (!names.has(tc.function.name))
				details.push({
					field: 'tool_choice',
					message: `names tool "${tc.function.name}" which is not in tools`,
				});
		} else {
			details.push({
				field: 'tool_choice',
				message: 'must be auto, none, required or {"type":"function","function":{"name":...}}',
			});
		}
	}
}

/** Returns the model; throws ApiError on any problem. */
function validateChat(body, key) {
	if (!isObject(body)) throw validation({ field: 'body', message: 'must be a JSON object' });
	const details = [];
	let model;
	if (body.model === undefined || body.model === null || body.model === '')
		details.push({ field: 'model', message: 'is required' });
	else if (typeof body.model !== 'string')
		details.push({ field: 'model', message: 'must be a string' });
	else {
		model = findModel(body.model);
		if (!model || model.modality !== 'chat') {
			throw new ApiError(
				'MODEL_NOT_FOUND',
				model ? `Model '${body.model}' is not a chat model` : `Model '${body.model}' not found`,
			);
		}
	}
	validateMessages(body.messages, model, details);
	const num = (field, lo, hi) => {
		const v = body[field];
		if (v === undefined || v === null) return;
		if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi)
			details.push({ field, message: `must be a number between ${lo} and ${hi}` });
	};
	num('temperature', 0, 2);
	num('top_p', 0, 1);
	if (body.max_tokens !== undefined && body.max_tokens !== null) {
		const v = body.max_tokens;
		if (!Number.isInteger(v) || v < 1)
			details.push({ field: 'max_tokens', message: 'must be a positive integer' });
		else if (model && model.max_output_tokens && v > model.max_output_tokens) {
			details.push({
				field: 'max_tokens',
				message: `must be at most ${model.max_output_tokens} (max_output_tokens of ${model.slug})`,
			});
		}
	}
	if (
		body.stop !== undefined &&
		body.stop !== null &&
		typeof body.stop !== 'string' &&
		!(Array.isArray(body.stop) && body.stop.every((s) => typeof s === 'string'))
	) {
		details.push({ field: 'stop', message: 'must be a string or an array of strings' });
	}
	if (body.seed !== undefined && body.seed !== null && !Number.isInteger(body.seed))
		details.push({ field: 'seed', message: 'must be an integer' });
	if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean')
		details.push({ field: 'stream', message: 'must be a boolean' });
	if (body.metadata !== undefined && body.metadata !== null && !isObject(body.metadata))
		details.push({ field: 'metadata', message: 'must be an object' });
	validateTools(body, details);
	if (details.length) throw validation(details);

	if (model.slug.startsWith('tenant/')) {
		const owner = model.slug.split('/')[1];
		if (owner !== key.tenantId)
			throw new ApiError(
				'MODEL_ACCESS_DENIED',
				`Model '${model.slug}' is not enabled for tenant '${key.tenantId}'`,
			);
	}
	if (model.active_backend_count === 0) {
		throw new ApiError('MODEL_UNAVAILABLE', `Model '${model.slug}' has no healthy backend`, {
			retryAfter: 30,
		});
	}
	return model;
}

module.exports = { validateChat, IMAGE_PARTS, AUDIO_PARTS };
