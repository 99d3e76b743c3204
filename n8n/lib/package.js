'use strict';
// Builds our package and installs it where n8n installs community packages:
// <N8N_USER_FOLDER>/.n8n/nodes/node_modules/n8n-nodes-scaigrid/ (package.json + dist/). From
// there n8n loads it under its production name, so the node types are `n8n-nodes-scaigrid.*`,
// exactly what the examples and users' workflows use (N8N_CUSTOM_EXTENSIONS would load it as
// `CUSTOM.*` and the examples would fail with "Unrecognized node type").

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const { ROOT } = require('./paths');
const { log } = require('./log');

function buildPackage() {
	log('building the package (npm run build)');
	const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
	if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status})`);
}

/** Copies package.json + dist/ into the user folder's community-package folder. */
function installPackage(userFolder) {
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', pkg.name);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(target, 'package.json'));
	fs.cpSync(path.join(ROOT, 'dist'), path.join(target, 'dist'), { recursive: true });
	// n8n's community-package folder is itself an npm project that lists what is installed.
	const nodesManifest = path.join(nodesDir, 'package.json');
	const manifest = fs.existsSync(nodesManifest)
		? JSON.parse(fs.readFileSync(nodesManifest, 'utf8'))
		: { name: 'installed-nodes', private: true };
	manifest.dependencies = { ...manifest.dependencies, [pkg.name]: pkg.version };
	fs.writeFileSync(nodesManifest, `${JSON.stringify(manifest, null, 2)}\n`);
	log(`installed ${pkg.name}@${pkg.version} into ${path.relative(ROOT, target)}/`);
	return { name: pkg.name, version: pkg.version, nodes: pkg.n8n.nodes.length };
}

module.exports = { buildPackage, installPackage };
