/**
 * The node packages, loaded once per test file: our package from dist/ the way n8n loads a
 * community package (`PackageDirectoryLoader` reads package.json's `n8n` section), n8n-nodes-base
 * lazily from node_modules, and any package a test registers.
 */
import * as path from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataService, LazyPackageDirectoryLoader, PackageDirectoryLoader } from 'n8n-core';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
export const BASE_PACKAGE = 'n8n-nodes-base';

type Loader = PackageDirectoryLoader;

export interface Engine {
	/** Loaded packages by package name. */
	loaders: Map<string, Loader>;
	/** Why our own package could not be loaded (usually: dist/ not built yet). */
	projectLoadError?: Error;
	projectPackageName: string;
}

let enginePromise: Promise<Engine> | undefined;

/** Loads n8n-core's services and the node packages once per test file. */
export async function getEngine(): Promise<Engine> {
	enginePromise ??= createEngine();
	return await enginePromise;
}

async function createEngine(): Promise<Engine> {
	// Binary data in memory ('default' mode, set in env.ts): items carry base64 data and
	// getBinaryDataBuffer decodes it. init() is what switches the service to the configured mode.
	await Container.get(BinaryDataService).init();

	const loaders = new Map<string, Loader>();
	const base = await loadBasePackage();
	loaders.set(base.packageName, base);

	const project = new PackageDirectoryLoader(PROJECT_ROOT);
	let projectLoadError: Error | undefined;
	try {
		await project.loadAll();
		loaders.set(project.packageName, project);
	} catch (error) {
		// Tests that only use n8n-nodes-base still run; ours fail with this reason when used.
		projectLoadError = error as Error;
	}
	return { loaders, projectLoadError, projectPackageName: project.packageName };
}

/**
 * Loads another community package (a folder with package.json + its `n8n` section) for this
 * test file, e.g. a fixture package. Its types resolve as `<its package name>.<node name>`.
 */
export async function registerNodePackage(packageDir: string): Promise<void> {
	const engine = await getEngine();
	const loader = new PackageDirectoryLoader(path.resolve(PROJECT_ROOT, packageDir));
	if (engine.loaders.has(loader.packageName)) return;
	await loader.loadAll();
	engine.loaders.set(loader.packageName, loader);
}

/** n8n-nodes-base, lazily: only its index is read now; node classes load on first use. */
async function loadBasePackage(): Promise<Loader> {
	const dir = path.dirname(
		require.resolve(`${BASE_PACKAGE}/package.json`, { paths: [PROJECT_ROOT] }),
	);
	const loader = new LazyPackageDirectoryLoader(dir);
	await loader.loadAll();
	loader.releaseTypes(); // the 8 MB of UI descriptions are not needed to execute
	return loader;
}
