/**
 * Client-side pacing from ScaiGrid's rate-limit headers: when the window's budget is used up,
 * new requests wait for a slot to free (the window log) or for the reset instead of collecting
 * 429s. When ScaiGrid refuses a request (429 RATE_LIMITED), the requests on the key wait for the
 * Retry-After it asked for (or the log's next free slot, which it knows more precisely), not
 * until the Reset. One pacer per API key and instance, shared by every node and execution in
 * this n8n process, since the limit is per key. Processes share nothing (docs/scaigrid-api.md
 * §2.3–2.4): each learns the others' traffic from the answers, and correctness rests on 429 +
 * Retry-After.
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

/**
 * Slack after a slot frees by the window log: a request reaches ScaiGrid a little after the
 * pacer lets it go (the event loop is busy with other answers, the network), so a slot taken by
 * it frees that much later than the log says. The slack starts here and grows when ScaiGrid
 * refuses a request the log let go (the log was early), up to the maximum; it shrinks again
 * while the log's requests get through.
 */
const SLOT_MARGIN_MS = 100;
const MAX_SLOT_MARGIN_MS = 500;

/** The least time between two probes for other clients' slots (WindowLog.checkAt). */
const CHECK_SPACING_MS = 250;

export interface PacerTicket {
	/** The one request sent after a window's reset (or a refusal's hold) to learn the new budget. */
	probe: boolean;
	/** When the request went out (our clock): the window log's entry once ScaiGrid admits it. */
	sentAt?: number;
	/** The window log let it go, when a slot was due to free up. */
	byLog?: boolean;
	/**
	 * A probe into a window the log counts as full, sent when other clients' requests in it may
	 * have left already (the log knows only roughly when they arrived): its answer tells.
	 */
	checksOthers?: boolean;
}

/** Inserts `at` into the ascending `times`; returns where. */
function insertSorted(times: number[], at: number): number {
	let i = times.length;
	while (i > 0 && times[i - 1] > at) i--;
	times.splice(i, 0, at);
	return i;
}

/** How many of the ascending `times` lie in (from, to]. */
function countWithin(times: number[], from: number, to: number): number {
	let n = 0;
	for (let i = times.length - 1; i >= 0 && times[i] > from; i--) if (times[i] <= to) n++;
	return n;
}

/** The `n` newest of `times` (ascending, in place). */
function keepNewest(times: number[], n: number): void {
	if (times.length > n) times.splice(0, times.length - n);
}

/** The newest of the ascending `times` before `at`. */
function newestBefore(times: number[], at: number): number | undefined {
	for (let i = times.length - 1; i >= 0; i--) if (times[i] < at) return times[i];
	return undefined;
}

/**
 * Other clients' requests, each known only within a span of time: it arrived after the last
 * answer that did not count it, and before the answer that did.
 */
class OthersLog {
	/** The latest each can have arrived, ascending: its slot is sure to be free one window on. */
	readonly latest: number[] = [];

	/** The earliest each can have arrived (same order): its slot may be free one window on. */
	private readonly earliest: number[] = [];

	add(earliest: number, latest: number): void {
		this.earliest.splice(insertSorted(this.latest, latest), 0, earliest);
	}

	keepNewest(n: number): void {
		keepNewest(this.latest, n);
		keepNewest(this.earliest, n);
	}

	/**
	 * ScaiGrid counts `n` fewer requests in the window ending at `to` than the log: removes as many
	 * of those in it that can have left before `from`, the earliest first.
	 */
	removeLeft(n: number, from: number, to: number): void {
		const gone = this.latest
			.map((_, i) => i)
			.filter((i) => this.latest[i] > from && this.latest[i] <= to && this.earliest[i] <= from)
			.sort((a, b) => this.earliest[a] - this.earliest[b])
			.slice(0, n)
			.sort((a, b) => b - a);
		for (const i of gone) {
			this.latest.splice(i, 1);
			this.earliest.splice(i, 1);
		}
	}

