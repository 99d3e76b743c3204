/**
 * Hands values from a producer that is called back (the stream reader's onChunk) to a consumer
 * that pulls (an async generator), one at a time: `push` resolves when the value was taken, so a
 * slow consumer slows the read of the stream down instead of buffering it.
 */
export class Channel<T> {
	private readonly queue: T[] = [];
	private waiting: ((result: IteratorResult<T>) => void) | undefined;
	private failWaiting: ((error: unknown) => void) | undefined;
	private taken: (() => void)[] = [];
	private closed = false;
	private failure: { error: unknown } | undefined;
	private stopped = false;

	/** Whether the consumer stopped pulling (returned early). */
	get isStopped(): boolean {
		return this.stopped;
	}

	async push(value: T): Promise<void> {
		if (this.stopped || this.closed) return;
		if (this.waiting) {
			const resolve = this.waiting;
			this.waiting = undefined;
			this.failWaiting = undefined;
			resolve({ value, done: false });
			return;
		}
		this.queue.push(value);
		await new Promise<void>((resolve) => this.taken.push(resolve));
	}

	close(): void {
		this.closed = true;
		this.wakeWaiting();
	}

	fail(error: unknown): void {
		this.failure = { error };
		this.closed = true;
		this.wakeWaiting();
	}

	/** The consumer is gone: pending pushes return, later ones are dropped. */
	stop(): void {
		this.stopped = true;
		this.queue.length = 0;
		this.taken.splice(0).forEach((resolve) => resolve());
	}

	private wakeWaiting(): void {
		if (!this.waiting) return;
		const resolve = this.waiting;
		const reject = this.failWaiting;
		this.waiting = undefined;
		this.failWaiting = undefined;
		if (this.failure && reject) reject(this.failure.error);
		else resolve({ value: undefined, done: true });
	}

	async next(): Promise<IteratorResult<T>> {
		if (this.queue.length > 0) {
			const value = this.queue.shift() as T;
			this.taken.shift()?.();
			return { value, done: false };
		}
		if (this.failure) throw this.failure.error;
		if (this.closed) return { value: undefined, done: true };
		return await new Promise<IteratorResult<T>>((resolve, reject) => {
			this.waiting = resolve;
			this.failWaiting = reject;
		});
	}
}
