'use strict';
// Sliding-window limiter per key (the documented key level). Only requests that pass are
// counted, so a client that keeps retrying too early does not extend its own ban.

const { ApiError } = require('./errors');

class RateLimiter {
	constructor(config, clock = Date.now) {
		this.clock = clock;
		this.configure(config);
	}

	/** config: {limit, windowMs}, or false/null to switch limiting off (benchmarks). */
	configure(config) {
		this.enabled = config !== false && config !== null;
		const c = this.enabled ? config || {} : {};
		this.limit = Number.isFinite(c.limit) ? c.limit : 60;
		this.windowMs = Number.isFinite(c.windowMs) ? c.windowMs : 60000;
		this.windows = new Map();
	}

	/** Returns the header trio; throws ApiError RATE_LIMITED (carrying the headers) when over. */
	check(keyId) {
		if (!this.enabled) return null;
		const now = this.clock();
		let w = this.windows.get(keyId);
		if (!w) {
			w = { times: [], head: 0 };
			this.windows.set(keyId, w);
		}
		const cutoff = now - this.windowMs;
		while (w.head < w.times.length && w.times[w.head] <= cutoff) w.head++;
		if (w.head > 1024 && w.head * 2 > w.times.length) {
			w.times = w.times.slice(w.head);
			w.head = 0;
		}
		const inWindow = w.times.length - w.head;
		if (inWindow >= this.limit) {
			const leavesAt = inWindow > 0 ? w.times[w.head] + this.windowMs : now + this.windowMs;
			const retryAfter = Math.max(1, Math.ceil((leavesAt - now) / 1000));
			throw new ApiError(
				'RATE_LIMITED',
				`Rate limit exceeded: ${this.limit} requests per ${this.windowMs / 1000} s for this key`,
				{
					retryAfter,
					headers: this.headers(0, leavesAt),
				},
			);
		}
		w.times.push(now);
		return this.headers(this.limit - inWindow - 1, w.times[w.head] + this.windowMs);
	}

	headers(remaining, resetMs) {
		return {
			'X-Scaigrid-Ratelimit-Limit': String(this.limit),
			'X-Scaigrid-Ratelimit-Remaining': String(Math.max(0, remaining)),
			'X-Scaigrid-Ratelimit-Reset': String(Math.ceil(resetMs / 1000)),
		};
	}
}

module.exports = { RateLimiter };
