/**
 * `npm run demo`: every workflow in examples/ through n8n's engine (n8n-core), against the local
 * ScaiGrid emulator, with what happened printed readably. Exits non-zero if any example failed.
 */
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../test/helpers/engine';
import { checkRun, loadExamples } from '../test/helpers/examples';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmulator } = require('../emulator');

const out = (line = '') => process.stdout.write(`${line}\n`);

function short(value: unknown, max = 100): string {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	const flat = String(text).replace(/\s+/g, ' ');
	return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function valueAt(json: IDataObject, dotted: string): unknown {
	return dotted.split('.').reduce<unknown>((o, k) => (o as IDataObject | undefined)?.[k], json);
}

function showItems(items: Array<{ json: IDataObject }>, fields: string[], whole = false): void {
	for (const [i, item] of items.slice(0, 5).entries()) {
		if (whole) {
			for (const f of fields) out(String(valueAt(item.json, f)).replace(/^/gm, '        '));
			continue;
		}
		const parts = fields.map((f) => `${f}: ${short(valueAt(item.json, f))}`);
		out(`      [${i}] ${parts.join(' | ')}`);
	}
	if (items.length > 5) out(`      … ${items.length - 5} more`);
}

async function main(): Promise<number> {
	const emulator = await startEmulator({ seedHistory: true });
	out(`ScaiGrid emulator on ${emulator.url}\n`);
	const credentials = { scaiGridApi: { apiKey: emulator.apiKey, baseUrl: emulator.url } };
	let failed = 0;
	try {
		for (const example of loadExamples()) {
			if (example.config.realN8nOnly) {
				out(
					`skip ${example.file}: real n8n only (npm run test:n8n). ${example.config.realN8nOnly}`,
				);
				continue;
			}
			const result = await runWorkflow(example.workflow, { credentials, ...example.config.run });
			const problems = checkRun(result, example.config);
			const mark = problems.length ? 'FAIL' : 'ok  ';
			out(`${mark} ${example.file} (${result.durationMs} ms): ${example.workflow.name ?? ''}`);
			out(`      ${example.config.about}`);
			if (example.config.show) {
				const { node, output, fields, whole } = example.config.show;
				showItems(result.output(node, output ?? 0), fields, whole);
			}
			for (const problem of problems) out(`      ! ${problem}`);
			if (problems.length) failed++;
			out();
		}
	} finally {
		await emulator.close();
	}
	out(failed ? `${failed} example(s) failed.` : 'All examples ran as expected.');
	return failed ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	},
);
