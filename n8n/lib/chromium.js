'use strict';
// Headless Chromium for the browser test: the system's Chromium (Debian's `chromium` package),
// driven by playwright-core, so the tests need no browser download of their own. Installed with
// apt-get when missing, which needs root (as in CI); otherwise the error says what to install.

const fs = require('node:fs');
const { installStep } = require('./steps');

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** No sandbox (CI runs as root), and no background traffic: the test talks to localhost only. */
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
	if (process.env.CHROMIUM_PATH && fs.existsSync(process.env.CHROMIUM_PATH))
		return process.env.CHROMIUM_PATH;
	return CANDIDATES.find((p) => fs.existsSync(p));
}

function ensureChromium() {
	const found = findChromium();
	if (found) return found;
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	if (!isRoot)
		throw new Error(
			"Chromium is missing: install Debian's chromium package (sudo apt-get install chromium) or set CHROMIUM_PATH",
		);
	installStep('Chromium for the browser test (apt-get install chromium)', (run) => {
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		run('apt-get', ['update'], { env });
		run('apt-get', ['install', '-y', 'chromium'], { env });
	});
	const installed = findChromium();
	if (!installed) throw new Error('apt-get installed chromium, but no chromium binary was found');
	return installed;
}

module.exports = { ensureChromium, CHROMIUM_ARGS };
