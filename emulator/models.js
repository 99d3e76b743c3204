'use strict';
// The model catalog. It covers every shape the contract allows: optional max_output_tokens,
// missing prices, a deprecated model, a degraded model with no active backend, a persona,
// and the non-chat modalities. `capabilities` is an extra (undocumented) field used to decide
// whether image/audio parts are accepted.

function m(slug, display_name, modality, extra) {
	const provider = slug.split('/')[0];
	return {
		slug,
		display_name,
		modality,
		context_window: 128000,
		status: 'active',
		health_status: 'healthy',
		active_backend_count: 2,
		total_backend_count: 2,
		description: `${display_name} served through ScaiGrid.`,
		default_params: { temperature: 0.7 },
		capabilities: modality === 'chat' ? ['tools'] : [],
		_backend: `be_${provider}_1`,
		...extra,
	};
}

const CATALOG = [
	m('scailabs/poolnoodle-omni', 'PoolNoodle Omni', 'chat', {
		max_output_tokens: 8192,
		input_price_per_mtok: '2.50',
		output_price_per_mtok: '10.00',
		capabilities: ['tools', 'vision', 'audio'],
		total_backend_count: 3,
		active_backend_count: 3,
	}),
	m('scailabs/poolnoodle-mini', 'PoolNoodle Mini', 'chat', {
		context_window: 32768,
		max_output_tokens: 4096,
		input_price_per_mtok: '0.15',
		output_price_per_mtok: '0.60',
	}),
	m('openai/gpt-4o', 'GPT-4o', 'chat', {
		max_output_tokens: 16384,
		input_price_per_mtok: '2.50',
		output_price_per_mtok: '10.00',
		capabilities: ['tools', 'vision'],
	}),
	m('openai/gpt-4o-mini', 'GPT-4o mini', 'chat', {
		max_output_tokens: 16384,
		input_price_per_mtok: '0.15',
		output_price_per_mtok: '0.60',
		capabilities: ['tools', 'vision'],
	}),
	m('openai/gpt-3.5-turbo', 'GPT-3.5 Turbo', 'chat', {
		context_window: 16385,
		max_output_tokens: 4096,
		input_price_per_mtok: '0.50',
		output_price_per_mtok: '1.50',
		status: 'deprecated',
		description: 'Deprecated: use openai/gpt-4o-mini.',
	}),
	m('anthropic/claude-sonnet', 'Claude Sonnet', 'chat', {
		context_window: 200000,
		max_output_tokens: 8192,
		input_price_per_mtok: '3.00',
		output_price_per_mtok: '15.00',
		capabilities: ['tools', 'vision'],
	}),
	m('anthropic/claude-haiku', 'Claude Haiku', 'chat', {
		context_window: 200000,
		max_output_tokens: 4096,
		input_price_per_mtok: '0.80',
		output_price_per_mtok: '4.00',
	}),
	m('anthropic/claude-opus', 'Claude Opus', 'chat', {
		context_window: 200000,
		max_output_tokens: 4096,
		input_price_per_mtok: '15.00',
		output_price_per_mtok: '75.00',
		health_status: 'degraded',
		active_backend_count: 0,
		total_backend_count: 1,
	}),
	m('meta/llama-3.1-70b', 'Llama 3.1 70B', 'chat', {
		input_price_per_mtok: '0.59',
		output_price_per_mtok: '0.79',
	}),
	m('meta/llama-3.1-8b', 'Llama 3.1 8B', 'chat', {
		max_output_tokens: 2048,
		input_price_per_mtok: '0.05',
		output_price_per_mtok: '0.08',
	}),
	m('mistral/mistral-large', 'Mistral Large', 'chat', {
		max_output_tokens: 8192,
		input_price_per_mtok: '2.00',
		output_price_per_mtok: '6.00',
	}),
	m('mistral/mistral-small', 'Mistral Small', 'chat', {
		context_window: 32000,
		max_output_tokens: 8192,
		input_price_per_mtok: '0.20',
		output_price_per_mtok: '0.60',
	}),
	m('google/gemini-1.5-pro', 'Gemini 1.5 Pro', 'chat', {
		context_window: 1000000,
		max_output_tokens: 8192,
		input_price_per_mtok: '1.25',
		output_price_per_mtok: '5.00',
		capabilities: ['tools', 'vision', 'audio'],
	}),
	m('google/gemini-1.5-flash', 'Gemini 1.5 Flash', 'chat', {
		context_window: 1000000,
		max_output_tokens: 8192,
		input_price_per_mtok: '0.075',
		output_price_per_mtok: '0.30',
		capabilities: ['tools', 'vision', 'audio'],
	}),
	m('local/qwen2.5-7b', 'Qwen 2.5 7B (self-hosted)', 'chat', {
		context_window: 32768,
		max_output_tokens: 4096,
		description: 'Self-hosted; no price configured.',
		total_backend_count: 1,
		active_backend_count: 1,
	}),
	m('tenant/acme/support-bot', 'ACME Support Bot', 'chat', {
		max_output_tokens: 1024,
		input_price_per_mtok: '3.00',
		output_price_per_mtok: '12.00',
		description: 'Persona of tenant acme on top of scailabs/poolnoodle-omni.',
		_backend: 'be_scailabs_1',
	}),
	m('tenant/globex/legal-bot', 'Globex Legal Bot', 'chat', {
		max_output_tokens: 2048,
		input_price_per_mtok: '3.00',
		output_price_per_mtok: '12.00',
		description: 'Persona of tenant globex.',
		_backend: 'be_scailabs_1',
	}),
	// Embedding models: `_dimensions` is the native vector size (docs §7.1's typical sizes).
	m('openai/text-embedding-3-small', 'Text Embedding 3 Small', 'embedding', {
		context_window: 8191,
		input_price_per_mtok: '0.02',
		output_price_per_mtok: '0.00',
		default_params: {},
		capabilities: ['dimensions'],
		_dimensions: 1536,
	}),
	m('openai/text-embedding-3-large', 'Text Embedding 3 Large', 'embedding', {
		context_window: 8191,
		input_price_per_mtok: '0.13',
		output_price_per_mtok: '0.00',
		default_params: {},
		capabilities: ['dimensions'],
		_dimensions: 3072,
	}),
	m('scailabs/embed-multilingual', 'ScaiLabs Embed Multilingual', 'embedding', {
		context_window: 8192,
		input_price_per_mtok: '0.01',
		output_price_per_mtok: '0.00',
		default_params: {},
		_dimensions: 1024,
	}),
	// Image models: `_sizes` (the first is the default) and `_maxImages` per request.
	m('openai/dall-e-3', 'DALL-E 3', 'image', {
		context_window: 4000,
		default_params: { size: '1024x1024' },
		input_price_per_mtok: '5.00',
		output_price_per_mtok: '40.00',
		capabilities: ['revised_prompt'],
		_sizes: ['1024x1024', '1792x1024', '1024x1792'],
		_maxImages: 4,
	}),
	m('stability/sdxl', 'Stable Diffusion XL', 'image', {
		context_window: 77,
		default_params: { steps: 30 },
		_sizes: ['1024x1024', '512x512', '768x768'],
		_maxImages: 4,
	}),
	// Audio models: transcription or speech, told apart by `capabilities`.
	m('openai/whisper-1', 'Whisper', 'audio', {
		context_window: 0,
		input_price_per_mtok: '0.60',
		output_price_per_mtok: '0.00',
		default_params: {},
		capabilities: ['transcription'],
	}),
	m('openai/tts-1', 'TTS 1', 'audio', {
		context_window: 4096,
		input_price_per_mtok: '15.00',
		output_price_per_mtok: '0.00',
		default_params: { voice: 'alloy' },
		capabilities: ['speech'],
	}),
	m('scailabs/voice-nl', 'ScaiLabs Voice NL', 'audio', {
		context_window: 4096,
		status: 'deprecated',
		default_params: {},
		capabilities: ['speech'],
	}),
];

const BY_SLUG = new Map(CATALOG.map((model) => [model.slug, model]));

function findModel(slug) {
	return BY_SLUG.get(slug);
}

/** The public view of a model (without emulator-internal fields). */
function publicModel(model) {
	const out = {};
	for (const [k, v] of Object.entries(model)) if (!k.startsWith('_')) out[k] = v;
	return out;
}

module.exports = { CATALOG, findModel, publicModel };
