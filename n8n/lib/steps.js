'use strict';
// The first run's install steps (Node.js, n8n, native modules, Chromium): one line each on the
// terminal, finished with the step's elapsed time; what the tools print (npm's hundreds of
// peer-dependency warnings, apt-get's progress) goes to one log file whose path the line names.

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const { INSTALL_LOG, ROOT } = require('./paths');
const { stamp } = require('./log');

/** Appends to the install log; returns the file descriptor to hand to a child's stdout/stderr. */
function openInstallLog(title) {
	fs.mkdirSync(path.dirname(INSTALL_LOG), { recursive: true });
	const fd = fs.openSync(INSTALL_LOG, 'a');
	fs.writeSync(fd, `\n=== ${new Date().toISOString()} ${title}\n`);
	return fd;
}

/**
 * Runs one install step: `title` is printed at once (the line stays open while it runs), then
 * " done in 12 s" or " failed after 12 s"; `fn(run)` does the work, where
 * `run(command, args, options)` runs a command with its output in the install log and throws on a
 * non-zero exit.
 */
let announced = false;

function installStep(title, fn) {
	const relLog = path.relative(ROOT, INSTALL_LOG);
	if (!announced) {
		announced = true;
		process.stdout.write(
			`${stamp()} installing what n8n needs, once per clone (the tools' output: ${relLog})\n`,
		);
	}
	process.stdout.write(`${stamp()} ${title} ...`);
	const started = Date.now();
	const fd = openInstallLog(title);
	const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
	const run = (command, args, options = {}) => {
		fs.writeSync(fd, `$ ${command} ${args.join(' ')}\n`);
		const result = spawnSync(command, args, { ...options, stdio: ['ignore', fd, fd] });
		if (result.error) throw result.error;
		if (result.status !== 0)
			throw new Error(
				`${command} ${args.join(' ')} exited with ${result.status}; its output is in ${relLog}`,
			);
		return result;
	};
	try {
		const value = fn(run);
		process.stdout.write(` done in ${elapsed()}\n`);
		return value;
	} catch (error) {
		process.stdout.write(` failed after ${elapsed()} (log: ${relLog})\n`);
		throw error;
	} finally {
		fs.closeSync(fd);
	}
}

module.exports = { installStep };
