'use strict';
/** The results table (Markdown) and the machine it was measured on. */
const os = require('node:os');

const loadAverage = () =>
	os
		.loadavg()
		.map((value) => value.toFixed(2))
		.join(', ');

function machine() {
	const cpus = os.cpus();
	return {
		cpu: cpus[0]?.model ?? 'unknown',
		cores: cpus.length,
		memoryGb: Math.round(os.totalmem() / 2 ** 30),
		node: process.version,
		platform: `${os.type()} ${os.release()}`,
	};
}

const cell = (value) => String(value).replace(/\|/g, '\\|');

function figure(value, unit) {
	if (value === undefined || value === null) return '—';
	return typeof value === 'number' && unit
		? `${value.toLocaleString('en')} ${unit}`
		: String(value);
}

/** "ours ÷ peer" for scenarios that do not word their own ratio (numbers only). */
function defaultRatio(result) {
	const [name, value] = Object.entries(result.peers ?? {})[0] ?? [];
	if (typeof result.ours !== 'number' || typeof value !== 'number' || value === 0) return '—';
	return `${(result.ours / value).toFixed(2)} × ${name}`;
}

/** One row per result; one column per peer or baseline name found in any result. */
function markdownTable(results) {
	const peerNames = [...new Set(results.flatMap((r) => Object.keys(r.peers ?? {})))];
	const header = ['Scenario', 'Ours', ...peerNames, 'Ratio', 'Goal', 'Met'];
	const rows = results.map((r) =>
		r.error
			? [
					r.scenario,
					`failed: ${r.error.split('\n')[0]}`,
					...peerNames.map(() => '—'),
					'—',
					'—',
					'no',
				]
			: [
					r.scenario,
					figure(r.ours, r.unit),
					...peerNames.map((name) => figure(r.peers?.[name], r.unit)),
					r.ratio ?? defaultRatio(r),
					r.goal,
					r.metNote ?? (r.met ? 'yes' : 'no'),
				],
	);
	return [header, header.map(() => '---'), ...rows]
		.map((row) => `| ${row.map(cell).join(' | ')} |`)
		.join('\n');
}

function resultsMarkdown({ results, machine: m, startedAt, loadBefore, loadAfter, command }) {
	return [
		'# Benchmark results',
		'',
		`Measured with \`${command}\` on ${startedAt.toISOString()}: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB,`,
		`${m.platform}, Node ${m.node}. Load average (1, 5, 15 min) before: ${loadBefore}; after: ${loadAfter}.`,
		"Figures are medians of interleaved rounds; each ratio is the median of the rounds' ratios, with its",
		'interquartile range (IQR) and the number of rounds. The machine may be shared with other work: the',
		'ratios are what count, not absolute figures (see README.md).',
		'',
		markdownTable(results),
		'',
		'## Details',
		'',
		...results.flatMap((r) => [
			`### ${r.scenario}`,
			'',
			'```json',
			JSON.stringify(r.detail ?? { error: r.error }, null, '\t'),
			'```',
			'',
		]),
	].join('\n');
}

module.exports = { machine, loadAverage, markdownTable, resultsMarkdown };
