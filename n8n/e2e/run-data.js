'use strict';
// Reads what `n8n execute --rawOutput` prints (the execution's IRun as JSON, possibly with log
// lines around it) and adapts it to the RunResult shape test/helpers/examples.ts checks:
// `output(node, outputIndex)` → items of the node's last run, and `error`.

/** The JSON object in the CLI's output: the longest `{ ... }` block that parses. */
function parseCliJson(stdout) {
	const lines = stdout.split('\n');
	for (let start = 0; start < lines.length; start++) {
		if (!lines[start].startsWith('{')) continue;
		for (let end = lines.length - 1; end >= start; end--) {
			if (!lines[end].startsWith('}')) continue;
			try {
				return JSON.parse(lines.slice(start, end + 1).join('\n'));
			} catch {
				// not this block: keep looking
			}
		}
	}
	return null;
}

/** A RunResult-like view of an n8n execution (`IRun` or an execution's `data`). */
function runResultOf(run) {
	const resultData = (run && run.data && run.data.resultData) || (run && run.resultData) || {};
	const runData = resultData.runData || {};
	return {
		status: run && run.status,
		error: resultData.error
			? { message: resultData.error.message || JSON.stringify(resultData.error) }
			: undefined,
		ranNodes: Object.keys(runData),
		output(node, outputIndex = 0) {
			const runs = runData[node];
			if (!runs || runs.length === 0) return [];
			const last = runs[runs.length - 1];
			return (last.data && last.data.main && last.data.main[outputIndex]) || [];
		},
	};
}

module.exports = { parseCliJson, runResultOf };
