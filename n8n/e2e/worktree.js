'use strict';
// "The run leaves the work tree as it found it": the tracked files' state before the run and
// after it must match. Compared as before/after, so a developer's own uncommitted edits do not
// fail the check; only what the run itself changed does. `allowed`: paths the run was asked to
// change (the README's screenshot with --update-screenshot).

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const { ROOT } = require('../lib/paths');

function git(args) {
	const result = spawnSync('git', args, {
		cwd: ROOT,
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.error || result.status !== 0) return null;
	return result.stdout;
}

/**
 * Every tracked file that differs from HEAD, with a hash of its content: `Map<path, hash>`, or
 * null when ROOT is not a git work tree (a tarball): then there is nothing to compare.
 */
function trackedState() {
	const changed = git(['-c', 'core.quotepath=off', 'diff', '--name-only', 'HEAD']);
	if (changed === null) return null;
	const state = new Map();
	for (const file of changed.split('\n').filter(Boolean)) {
		const full = path.join(ROOT, file);
		const hash = fs.existsSync(full)
			? crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex')
			: 'deleted';
		state.set(file, hash);
	}
	return state;
}

/** Problems: the tracked files whose state the run changed, except `allowed` (repository-relative paths). */
function compareTrackedState(before, after, allowed = []) {
	const files = new Set([...before.keys(), ...after.keys()]);
	return [...files]
		.filter((file) => before.get(file) !== after.get(file) && !allowed.includes(file))
		.sort()
		.map(
			(file) =>
				`the run changed the tracked file ${file} (git status shows it${before.has(file) ? ' changed further' : ''})`,
		);
}

module.exports = { trackedState, compareTrackedState };
