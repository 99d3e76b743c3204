/**
 * Process environment for running n8n-core inside jest.
 *
 * Must run before n8n-core is first required: n8n-core reads these variables when its
 * modules load (InstanceSettings writes `<N8N_USER_FOLDER>/.n8n/config`, the logger reads
 * its level, BinaryDataConfig reads its mode). engine.ts imports this module first; adding it
 * to jest's `setupFiles` as well makes it hold for test files that import n8n-core directly.
 */
import * as path from 'node:path';

const projectRoot = path.resolve(__dirname, '..', '..');

function setDefault(name: string, value: string): void {
	if (process.env[name] === undefined || process.env[name] === '') process.env[name] = value;
}

// A git-ignored folder of the project, so n8n-core never writes into the user's real ~/.n8n.
setDefault('N8N_USER_FOLDER', path.join(projectRoot, '.n8n-user'));
// Expected failures (retries, cancelled runs, continue-on-fail) would otherwise log loudly.
setDefault('N8N_LOG_LEVEL', 'silent');
// Binary data stays in memory (base64 on the item), as n8n's own node tests do.
setDefault('N8N_DEFAULT_BINARY_DATA_MODE', 'default');
setDefault('N8N_BINARY_DATA_STORAGE_PATH', path.join(projectRoot, '.n8n-user', 'binaryData'));
// Nothing here needs to phone home.
setDefault('N8N_DIAGNOSTICS_ENABLED', 'false');
setDefault('N8N_VERSION_NOTIFICATIONS_ENABLED', 'false');
// jest sets NODE_ENV=test, which makes n8n-core load node classes with plain require() (the
// jest module registry) instead of a vm context: one copy of n8n-workflow for engine and nodes.
setDefault('NODE_ENV', 'test');