	/**
	 * The earliest time one of those the log counts in the window at `now` may have left, among
	 * those whose arrival is known no better than `vagueMs`: worth a probe before the log frees it.
	 */
	mayLeaveAt(now: number, windowMs: number, vagueMs: number): number | undefined {
		let first: number | undefined;
		for (let i = 0; i < this.latest.length; i++) {
			if (this.latest[i] <= now - windowMs || this.latest[i] - this.earliest[i] <= vagueMs)
				continue;
			const leaves = this.earliest[i] + windowMs;
			if (first === undefined || leaves < first) first = leaves;
		}
		return first;
	}
}

/**
 * The reset header has whole-second resolution, so a pacer that only waits for it loses up to
 * a second per window, and with windows of a few seconds it falls into 3-second cycles for a
 * 2-second window. The pacer therefore keeps its own picture of the key's sliding window: when
 * each request in it arrived, and how long the window is. A slot is free again one window after
 * the request that took it.
 *
 * - **Our requests** are logged at their send times once ScaiGrid admits them.
 * - **Other clients' requests** (other n8n processes, queue-mode workers, other programs on the
 *   same key) are counted from the answers: when an answer says the window holds more requests
 *   than the log has, the missing ones came after the answer before and by that answer's
 *   request. The log frees their slots from the latest time, so never too early; when it would
 *   wait longer than the earliest time (or ScaiGrid's reset) says is needed, one request checks
 *   (`checkAt`): another process that went quiet, or reached ScaiGrid long before its requests
 *   showed, leaves no slot unused for long. An answer that counts fewer than the log drops those
 *   that can have left.
 * - **The window's length** is learned as an upper bound from our own requests: each answer says
 *   how many requests the window holds and when its oldest leaves, so the window is at most that
 *   reset minus the send time of the request that many back in our log. Other clients' requests
 *   only make that bound larger (safe). It only ever shrinks as answers come in. Rounding the
 *   reset up leaves up to a second in it; ScaiGrid's windows are whole seconds (60 s by its
 *   docs), and the bound's last second holds exactly one whole second, which the pacer takes as
 *   the window.
 *
 * A refusal (429) tells the log the window was full when the refused request arrived. Refusals
 * are expected where several processes share a key, each seeing the same free slots: they cost
 * a request, not time, and the log stays in charge. Only a refusal that shows the log itself was
 * early suspends it for the refusal's hold (`refused`).
 */
class WindowLog {
	/** Send times of our admitted requests, ascending; the last `limit` are enough. */
	private own: number[] = [];

	/**
	 * When each of them was answered (same order): it reached ScaiGrid by then, so its slot is
	 * sure to be free one window later, the slack not needed.
	 */
	private ownAnswered: number[] = [];

	/** Other clients' requests. */
	private others = new OthersLog();

	/** Send times of our requests whose answers told how full the window was; ascending, recent. */
	private samples: number[] = [];

	/** Send times of our requests still unanswered, ascending: ScaiGrid may count them already. */
	private pending: number[] = [];

	/** Learned upper bound of the window's length, in ms. */
	private boundMs = Infinity;

	/** The limit the window is counted against (the Limit header): how many requests it holds. */
	private limit?: number;

	/** Set by a refusal: the log is not used before its hold ends. */
	private suspendedUntil = -Infinity;

	/** The slack after a slot's due time (SLOT_MARGIN_MS). */
	marginMs = SLOT_MARGIN_MS;

	/** When an answer last showed requests of other clients (our clock). */
	private othersSeenAt = -Infinity;

	/** The end of the hold after which the slack last grew: one growth per refusal episode. */
	private grewForHoldUntil = -Infinity;

	/** A request goes out. */
	sent(sentAt: number): void {
		insertSorted(this.pending, sentAt);
	}

	/** A request's answer came (or it failed): it is no longer pending. */
	answered(sentAt: number): void {
		const i = this.pending.indexOf(sentAt);
		if (i >= 0) this.pending.splice(i, 1);
	}

