/**
 * Client-side pacing from ScaiGrid's rate-limit headers: when the window's budget is used up,
 * new requests wait for the reset instead of collecting 429s. One pacer per API key and
 * instance, shared by every node and execution in this n8n process, since the limit is per key.
 */
import { sleep } from 'n8n-workflow';

export interface RateLimitState {
	limit?: number;
	remaining?: number;
	/** Unix seconds when the window frees up again. */
	reset?: number;
}

type Headers = Record<string, string | string[] | undefined>;

function headerNumber(headers: Headers, name: string): number | undefined {
	const raw = headers[name];
	const value = Array.isArray(raw) ? raw[0] : raw;
	if (value === undefined || value.trim() === '') return undefined;
	const n = Number(value);
	return Number.isFinite(n) ? n : undefined;
}

export function readRateLimit(headers: Headers): RateLimitState | undefined {
	const state: RateLimitState = {
		limit: headerNumber(headers, 'x-scaigrid-ratelimit-limit'),
		remaining: headerNumber(headers, 'x-scaigrid-ratelimit-remaining'),
		reset: headerNumber(headers, 'x-scaigrid-ratelimit-reset'),
	};
	return state.limit === undefined && state.remaining === undefined && state.reset === undefined
		? undefined
		: state;
}

/** `Retry-After` is seconds or an HTTP date; the body's `retry_after` is seconds. */
export function readRetryAfterMs(headers: Headers, bodySeconds?: number, now = Date.now()): number | undefined {
	if (typeof bodySeconds === 'number' && bodySeconds >= 0) return Math.ceil(bodySeconds * 1000);
	const raw = headers['retry-after'];
	const value = Array.isArray(raw) ? raw[0] : raw;
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Slack after the announced reset: the server's clock and ours differ by up to a second. */
const RESET_MARGIN_MS = 250;

export interface PacerTicket {
	/** The one request sent after a window's reset to learn the new budget. */
	probe: boolean;
}

export class Pacer {
	private remaining?: number;

	private resetAtMs = 0;

	/** Requests sent since the last known `remaining`, which that number does not count yet. */
	private inFlight = 0;

	private probing = false;

	private waiters: Array<() => void> = [];

	/**
	 * Waits until a request may go out without exceeding the known budget. Never waits longer
	 * than `maxWaitMs`: beyond that the request goes and ScaiGrid's answer decides.
	 */
	async acquire(maxWaitMs: number, signal?: AbortSignal, now: () => number = Date.now): Promise<PacerTicket> {
		for (;;) {
			const t = now();
			if (this.remaining === undefined || this.remaining - this.inFlight > 0) break;
			if (t >= this.resetAtMs && !this.probing) {
				// The window moved on, but by how much is unknown (sliding windows free one slot at
				// a time): send one request and let its answer tell the others.
				this.probing = true;
				this.inFlight++;
				return { probe: true };
			}
			const waitMs = this.probing ? maxWaitMs : this.resetAtMs - t;
			if (waitMs > maxWaitMs && !this.probing) break;
			await this.waitForChange(waitMs, signal);
		}
		this.inFlight++;
		return { probe: false };
	}

	/** Called once per acquired request, with the rate-limit headers of its answer if any. */
	release(ticket: PacerTicket, state: RateLimitState | undefined, now: () => number = Date.now): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		if (ticket.probe) this.probing = false;
		if (state?.remaining !== undefined) {
			const resetAtMs = state.reset !== undefined ? state.reset * 1000 + RESET_MARGIN_MS : now() + 1000;
			// Answers overtake each other; within one window the lowest count is the truth.
			if (this.remaining !== undefined && !ticket.probe && Math.abs(resetAtMs - this.resetAtMs) < 1000) {
				this.remaining = Math.min(this.remaining, state.remaining);
				this.resetAtMs = Math.max(this.resetAtMs, resetAtMs);
			} else {
				this.remaining = state.remaining;
				this.resetAtMs = resetAtMs;
			}
		} else if (ticket.probe) {
			// The probe learned nothing (no headers): stop holding requests back.
			this.remaining = undefined;
		}
		const waiters = this.waiters;
		this.waiters = [];
		for (const wake of waiters) wake();
	}

	/** Resolves on the next release, after `ms`, or rejects when the execution is cancelled. */
	private async waitForChange(ms: number, signal?: AbortSignal): Promise<void> {
		const timer = new AbortController();
		const onCancel = () => timer.abort(signal?.reason);
		signal?.addEventListener('abort', onCancel, { once: true });
		const changed = new Promise<void>((resolve) => this.waiters.push(resolve));
		try {
			await Promise.race([changed, sleep(Math.max(0, ms), timer.signal).catch(() => undefined)]);
			if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('Execution cancelled');
		} finally {
			signal?.removeEventListener('abort', onCancel);
			timer.abort();
		}
	}
}

const pacers = new Map<string, Pacer>();

export function pacerFor(key: string): Pacer {
	let pacer = pacers.get(key);
	if (!pacer) {
		pacer = new Pacer();
		pacers.set(key, pacer);
	}
	return pacer;
}
