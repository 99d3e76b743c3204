'use strict';
// Headless Chromium for the browser test: Debian's `chromium` package (playwright's own browser
// download does not work on this machine kind). Installed with apt-get when missing, which
// needs root (CI runs as root here); otherwise the error says what to install.

const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const { log } = require('./log');

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The flags this machine kind needs: no sandbox as root, and no background network traffic (the network is closed). */
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
];

function findChromium() {
	if (process.env.CHROMIUM_PATH && fs.existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
	return CANDIDATES.find((p) => fs.existsSync(p));
}

function ensureChromium() {
	const found = findChromium();
	if (found) return found;
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	if (!isRoot) throw new Error('Chromium is missing: install Debian\'s chromium package (sudo apt-get install chromium) or set CHROMIUM_PATH');
	log('installing Chromium (apt-get install chromium)');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [['update'], ['install', '-y', 'chromium']]) {
		const result = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
		if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status})`);
	}
	const installed = findChromium();
	if (!installed) throw new Error('apt-get installed chromium, but no chromium binary was found');
	return installed;
}

module.exports = { ensureChromium, CHROMIUM_ARGS };
