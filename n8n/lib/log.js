'use strict';
// One prefix for everything the real-n8n tooling prints, so its lines stand out from n8n's own.

const started = Date.now();

function log(message) {
	const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
	process.stdout.write(`[n8n ${seconds}s] ${message}\n`);
}

module.exports = { log };