	/** Records an admitted request and what its answer says of the window. */
	admitted(ticket: PacerTicket & { sentAt: number }, state: RateLimitState, t: number): void {
		const { sentAt } = ticket;
		if (state.limit !== undefined && state.limit !== this.limit) {
			// Another level's limit (key, user, tenant): its window is a new unknown.
			this.limit = state.limit;
			this.own = [];
			this.ownAnswered = [];
			this.others = new OthersLog();
			this.samples = [];
			this.boundMs = Infinity;
		}
		if (this.limit === undefined) return;
		this.ownAnswered.splice(insertSorted(this.own, sentAt), 0, t);
		keepNewest(this.own, this.limit);
		keepNewest(this.ownAnswered, this.limit);
		// On time, not early: the slack shrinks by a quarter of its excess per window's worth.
		if (ticket.byLog) this.marginMs -= (this.marginMs - SLOT_MARGIN_MS) / (4 * this.limit);
		if (state.remaining === undefined || state.reset === undefined) return;
		// The window now holds `held` requests, this one the newest: the oldest of them leaves at
		// the announced reset (rounded up to a second), so the window is at most that long.
		const held = this.limit - state.remaining;
		const newest = this.own.lastIndexOf(sentAt);
		const oldest = this.own[newest - held + 1];
		if (held >= 1 && oldest !== undefined)
			this.boundMs = Math.min(this.boundMs, state.reset * 1000 - oldest);
		if (this.countOthers(sentAt, held) > 0) this.othersSeenAt = sentAt;
	}

	/**
	 * ScaiGrid counted `held` requests in the window when the request sent at `sentAt` arrived.
	 * Those the log does not know are other clients': they arrived after the answer before (which
	 * did not count them) and by `sentAt`, the latest, from which the log frees their slots. Fewer
	 * than the log knows: other clients' requests have left sooner than the log assumed.
	 */
	private countOthers(sentAt: number, held: number, arrivedAfter?: number): number {
		const windowMs = this.windowMs();
		if (this.limit === undefined || !Number.isFinite(windowMs)) return 0;
		const from = sentAt - windowMs;
		const known =
			countWithin(this.own, from, sentAt) +
			countWithin(this.others.latest, from, sentAt) +
			countWithin(this.pending, from, sentAt);
		const earliest = arrivedAfter ?? Math.max(from, newestBefore(this.samples, sentAt) ?? from);
		for (let missing = held - known; missing > 0; missing--) this.others.add(earliest, sentAt);
		if (held < known) this.others.removeLeft(known - held, from, sentAt);
		this.others.keepNewest(this.limit);
		insertSorted(this.samples, sentAt);
		keepNewest(this.samples, this.limit);
		return Math.max(0, held - known);
	}

	/** The window's length as far as known: the whole seconds within the bound, or the bound. */
	private windowMs(): number {
		const wholeSeconds = Math.floor(this.boundMs / 1000) * 1000;
		return wholeSeconds > 0 ? wholeSeconds : this.boundMs;
	}

	/**
	 * ScaiGrid turned a request away: the window was full when it arrived. If the log had let it
	 * go, the slot was not free, for one of two reasons:
	 * - another client took it (answers showed other clients' requests within the last two
	 *   windows, or ScaiGrid names a wait of a whole window: the window had just filled anew).
	 *   The log, now counting the window as full, stays in charge: it knows when each slot frees
	 *   to the millisecond, where Retry-After is rounded up to whole seconds.
	 * - the log was early (our request reached ScaiGrid later than the log assumed). The hold
	 *   ending at `holdEndsAt` decides until then, and the log's slack grows, once for the whole
	 *   burst of refusals.
	 *
	 * The requests that filled the window and the log does not know are logged at the refused
	 * request's send time; only while other clients are about can they have come any time since
	 * the answer before (a whole window's wait says they came just now).
	 */
	refused(ticket: PacerTicket, state: RateLimitState, t: number, holdEndsAt: number): void {
		const windowMs = this.windowMs();
		const othersAbout = this.othersAbout(t, windowMs);
		const filledJustNow = state.retryAfterMs !== undefined && state.retryAfterMs >= windowMs;
		if (ticket.sentAt !== undefined && this.limit !== undefined)
			this.countOthers(
				ticket.sentAt,
				this.limit,
				othersAbout && !filledJustNow ? undefined : ticket.sentAt,
			);
		const takenByAnother = othersAbout || filledJustNow;
		if (!ticket.byLog || takenByAnother) return;
		this.suspendedUntil = Math.max(this.suspendedUntil, holdEndsAt);
		if (t > this.grewForHoldUntil) {
			this.marginMs = Math.min(MAX_SLOT_MARGIN_MS, this.marginMs + SLOT_MARGIN_MS);
			this.grewForHoldUntil = holdEndsAt;
		}
	}

