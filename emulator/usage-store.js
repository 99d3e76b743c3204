'use strict';
// Usage records kept sorted by (created_at, insertion order). Cursors encode that sort key,
// so paging through 100k records is a binary search per page, and stays correct when new
// records arrive between pages.

const { parseDecimal, formatDecimal, costOf } = require('./money');
const { findModel } = require('./models');

const BACKEND_SHARE_NUM = 7n;
const BACKEND_SHARE_DEN = 10n;

function compare(a, b) {
	return a.t - b.t || a.seq - b.seq;
}

class UsageStore {
	constructor(now) {
		this.now = now;
		this.entries = [];
		this.seq = 0;
	}

	clear() {
		this.entries = [];
		this.seq = 0;
	}

	/** Completes a partial record (cost from the model's prices, ids, timestamps) and stores it. */
	normalise(partial) {
		this.seq++;
		const model = findModel(partial.model);
		const tokensIn = partial.tokens_in || 0;
		const tokensOut = partial.tokens_out || 0;
		const costU =
			partial.cost !== undefined
				? parseDecimal(partial.cost)
				: model
					? costOf(tokensIn, model.input_price_per_mtok) +
						costOf(tokensOut, model.output_price_per_mtok)
					: 0n;
		const backendU =
			partial.backend_cost !== undefined
				? parseDecimal(partial.backend_cost)
				: (costU * BACKEND_SHARE_NUM) / BACKEND_SHARE_DEN;
		const createdAt = partial.created_at ? new Date(partial.created_at) : this.now();
		const record = {
			id: partial.id || `use_${String(this.seq).padStart(8, '0')}`,
			model: partial.model,
			backend_id: partial.backend_id || (model ? model._backend : 'be_unknown_1'),
			user_id: partial.user_id || 'usr_demo',
			tenant_id: partial.tenant_id || 'acme',
			partner_id: partial.partner_id || 'partner_scailabs',
			tokens_in: tokensIn,
			tokens_out: tokensOut,
			cost: formatDecimal(costU),
			backend_cost: formatDecimal(backendU),
			latency_ms: partial.latency_ms || 0,
			created_at: createdAt.toISOString(),
			request_id: partial.request_id || `req_rec_${this.seq}`,
		};
		return { t: createdAt.getTime(), seq: this.seq, r: record, costU, backendU };
	}

	add(partial) {
		const e = this.normalise(partial);
		const last = this.entries[this.entries.length - 1];
		if (!last || compare(last, e) <= 0) this.entries.push(e);
		else this.entries.splice(this.lowerBound(e), 0, e);
		return e.r;
	}

	addMany(partials) {
		const added = partials.map((p) => this.normalise(p));
		this.entries.push(...added);
		this.entries.sort(compare);
		return added.map((e) => e.r);
	}

	/** First index whose entry is >= key. */
	lowerBound(key) {
		let lo = 0;
		let hi = this.entries.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (compare(this.entries[mid], key) < 0) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	}

	/** Index range [from, to) of entries with start <= t < end. */
	range(startMs, endMs) {
		const from = startMs === undefined ? 0 : this.lowerBound({ t: startMs, seq: -Infinity });
		const to =
			endMs === undefined ? this.entries.length : this.lowerBound({ t: endMs, seq: -Infinity });
		return [from, to];
	}

	records() {
		return this.entries.map((e) => e.r);
	}
}

module.exports = { UsageStore, compare };
