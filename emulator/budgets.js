'use strict';
// Budgets (contract section 5). Current usage is computed from the usage records of the
// budget's current period, so it is always consistent with /usage and /usage/summary.

const { parseDecimal, formatDecimal } = require('./money');
const { startOf, endOf } = require('./periods');

const SCOPES = ['partner', 'tenant', 'user', 'group'];
const PERIODS = ['daily', 'weekly', 'monthly', 'total'];
const ACTIONS = ['block', 'notify', 'throttle'];

class BudgetStore {
	constructor(usage, now) {
		this.usage = usage;
		this.now = now;
		this.clear();
	}

	clear() {
		this.budgets = [];
		this.counter = 0;
	}

	add(spec = {}) {
		const scope = spec.scope || 'tenant';
		const period = spec.period || 'monthly';
		const hardAction = spec.hard_action || 'block';
		if (!SCOPES.includes(scope))
			throw new Error(`budget scope must be one of ${SCOPES.join(', ')}`);
		if (!PERIODS.includes(period))
			throw new Error(`budget period must be one of ${PERIODS.join(', ')}`);
		if (!ACTIONS.includes(hardAction))
			throw new Error(`budget hard_action must be one of ${ACTIONS.join(', ')}`);
		const costLimit =
			spec.cost_limit === undefined || spec.cost_limit === null ? null : String(spec.cost_limit);
		const tokenLimit = spec.token_limit ?? null;
		const requestLimit = spec.request_limit ?? null;
		if (costLimit === null && tokenLimit === null && requestLimit === null)
			throw new Error('a budget needs cost_limit, token_limit or request_limit');
		if (costLimit !== null) parseDecimal(costLimit);
		this.counter++;
		const budget = {
			id: spec.id || `bud_${String(this.counter).padStart(4, '0')}`,
			name: spec.name || `Budget ${this.counter}`,
			scope,
			scope_id:
				spec.scope_id ??
				(scope === 'tenant'
					? 'acme'
					: scope === 'user'
						? 'usr_demo'
						: scope === 'partner'
							? 'partner_scailabs'
							: null),
			members: Array.isArray(spec.members) ? spec.members : undefined,
			period,
			cost_limit: costLimit,
			token_limit: tokenLimit,
			request_limit: requestLimit,
			hard_action: hardAction,
			soft_limit_pct: spec.soft_limit_pct ?? 0.8,
		};
		this.budgets.push(budget);
		return this.view(budget);
	}

	/** Does the budget cover records/requests of this user/tenant/partner? */
	covers(budget, who) {
		switch (budget.scope) {
			case 'user':
				return who.user_id === budget.scope_id;
			case 'tenant':
				return who.tenant_id === budget.scope_id;
			case 'partner':
				return budget.scope_id === null || who.partner_id === budget.scope_id;
			default:
				return Array.isArray(budget.members) && budget.members.includes(who.user_id);
		}
	}

	view(budget) {
		const now = this.now().getTime();
		const start = budget.period === 'total' ? undefined : startOf(budget.period, now);
		const end = budget.period === 'total' ? undefined : endOf(budget.period, now);
		const [from, to] = this.usage.range(start, end);
		let cost = 0n;
		let tokens = 0;
		let requests = 0;
		for (let i = from; i < to; i++) {
			const e = this.usage.entries[i];
			if (!this.covers(budget, e.r)) continue;
			cost += e.costU;
			tokens += e.r.tokens_in + e.r.tokens_out;
			requests++;
		}
		const reached =
			(budget.cost_limit !== null && cost >= parseDecimal(budget.cost_limit)) ||
			(budget.token_limit !== null && tokens >= budget.token_limit) ||
			(budget.request_limit !== null && requests >= budget.request_limit);
		const { members, ...pub } = budget;
		return {
			...pub,
			...(members ? { members } : {}),
			current_cost: formatDecimal(cost),
			current_tokens: tokens,
			current_requests: requests,
			period_start: start === undefined ? null : new Date(start).toISOString(),
			period_end: end === undefined ? null : new Date(end).toISOString(),
			is_blocked: budget.hard_action === 'block' && reached,
		};
	}

	keyWho(key) {
		return { user_id: key.userId, tenant_id: key.tenantId, partner_id: key.partnerId };
	}

	visibleTo(key) {
		const who = this.keyWho(key);
		const all = key.permissions.has('accounting:view_partner');
		return this.budgets.filter((b) => all || this.covers(b, who)).map((b) => this.view(b));
	}

	get(id) {
		const b = this.budgets.find((x) => x.id === id);
		return b ? this.view(b) : null;
	}

	/** The first blocking budget that covers this key, if any. */
	blocking(key) {
		const who = this.keyWho(key);
		for (const b of this.budgets) {
			if (b.hard_action !== 'block' || !this.covers(b, who)) continue;
			const v = this.view(b);
			if (v.is_blocked) return v;
		}
		return null;
	}
}

module.exports = { BudgetStore };
