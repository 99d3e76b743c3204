/**
 * Client-side pacing from ScaiGrid's rate-limit headers: when the window's budget is used up,
 * new requests wait for the reset instead of collecting 429s. When ScaiGrid refuses a request
 * (429 RATE_LIMITED), every request on the key is held for exactly the Retry-After it asked for,
 * not until the Reset. One pacer per API key and instance, shared by every node and execution in
 * this n8n process, since the limit is per key.
 */
import { sleep } from 'n8n-workflow';

export interface RateLimitState {
	limit?: number;
	remaining?: number;
	/** Unix seconds when the window frees up again. */
	reset?: number;
	/** The answer was a 429 of the key's own limiter: the request was turned away, not counted. */
	refused?: boolean;
	/** With `refused`: the Retry-After (header or body), the wait until another request gets through. */
	retryAfterMs?: number;
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

/** Slack after the announced reset: the server's clock and ours differ by up to a second. */
const RESET_MARGIN_MS = 250;

/** Slack after a slot frees by our own send log (jitter between our clock and the server's arrival). */
const SLOT_MARGIN_MS = 20;

/** Slack on a window taken to be whole seconds (network jitter between two requests' arrivals). */
const WHOLE_SECOND_MARGIN_MS = 80;

/** How long the send log stays unused after a 429 showed it wrong. */
const DISTRUST_MS = 10 * 60 * 1000;

export interface PacerTicket {
	/** The one request sent after a window's reset to learn the new budget. */
	probe: boolean;
	/** When the request went out (our clock): the send log's entry once ScaiGrid admits it. */
	sentAt?: number;
}

/**
 * The reset header has whole-second resolution, so a pacer that only waits for it loses up to
 * a second per window, and with windows of a few seconds it falls into 3-second cycles for a
 * 2-second window. The pacer therefore also keeps its own log of the requests ScaiGrid admitted
 * and learns an upper bound of the window's length from the headers (each answer says how many
 * requests the window holds and when its oldest leaves): a slot is free again one window after
 * the request that took it. The bound only ever shrinks as answers come in, and it is safe:
 * requests of other clients on the same key only make it larger. Rounding the reset up leaves
 * up to a second in the bound; ScaiGrid's windows are whole seconds (60 s by its docs), and the
 * bound's last second holds exactly one whole second, which the pacer takes as the window.
 * A 429 shows the estimate is off (another client, a window that is not whole seconds, or a
 * server clock behind ours): the pacer then goes back to the reset header alone for a while,
 * and learns anew.
 */
class SendLog {
	/** Send times of admitted requests, ascending; the last `limit` are enough. */
	private times: number[] = [];

	/** Learned upper bound of the window's length, in ms. */
	private boundMs = Infinity;

	/** The limit the window is counted against (the Limit header): how many sends the log keeps. */
	private limit?: number;

	/** After a 429, the log is not used before this time (our clock). */
	private distrustedUntil = 0;

	/** Records an admitted request and what its answer says of the window. */
	admitted(sentAt: number, state: RateLimitState): void {
		if (state.limit !== undefined && state.limit !== this.limit) {
			// Another level's limit (key, user, tenant): its window is a new unknown.
			this.limit = state.limit;
			this.boundMs = Infinity;
		}
		if (this.limit === undefined) return;
		let at = this.times.length;
		while (at > 0 && this.times[at - 1] > sentAt) at--;
		this.times.splice(at, 0, sentAt);
		if (this.times.length > this.limit) this.times.splice(0, this.times.length - this.limit);
		if (state.remaining === undefined || state.reset === undefined) return;
		// The window now holds `held` requests, this one the newest: the oldest of them leaves at
		// the announced reset (rounded up to a second), so the window is at most that long.
		const held = this.limit - state.remaining;
		const newest = this.times.lastIndexOf(sentAt);
		const oldest = this.times[newest - held + 1];
		if (held >= 1 && oldest !== undefined)
			this.boundMs = Math.min(this.boundMs, state.reset * 1000 - oldest);
	}

	/** The window's length as far as known: the whole seconds within the bound, or the bound. */
	private windowMs(): number {
		const wholeSeconds = Math.floor(this.boundMs / 1000) * 1000;
		return wholeSeconds > 0
			? Math.min(this.boundMs, wholeSeconds + WHOLE_SECOND_MARGIN_MS)
			: this.boundMs;
	}

	/** ScaiGrid turned a request away: what the log learned is in doubt. */
	rateLimited(now: number): void {
		this.boundMs = Infinity;
		this.distrustedUntil = now + DISTRUST_MS;
	}

