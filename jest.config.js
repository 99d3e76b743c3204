/** Tests run against the compiled package in dist/ (the way n8n loads it); `npm test` builds first. */
module.exports = {
	testEnvironment: 'node',
	setupFiles: ['<rootDir>/test/helpers/env.ts'],
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts', '**/*.test.js'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] },
	testTimeout: 30000,
	maxWorkers: 2,
};
