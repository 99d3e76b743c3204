/**
 * The README's retry table, generated from RETRY_TABLE (nodes/shared/retry/table.ts) so the docs
 * cannot drift from the code. `node scripts/retry-table.js` prints it; test/unit/readme.test.ts
 * checks the README holds exactly this text between its markers.
 */
import { RETRY_TABLE } from '../nodes/shared/retry/table';
import type { RetryRule } from '../nodes/shared/retry/table';

export const BEGIN_MARKER =
	'<!-- retry-table:begin (generated from nodes/shared/retry/table.ts) -->';
export const END_MARKER = '<!-- retry-table:end -->';

const STRATEGY_TEXT: Record<RetryRule['strategy'], string> = {
	'retry-after':
		'Yes, after the wait ScaiGrid asks (Retry-After), as long as Max Total Rate-Limit Wait lasts; without a Retry-After, backoff within Max Tries',
	backoff: 'Yes, exponential backoff with jitter (or the wait ScaiGrid asks, when it says)',
	'slow-backoff': 'Yes, backoff from a 4× longer base (or the wait ScaiGrid asks, when it says)',
	never: 'No: fails on the first answer',
};

export function retryTableMarkdown(): string {
	const rows = Object.entries(RETRY_TABLE).map(([code, rule]: [string, RetryRule]) => {
		const retry =
			STRATEGY_TEXT[rule.strategy] +
			(rule.maxRetries !== undefined ? ` (at most ${rule.maxRetries} retries)` : '');
		return `| \`${code}\` | ${rule.httpStatus ?? '–'} | ${retry} | ${rule.advice.replace(/\|/g, '\\|')} |`;
	});
	return [
		BEGIN_MARKER,
		'| Code | HTTP | Retried? | What the error tells you to do |',
		'| --- | --- | --- | --- |',
		...rows,
		'| any other code, HTTP 5xx | 5xx | Yes, like `BACKEND_ERROR` | – |',
		'| any other code, HTTP 4xx | 4xx | No | – |',
		END_MARKER,
	].join('\n');
}
