'use strict';
// Leg 1: every example workflow, imported into real n8n, executed by the n8n CLI
// (`n8n execute --id=<id> --rawOutput`) against the emulator. Each run must meet its
// expectations from examples/expectations.json, checked on the execution data the CLI prints,
// and must have reached the emulator (its request log), not only exit 0.

const { n8nEnv, runCli } = require('../lib/n8n');
const { freePort } = require('../lib/ports');
const { checkRun } = require('../lib/examples');
const { parseCliJson, runResultOf } = require('./run-data');

const SCAIGRID_TYPE_PREFIX = 'n8n-nodes-scaigrid.';

async function runExampleViaCli(ctx, example) {
	const env = n8nEnv(ctx.runtime, {
		userFolder: ctx.userFolder,
		brokerPort: await freePort(),
		logLevel: 'info',
	});
	const before = ctx.emulator.requests.length;
	const cli = await runCli(
		ctx.runtime,
		ctx.n8nBin,
		['execute', `--id=${example.workflow.id}`, '--rawOutput'],
		env,
	);
	const problems = [];
	const run = parseCliJson(cli.stdout);
	if (!run) {
		problems.push(
			`no execution JSON in the CLI output (exit ${cli.code}): ${(cli.stdout + cli.stderr).trim().split('\n').slice(-8).join(' | ')}`,
		);
	} else {
		const result = runResultOf(run);
		problems.push(...checkRun(result, example.config));
		if (cli.code !== 0 && !result.error)
			problems.push(`n8n execute exited ${cli.code} although the run has no error`);
	}
	const usesScaiGrid = example.workflow.nodes.some((n) => n.type.startsWith(SCAIGRID_TYPE_PREFIX));
	const received = ctx.emulator.requests.slice(before).filter((r) => r.path.startsWith('/v1/'));
	if (usesScaiGrid && received.length === 0)
		problems.push('the emulator received no /v1 request: the ScaiGrid nodes did not call it');
	if (received.some((r) => r.status >= 400)) {
		problems.push(
			`the emulator answered errors: ${received
				.filter((r) => r.status >= 400)
				.map((r) => `${r.method} ${r.path} ${r.status}`)
				.join(', ')}`,
		);
	}
	return { problems, ms: cli.ms, requests: received.length, run };
}

module.exports = { runExampleViaCli };
