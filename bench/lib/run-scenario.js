'use strict';
/**
 * Child side of bench/run.js: runs one scenario module in a process of its own (a fresh
 * engine, fresh pacers and no heap left over from another scenario) and sends its result back.
 */
const path = require('node:path');

async function main() {
	const [file, ...flags] = process.argv.slice(2);
	const scenario = require(path.resolve(file));
	return await scenario.run({ quick: flags.includes('--quick') });
}

// Exit once the answer is sent: n8n-core keeps handles open after a run.
const answer = (message, code) => process.send(message, () => process.exit(code));
main().then(
	(result) => answer({ result }, 0),
	(error) => answer({ error: error.stack || String(error) }, 1),
);
