'use strict';
// Deterministic usage history over the last N days, so "this week vs last week" reports have
// data from the first run. Same `now` → same records.

const { mulberry32 } = require('./prng');
const { DAY } = require('./periods');

const USERS = [
	{ user_id: 'usr_demo', tenant_id: 'acme' },
	{ user_id: 'usr_alice', tenant_id: 'acme' },
	{ user_id: 'usr_bob', tenant_id: 'acme' },
	{ user_id: 'usr_carol', tenant_id: 'globex' },
	{ user_id: 'usr_dave', tenant_id: 'initech' },
];
const MODELS = [
	['scailabs/poolnoodle-omni', 'be_scailabs_1'],
	['scailabs/poolnoodle-omni', 'be_scailabs_2'],
	['openai/gpt-4o', 'be_openai_1'],
	['openai/gpt-4o-mini', 'be_openai_1'],
	['anthropic/claude-sonnet', 'be_anthropic_1'],
	['meta/llama-3.1-70b', 'be_meta_1'],
	['mistral/mistral-small', 'be_mistral_1'],
	['local/qwen2.5-7b', 'be_local_1'],
];

function seedRecords({ records = 420, days = 21, seed = 42 } = {}, nowMs) {
	const rand = mulberry32(seed);
	const span = days * DAY;
	const step = span / records;
	const out = [];
	for (let i = 0; i < records; i++) {
		const who = USERS[Math.floor(rand() * USERS.length)];
		const [model, backend] = MODELS[Math.floor(rand() * MODELS.length)];
		const t = Math.floor(nowMs - span + (i + rand()) * step);
		out.push({
			id: `use_seed_${String(i + 1).padStart(6, '0')}`,
			model,
			backend_id: backend,
			...who,
			partner_id: 'partner_scailabs',
			tokens_in: 50 + Math.floor(rand() * 1950),
			tokens_out: 10 + Math.floor(rand() * 790),
			latency_ms: 200 + Math.floor(rand() * 2800),
			created_at: new Date(Math.min(t, nowMs - 1)).toISOString(),
			request_id: `req_seed_${String(i + 1).padStart(6, '0')}`,
		});
	}
	return out;
}

module.exports = { seedRecords };
