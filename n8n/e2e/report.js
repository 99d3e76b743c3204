'use strict';
// Collects the end-to-end checks and prints them readably, with a final "N passed, N failed"
// line like the other test runs. A check is never skipped silently: a skip carries its reason.

const { log } = require('../lib/log');

class Report {
	constructor() {
		this.checks = [];
	}

	/** Runs `fn` (which returns a list of problems, empty = pass) and records the outcome. */
	async check(name, fn) {
		const started = Date.now();
		let problems;
		let detail = '';
		try {
			const result = await fn();
			problems = Array.isArray(result) ? result : result.problems;
			detail = (!Array.isArray(result) && result.detail) || '';
		} catch (error) {
			problems = [`threw: ${error.stack || error.message}`];
		}
		const ms = Date.now() - started;
		const ok = problems.length === 0;
		this.checks.push({ name, ok, problems, ms });
		log(
			`${ok ? 'PASS' : 'FAIL'} ${name} (${(ms / 1000).toFixed(1)} s)${detail ? `: ${detail}` : ''}`,
		);
		for (const p of problems) log(`       ! ${p}`);
		return ok;
	}

	skip(name, reason) {
		this.checks.push({ name, ok: true, skipped: reason, problems: [], ms: 0 });
		log(`SKIP ${name}: ${reason}`);
	}

	get failed() {
		return this.checks.filter((c) => !c.ok).length;
	}

	summary() {
		const passed = this.checks.filter((c) => c.ok && !c.skipped).length;
		const skipped = this.checks.filter((c) => c.skipped).length;
		return `n8n-e2e: ${passed} passed, ${this.failed} failed, ${skipped} skipped`;
	}
}

module.exports = { Report };
