/**
 * A promise's outcome as a value. Internal errors (ScaiGridError) travel up as values of this
 * shape and become NodeApiError/NodeOperationError at one place, the item boundary
 * (itemRunner.ts), instead of being rethrown from catch blocks all along the way.
 */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
	return await promise.then(
		(value): Settled<T> => ({ ok: true, value }),
		(error: unknown): Settled<T> => ({ ok: false, error }),
	);
}
