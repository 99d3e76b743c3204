'use strict';
// Installs n8n once into n8n/.install/ from n8n/package.json (n8n/README.md says why this way):
// `npm install --ignore-scripts`, then build only the two native addons n8n needs, each step one
// line on the terminal and npm's output in the install log (lib/steps.js). A marker file records
// what was installed; later runs with the same dependencies skip the install, and a change to
// n8n/package.json's dependencies reinstalls.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { createRequire } = require('node:module');

const { N8N_DIR, ROOT, INSTALL_DIR } = require('./paths');
const { installStep } = require('./steps');
const { runtimeEnv } = require('./runtime');

const MARKER = path.join(INSTALL_DIR, '.install-complete');
/** Native addons n8n loads at start (the database driver and the expression sandbox). */
const NATIVE_ADDONS = ['sqlite3', 'isolated-vm'];

function manifest() {
	return JSON.parse(fs.readFileSync(path.join(N8N_DIR, 'package.json'), 'utf8'));
}

/** What the install depends on: the fields that change what npm installs, the lockfile, the Node version. */
function fingerprint(pkg, nodeVersion) {
	const lockFile = path.join(N8N_DIR, 'package-lock.json');
	const lock = fs.existsSync(lockFile)
		? crypto.createHash('sha256').update(fs.readFileSync(lockFile)).digest('hex')
		: null;
	const relevant = JSON.stringify({
		dependencies: pkg.dependencies,
		overrides: pkg.overrides,
		lock,
		node: nodeVersion,
	});
	return crypto.createHash('sha256').update(relevant).digest('hex');
}

function n8nBinPath() {
	return path.join(INSTALL_DIR, 'node_modules', 'n8n', 'bin', 'n8n');
}

/** npm in n8n/.install/, under `nice`: the install is long and should leave the cores to other work. */
function npm(run, args, env) {
	run('nice', ['-n', '10', 'npm', ...args], { cwd: INSTALL_DIR, env });
}

/** Installs n8n unless the marker says this exact manifest is already installed. */
function ensureN8nInstalled(runtime) {
	const nodeVersion = spawnSync(runtime.nodeBin, ['-v'], { encoding: 'utf8' }).stdout.trim();
	const want = fingerprint(manifest(), nodeVersion);
	if (
		fs.existsSync(MARKER) &&
		fs.readFileSync(MARKER, 'utf8').trim() === want &&
		fs.existsSync(n8nBinPath())
	) {
		return n8nBinPath();
	}
	const pkg = manifest();
	fs.rmSync(MARKER, { force: true });
	const env = { ...runtimeEnv(runtime), npm_config_audit: 'false', npm_config_fund: 'false' };
	installStep(
		`n8n ${pkg.dependencies.n8n} into ${path.relative(ROOT, INSTALL_DIR)}/ (about 2,400 packages, 2.9 GB; 5 to 15 minutes)`,
		(run) => {
			fs.mkdirSync(INSTALL_DIR, { recursive: true });
			fs.copyFileSync(path.join(N8N_DIR, 'package.json'), path.join(INSTALL_DIR, 'package.json'));
			const lock = path.join(N8N_DIR, 'package-lock.json');
			// `npm install` with the lockfile, not `npm ci`: the lockfile pins the tree that was tested,
			// but npm (11.x) leaves some other platforms' optional packages out of it (msgpackr-extract's
			// darwin/win32 builds), and `npm ci` then refuses it as out of sync; `npm install` keeps the
			// locked versions and resolves only what is missing.
			if (fs.existsSync(lock)) fs.copyFileSync(lock, path.join(INSTALL_DIR, 'package-lock.json'));
			npm(run, ['install', '--ignore-scripts', '--no-audit', '--no-fund'], env);
		},
	);
	installStep(
		`native modules ${NATIVE_ADDONS.join(', ')} built for Node ${nodeVersion} (2 to 5 minutes)`,
		(run) => {
			// Explicitly with scripts: building them is the point, whatever an .npmrc says.
			npm(run, ['rebuild', '--ignore-scripts=false', ...NATIVE_ADDONS], env);
		},
	);
	fs.writeFileSync(MARKER, `${want}\n`);
	return n8nBinPath();
}

/** `require` for packages installed with n8n (playwright-core, flatted). */
const installRequire = createRequire(path.join(INSTALL_DIR, 'package.json'));

module.exports = { ensureN8nInstalled, n8nBinPath, installRequire };
