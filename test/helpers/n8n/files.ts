/** Workflow files of the project. */

import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { PROJECT_ROOT } from './packages';

/** Reads a workflow (or any JSON) file; relative paths are taken from the project root. */
export function loadWorkflowFile(filePath: string): any {
	return JSON.parse(readFileSync(path.resolve(PROJECT_ROOT, filePath), 'utf8'));
}