	/** Answers showed other clients' requests within the last two windows. */
	private othersAbout(now: number, windowMs: number): boolean {
		return now - this.othersSeenAt < 2 * windowMs;
	}

	/** Our requests in flight fill the whole window. */
	takenByOurs(inFlight: number): boolean {
		return this.limit !== undefined && inFlight >= this.limit;
	}

	/** When one more request may go, `inFlight` being out already; undefined when the log can't tell. */
	slotFreeAt(inFlight: number, now: number): number | undefined {
		if (now < this.suspendedUntil || this.limit === undefined || !Number.isFinite(this.boundMs))
			return undefined;
		const free = this.limit - inFlight;
		if (free <= 0) return undefined;
		const taking = newestBut(this.own, this.others.latest, free - 1);
		if (taking === undefined) return undefined;
		const { at, inA, index } = taking;
		// Ours that were answered quickly are sure to have arrived by the answer.
		const from = inA ? Math.min(at + this.marginMs, this.ownAnswered[index]) : at + this.marginMs;
		return from + this.windowMs();
	}

	/**
	 * When a probe may find a slot the log counts as taken: one of another client's requests,
	 * known only roughly, may have left the window by then, or ScaiGrid's reset (`resetAtMs`,
	 * when it said the window's oldest request leaves) comes before the log's next slot, which
	 * happens when the other client's requests came long before the answer that showed them.
	 * Checks are spaced an eighth of the window apart (a refused check costs a request, not a
	 * slot); where the log knows an arrival to within that spacing, it just waits for the slot.
	 */
	checkAt(lastCheckAt: number, now: number, resetAtMs: number): number | undefined {
		const windowMs = this.windowMs();
		if (now < this.suspendedUntil || !Number.isFinite(windowMs)) return undefined;
		const spacingMs = Math.max(CHECK_SPACING_MS, windowMs / 8);
		const othersMayLeave = this.others.mayLeaveAt(now, windowMs, spacingMs);
		const first = Math.min(
			othersMayLeave === undefined ? Infinity : othersMayLeave + this.marginMs,
			this.othersAbout(now, windowMs) ? resetAtMs : Infinity,
		);
		return Number.isFinite(first) ? Math.max(first, lastCheckAt + spacingMs) : undefined;
	}
}

/** The entry with `skip` newer ones, counting both ascending lists together. */
function newestBut(
	a: number[],
	b: number[],
	skip: number,
): { at: number; inA: boolean; index: number } | undefined {
	let i = a.length - 1;
	let j = b.length - 1;
	for (let k = 0; ; k++) {
		if (i < 0 && j < 0) return undefined;
		const inA = j < 0 || (i >= 0 && a[i] >= b[j]);
		const index = inA ? i-- : j--;
		if (k === skip) return { at: inA ? a[index] : b[index], inA, index };
	}
}

export class Pacer {
	private remaining?: number;

	private resetAtMs = 0;

	/** Requests sent since the last known `remaining`, which that number does not count yet. */
	private inFlight = 0;

	private probing = false;

	/** When the last probe for other clients' slots went (WindowLog.checkAt). */
	private checkedAt = -Infinity;

	/** When the last refusal came in (our clock): answers to requests sent before it are older news. */
	private refusedAt = -Infinity;

	/** When the last refusal's hold ends. */
	private heldUntil = -Infinity;

	private waiters: Array<() => void> = [];

	private readonly log = new WindowLog();

