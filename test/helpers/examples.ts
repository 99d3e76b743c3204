/**
 * The example workflows in examples/ and what each must produce. One list serves the demo
 * (`npm run demo`), the engine tests (test/engine/examples.test.ts) and the end-to-end tests in
 * real n8n, so an example cannot quietly stop working.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { RunOptions, RunResult } from './engine';

export const EXAMPLES_DIR = path.resolve(__dirname, '..', '..', 'examples');

/** One expectation on the items of one node output. */
export interface OutputExpectation {
	node: string;
	output?: number;
	/** Exact number of items, or at least `minItems`. */
	items?: number;
	minItems?: number;
	/** Fields (dot paths) every item must have, with a value that is not null/undefined. */
	fields?: string[];
	/** Text every item's field must contain: { "text": "Echo" }. */
	contains?: Record<string, string>;
}

export interface ExampleRun {
	/** What the demo prints for this example, in one line. */
	about: string;
	run?: Pick<RunOptions, 'streaming' | 'triggerItems'>;
	expect: OutputExpectation[];
	/**
	 * Why the example runs only in real n8n (it uses n8n's own LangChain nodes, which the engine
	 * harness does not load): the engine tests and the demo skip it, `npm run test:n8n` runs it.
	 */
	realN8nOnly?: string;
	/** Fields the demo prints for the last node's items. */
	show?: {
		node: string;
		output?: number;
		fields: string[];
		/** Print the fields whole, line by line (a report). */ whole?: boolean;
	};
}

export interface Example {
	file: string;
	workflow: IDataObject & { name?: string; nodes: IDataObject[] };
	config: ExampleRun;
}

const CONFIG_FILE = 'expectations.json';

export function loadExamples(): Example[] {
	const configs = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, CONFIG_FILE), 'utf8')) as Record<
		string,
		ExampleRun
	>;
	const files = readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json') && f !== CONFIG_FILE)
		.sort();
	return files.map((file) => {
		const config = configs[file];
		if (!config)
			throw new Error(`examples/${CONFIG_FILE} has no entry for ${file}: say what it must produce`);
		return {
			file,
			workflow: JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')),
			config,
		};
	});
}

function valueAt(json: IDataObject, dotted: string): unknown {
	return dotted
		.split('.')
		.reduce<unknown>((obj, key) => (obj as IDataObject | undefined)?.[key], json);
}

/** The problems with a run, in words; empty when it did what its expectations say. */
export function checkRun(result: RunResult, config: ExampleRun): string[] {
	const problems: string[] = [];
	if (result.error) problems.push(`run failed: ${result.error.message}`);
	for (const exp of config.expect) {
		const items: INodeExecutionData[] = result.output(exp.node, exp.output ?? 0);
		const where = `${exp.node}${exp.output ? ` output ${exp.output}` : ''}`;
		if (exp.items !== undefined && items.length !== exp.items) {
			problems.push(`${where}: expected ${exp.items} items, got ${items.length}`);
		}
		if (exp.minItems !== undefined && items.length < exp.minItems) {
			problems.push(`${where}: expected at least ${exp.minItems} items, got ${items.length}`);
		}
		items.forEach((item, i) => {
			for (const field of exp.fields ?? []) {
				const value = valueAt(item.json, field);
				if (value === undefined || value === null) problems.push(`${where} item ${i}: no ${field}`);
			}
			for (const [field, text] of Object.entries(exp.contains ?? {})) {
				const value = valueAt(item.json, field);
				if (typeof value !== 'string' || !value.includes(text)) {
					problems.push(
						`${where} item ${i}: ${field} does not contain "${text}" (got ${JSON.stringify(value)?.slice(0, 80)})`,
					);
				}
			}
		});
	}
	return problems;
}
