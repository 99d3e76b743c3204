'use strict';
// One prefix for everything the real-n8n tooling prints, so its lines stand out from n8n's own.

const started = Date.now();

/** `[n8n   12.3s]`: the prefix, with the seconds since this process started. */
function stamp() {
	return `[n8n ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s]`;
}

function log(message) {
	process.stdout.write(`${stamp()} ${message}\n`);
}

module.exports = { log, stamp };
