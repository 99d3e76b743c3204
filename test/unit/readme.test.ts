/** The README's retry table is generated from the code: it must match the code. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { BEGIN_MARKER, END_MARKER, retryTableMarkdown } from '../../scripts/retryTableDoc';

test('README retry table equals the one generated from RETRY_TABLE (run node scripts/retry-table.js)', () => {
	const readme = readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
	const start = readme.indexOf(BEGIN_MARKER);
	const end = readme.indexOf(END_MARKER);
	expect(start).toBeGreaterThan(-1);
	expect(end).toBeGreaterThan(start);
	expect(readme.slice(start, end + END_MARKER.length)).toBe(retryTableMarkdown());
});
