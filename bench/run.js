'use strict';
/**
 * `npm run bench` (after `npm run build`): runs every scenario module in bench/scenarios/, each
 * in a child process of its own, in scenario order (B1, B2, ...), prints one Markdown table
 * and writes it, with the machine and its load, to bench/RESULTS.md.
 *
 *   node bench/run.js            all scenarios, full size; writes bench/RESULTS.md
 *   node bench/run.js --quick    small sizes, a smoke test (prints only)
 *   node bench/run.js --only B3  one scenario (or B1,B4); prints only
 *
 * A scenario module exports `run({ quick })` → `{ scenario, unit, ours, peers: { name: value },
 * ratio?, goal, met, metNote?, detail }` (metNote: the Met cell, when a yes/no says too little);
 * its id (B1...) is the first "Bn" of its leading comment.
 */
const { fork } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { loadAverage, machine, markdownTable, resultsMarkdown } = require('./lib/report');

const SCENARIOS = path.join(__dirname, 'scenarios');
const RESULTS = path.join(__dirname, 'RESULTS.md');

function scenarioFiles() {
	return fs
		.readdirSync(SCENARIOS)
		.filter((name) => name.endsWith('.js'))
		.map((name) => {
			const file = path.join(SCENARIOS, name);
			const id = /\bB(\d+)\b/.exec(fs.readFileSync(file, 'utf8').slice(0, 400));
			return { file, name, id: id ? `B${id[1]}` : name, order: id ? Number(id[1]) : Infinity };
		})
		.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}

function runScenario({ file }, quick) {
	return new Promise((resolve) => {
		const child = fork(
			path.join(__dirname, 'lib', 'run-scenario.js'),
			[file, ...(quick ? ['--quick'] : [])],
			{
				execArgv: [],
				stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
			},
		);
		let answer;
		child.on('message', (message) => (answer = message));
		child.on('exit', (code) =>
			resolve(answer ?? { error: `exited with code ${code} without a result` }),
		);
	});
}

/**
 * A scenario that found dist/ half-written (a build running at the same time, as happens in a
 * shared working tree) is run again after a pause, up to twice.
 */
async function runWithRetry(scenario, quick) {
	for (let attempt = 1; ; attempt++) {
		const answer = await runScenario(scenario, quick);
		const distMissing = /could not be loaded from dist|Cannot find module '.*[\\/]dist[\\/]/.test(
			answer.error ?? '',
		);
		if (!distMissing || attempt === 3) return answer;
		process.stderr.write(`dist/ was being rebuilt; running ${scenario.id} again in 15 s... `);
		await new Promise((resolve) => setTimeout(resolve, 15_000));
	}
}

async function main() {
	const args = process.argv.slice(2);
	const quick = args.includes('--quick');
	const onlyIndex = args.indexOf('--only');
	const only = onlyIndex >= 0 ? (args[onlyIndex + 1] ?? '').toUpperCase().split(',') : undefined;
	const selected = scenarioFiles().filter((s) => !only || only.includes(s.id.toUpperCase()));
	if (selected.length === 0) throw new Error(`no scenario matches --only ${only}`);

	const startedAt = new Date();
	const loadBefore = loadAverage();
	const results = [];
	for (const scenario of selected) {
		process.stderr.write(`${scenario.id} (${scenario.name})${quick ? ' --quick' : ''}... `);
		const started = Date.now();
		const answer = await runWithRetry(scenario, quick);
		results.push(
			answer.result ?? { scenario: `${scenario.id} ${scenario.name}`, error: answer.error },
		);
		process.stderr.write(
			`${answer.error ? 'FAILED' : 'done'} in ${Math.round((Date.now() - started) / 1000)} s\n`,
		);
		if (answer.error) process.stderr.write(`${answer.error}\n`);
	}
	const loadAfter = loadAverage();

	process.stdout.write(`${markdownTable(results)}\n`);
	process.stderr.write(`\nLoad average before: ${loadBefore}; after: ${loadAfter}\n`);
	if (quick || only) {
		process.stderr.write('Partial or quick run: bench/RESULTS.md not written.\n');
		return;
	}
	const command = 'npm run bench';
	fs.writeFileSync(
		RESULTS,
		resultsMarkdown({ results, machine: machine(), startedAt, loadBefore, loadAfter, command }),
	);
	process.stderr.write(`Written to ${path.relative(process.cwd(), RESULTS)}\n`);
}

main().catch((error) => {
	process.stderr.write(`${error.stack || error}\n`);
	process.exit(1);
});