	/**
	 * Waits until a request may go out without exceeding the known budget. Never waits longer
	 * than `maxWaitMs`: beyond that the request goes and ScaiGrid's answer decides.
	 */
	async acquire(
		maxWaitMs: number,
		signal?: AbortSignal,
		now: () => number = Date.now,
	): Promise<PacerTicket> {
		let byLog = false;
		for (;;) {
			const t = now();
			if (this.remaining === undefined || this.remaining - this.inFlight > 0) break;
			const slotFreeAt = this.log.slotFreeAt(this.inFlight, t);
			if (slotFreeAt !== undefined) {
				byLog = t >= slotFreeAt;
				if (byLog || slotFreeAt - t > maxWaitMs) break;
				const checkAt = this.probing
					? undefined
					: this.log.checkAt(this.checkedAt, t, this.resetAtMs);
				if (checkAt !== undefined && checkAt <= t) {
					this.probing = true;
					this.checkedAt = t;
					return this.send({ probe: true, checksOthers: true, sentAt: t });
				}
				await this.waitForChange(Math.min(slotFreeAt, checkAt ?? Infinity) - t, signal);
				continue;
			}
			// With as many of our requests out as the window holds, only their answers can tell.
			const answersDecide = this.probing || this.log.takenByOurs(this.inFlight);
			if (t >= this.resetAtMs && !answersDecide) {
				// The window moved on, but by how much is unknown (sliding windows free one slot at
				// a time): send one request and let its answer tell the others.
				this.probing = true;
				return this.send({ probe: true, sentAt: t });
			}
			const waitMs = answersDecide ? maxWaitMs : this.resetAtMs - t;
			if (waitMs > maxWaitMs && !answersDecide) break;
			await this.waitForChange(waitMs, signal);
		}
		return this.send({ probe: false, sentAt: now(), byLog });
	}

	private send(ticket: PacerTicket & { sentAt: number }): PacerTicket {
		this.inFlight++;
		this.log.sent(ticket.sentAt);
		return ticket;
	}

	/** Called once per acquired request, with the rate-limit headers of its answer if any. */
	release(
		ticket: PacerTicket,
		state: RateLimitState | undefined,
		now: () => number = Date.now,
	): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		if (ticket.probe) this.probing = false;
		if (ticket.sentAt !== undefined) this.log.answered(ticket.sentAt);
		const t = now();
		if (state?.refused) this.hold(ticket, state, t);
		else {
			if (state && ticket.sentAt !== undefined)
				this.log.admitted({ ...ticket, sentAt: ticket.sentAt }, state, t);
			this.learnBudget(ticket, state, t);
		}
		const waiters = this.waiters;
		this.waiters = [];
		for (const wake of waiters) wake();
	}

	/**
	 * ScaiGrid turned a request away and said when another one gets through: hold the key that
	 * long, the same wait the refused request's retry makes, unless the window log knows when the
	 * next slot frees (WindowLog.refused). The Reset may lie far beyond it (the end of the whole
	 * sliding window) and is no reason to wait longer; only without a Retry-After is the Reset all
	 * there is to go by. "Another request" is one: when the hold ends and the log cannot tell, one
	 * probe goes and its answer tells the others, so the held requests do not all run into the
	 * limit again.
	 */
	private hold(ticket: PacerTicket, state: RateLimitState, t: number): void {
		// Retry-After counts from ScaiGrid's answer, and a refusal is answered at once: soon after
		// the request went out. A busy n8n process can read that answer much later; counting from
		// then would add the delay to every hold.
		const answeredAt = Math.min(t, (ticket.sentAt ?? t) + this.log.marginMs);
		let holdEndsAt =
			state.retryAfterMs !== undefined
				? answeredAt + state.retryAfterMs
				: state.reset !== undefined
					? state.reset * 1000 + RESET_MARGIN_MS
					: undefined;
		// Neither figure: nothing to hold the others by; the refused request's backoff decides.
		if (holdEndsAt === undefined) return;
		// Refusals of one burst arrive in any order: the hold ends with the latest of them.
		if (t < this.heldUntil) holdEndsAt = Math.max(holdEndsAt, this.heldUntil);
		this.heldUntil = holdEndsAt;
		this.remaining = 0;
		this.resetAtMs = holdEndsAt;
		this.refusedAt = t;
		this.log.refused(ticket, state, t, holdEndsAt);
	}

	/** What an admitted request's answer says of the budget left in the window. */
	private learnBudget(ticket: PacerTicket, state: RateLimitState | undefined, t: number): void {
		if (ticket.sentAt !== undefined && ticket.sentAt < this.refusedAt) {
			// Sent before the last refusal, answered after it: what it says of the budget is older news.
		} else if (state?.remaining !== undefined) {
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
