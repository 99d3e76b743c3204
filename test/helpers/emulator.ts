/**
 * One emulator per test file: `const em = useEmulator({ rateLimit: false });` at the top level
 * starts it in beforeAll, closes it in afterAll and (unless `{ reset: false }`) resets it before
 * each test: no faults, empty request log, usage and budgets, the options' rate limit, latency
 * and page size. Keys added by a test stay (each file's own beforeEach may add a fresh one).
 *
 * `em` stands for the running emulator: every property is read from it when used, so use it in
 * hooks and tests, not while the file is being collected.
 */
import { startEmulator } from '../../emulator';
import type { Emulator, EmulatorOptions } from '../../emulator';

export type { Emulator, EmulatorOptions, FaultSpec, LoggedRequest } from '../../emulator';

export interface UseEmulatorSettings {
	/** `reset()` before each test; default true. */
	reset?: boolean;
}

/**
 * `options` may be a function, called in beforeAll: a second emulator can then take the first
 * one's key, `useEmulator(() => ({ apiKey: em.apiKey }))` (hooks run in the order registered).
 */
export function useEmulator(
	options: EmulatorOptions | (() => EmulatorOptions) = {},
	settings: UseEmulatorSettings = {},
): Emulator {
	let running: Emulator | undefined;
	const current = (): Emulator => {
		if (!running)
			throw new Error(
				'useEmulator: the emulator runs from beforeAll to afterAll; use it in hooks and tests',
			);
		return running;
	};

	beforeAll(async () => {
		running = await startEmulator(typeof options === 'function' ? options() : options);
	});
	afterAll(async () => {
		await running?.close();
		running = undefined;
	});
	if (settings.reset !== false) {
		beforeEach(() => {
			current().reset();
		});
	}

	return new Proxy({} as Emulator, {
		get: (_target, property) => Reflect.get(current(), property),
		has: (_target, property) => Reflect.has(current(), property),
	});
}