	/** When one more request may go, `inFlight` being out already; undefined when the log can't tell. */
	slotFreeAt(inFlight: number, now: number): number | undefined {
		if (now < this.distrustedUntil || this.limit === undefined || !Number.isFinite(this.boundMs))
			return undefined;
		const taking = this.times[this.times.length - (this.limit - inFlight)];
		return taking === undefined ? undefined : taking + this.windowMs() + SLOT_MARGIN_MS;
	}
}

export class Pacer {
	private remaining?: number;

	private resetAtMs = 0;

	/** Requests sent since the last known `remaining`, which that number does not count yet. */
	private inFlight = 0;

	private probing = false;

	/**
	 * When the last refusal with a Retry-After came in (our clock): answers to requests sent
	 * before it are older news.
	 */
	private refusedAt = -Infinity;

	private waiters: Array<() => void> = [];

	private readonly log = new SendLog();

	/**
	 * Waits until a request may go out without exceeding the known budget. Never waits longer
	 * than `maxWaitMs`: beyond that the request goes and ScaiGrid's answer decides.
	 */
	async acquire(
		maxWaitMs: number,
		signal?: AbortSignal,
		now: () => number = Date.now,
	): Promise<PacerTicket> {
		for (;;) {
			const t = now();
			if (this.remaining === undefined || this.remaining - this.inFlight > 0) break;
			const slotFreeAt = this.log.slotFreeAt(this.inFlight, t);
			if (slotFreeAt !== undefined) {
				if (t >= slotFreeAt || slotFreeAt - t > maxWaitMs) break;
				await this.waitForChange(slotFreeAt - t, signal);
				continue;
			}
			if (t >= this.resetAtMs && !this.probing) {
				// The window moved on, but by how much is unknown (sliding windows free one slot at
				// a time): send one request and let its answer tell the others.
				this.probing = true;
				this.inFlight++;
				return { probe: true, sentAt: t };
			}
			const waitMs = this.probing ? maxWaitMs : this.resetAtMs - t;
			if (waitMs > maxWaitMs && !this.probing) break;
			await this.waitForChange(waitMs, signal);
		}
		this.inFlight++;
		return { probe: false, sentAt: now() };
	}

	/** Called once per acquired request, with the rate-limit headers of its answer if any. */
	release(
		ticket: PacerTicket,
		state: RateLimitState | undefined,
		now: () => number = Date.now,
	): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		if (ticket.probe) this.probing = false;
		const t = now();
		if (state?.refused) this.log.rateLimited(t);
		else if (state && ticket.sentAt !== undefined) this.log.admitted(ticket.sentAt, state);
		if (state?.refused && state.retryAfterMs !== undefined) {
			// ScaiGrid said when another request gets through: hold the key exactly that long, the
			// same wait the refused request's retry makes. The Reset may lie far beyond it (the end
			// of the whole sliding window) and is no reason to wait longer. "Another request" is
			// one: when the hold ends, one probe goes and its answer tells the others, so the held
			// requests do not all run into the limit again.
			this.remaining = 0;
			this.resetAtMs = t + state.retryAfterMs;
			this.refusedAt = t;
		} else if (ticket.sentAt !== undefined && ticket.sentAt < this.refusedAt) {
			// Sent before the last refusal, answered after it: what it says of the budget is older news.
		} else if (state?.remaining !== undefined) {
			// A refusal without Retry-After lands here too: its Reset is all there is to go by.
			const resetAtMs = state.reset !== undefined ? state.reset * 1000 + RESET_MARGIN_MS : t + 1000;
			// Answers overtake each other; within one window the lowest count is the truth.
			if (
				this.remaining !== undefined &&
				!ticket.probe &&
				Math.abs(resetAtMs - this.resetAtMs) < 1000
			) {
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
		// An execution cancelled already (e.g. n8n re-running the node after the cancel) never
		// sees another 'abort' event: it must not start waiting.
		if (signal?.aborted)
			throw signal.reason instanceof Error ? signal.reason : new Error('Execution cancelled');
		const timer = new AbortController();
		const onCancel = () => timer.abort(signal?.reason);
		signal?.addEventListener('abort', onCancel, { once: true });
		const changed = new Promise<void>((resolve) => this.waiters.push(resolve));
		try {
			await Promise.race([changed, sleep(Math.max(0, ms), timer.signal).catch(() => undefined)]);
			if (signal?.aborted)
				throw signal.reason instanceof Error ? signal.reason : new Error('Execution cancelled');
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
