'use strict';
// n8n 2.36+ needs Node.js 24, while this project's own build and tests run on Node 20 or newer.
// When the running node is older than 24, Node 24 comes from the npm registry as the package
// `node-<platform>-<arch>` (the official binary, about 190 MB), installed once into n8n/.runtime/. Its version is pinned in n8n/package.json
// (config.nodeRuntime) so every run uses the same n8n-compatible Node.

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const { N8N_DIR, ROOT, RUNTIME_DIR } = require('./paths');
const { installStep } = require('./steps');

const MIN_MAJOR = 24;

function pinnedVersion() {
	return JSON.parse(fs.readFileSync(path.join(N8N_DIR, 'package.json'), 'utf8')).config.nodeRuntime;
}

function majorOf(version) {
	return Number(String(version).replace(/^v/, '').split('.')[0]);
}

/**
 * A Node.js >= 24 to run n8n with: `{ nodeBin, binDir, nodeDir }`. `nodeDir` holds the headers
 * native addons (sqlite3, isolated-vm) must be built against; null for the running node.
 */
function ensureNode24() {
	if (majorOf(process.versions.node) >= MIN_MAJOR) {
		return { nodeBin: process.execPath, binDir: path.dirname(process.execPath), nodeDir: null };
	}
	const pkg = `node-${process.platform}-${process.arch}`;
	const pkgDir = path.join(RUNTIME_DIR, 'node_modules', pkg);
	const nodeBin = path.join(pkgDir, 'bin', 'node');
	const version = pinnedVersion();
	const installed =
		fs.existsSync(nodeBin) && spawnSync(nodeBin, ['-v'], { encoding: 'utf8' }).stdout.trim();
	if (installed !== `v${version}`) {
		installStep(
			`Node.js ${version} (n8n needs ${MIN_MAJOR}, this is ${process.version}): npm package ${pkg} into ${path.relative(ROOT, RUNTIME_DIR)}/`,
			(run) => {
				fs.mkdirSync(RUNTIME_DIR, { recursive: true });
				try {
					run('npm', [
						'install',
						'--no-save',
						'--no-package-lock',
						'--no-audit',
						'--no-fund',
						'--prefix',
						RUNTIME_DIR,
						`${pkg}@${version}`,
					]);
				} catch (error) {
					throw new Error(
						`could not install ${pkg}@${version} (${error.message}); install Node.js ${MIN_MAJOR} yourself and rerun`,
					);
				}
				if (!fs.existsSync(nodeBin))
					throw new Error(`${pkg}@${version} installed, but ${nodeBin} is missing`);
			},
		);
	}
	return { nodeBin, binDir: path.dirname(nodeBin), nodeDir: pkgDir };
}

/** Environment for child processes (npm, n8n) that must see Node 24 first on PATH. */
function runtimeEnv(runtime, base = process.env) {
	const env = { ...base, PATH: `${runtime.binDir}${path.delimiter}${base.PATH || ''}` };
	// Native addons must compile against Node 24's headers, not those of the node that runs this script (or a nodedir an npmrc names).
	if (runtime.nodeDir) env.npm_config_nodedir = runtime.nodeDir;
	return env;
}

module.exports = { ensureNode24, runtimeEnv };
