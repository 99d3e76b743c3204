/**
 * The pacer holds requests back when the key's rate-limit budget is used up, until the window
 * resets; then one probe learns the new budget for the others. A refusal with a Retry-After
 * holds the key for exactly that long. Time is injected (`now`) so the
 * reset can be placed a few real milliseconds ahead; the waits themselves are real and short.
 */
import { readRetryAfterMs } from '../../nodes/shared/retry/retryAfter';
import { Pacer, pacerFor, readRateLimit } from '../../nodes/shared/transport/pacer';
import type { PacerTicket } from '../../nodes/shared/transport/pacer';

/** The pacer adds this to the announced reset (clock skew between ScaiGrid and us). */
const RESET_MARGIN_MS = 250;
const SLACK_MS = 150;
const NORMAL: PacerTicket = { probe: false };

/** A clock that runs at real speed and reads `at` (ms) now. */
function clockFrom(at: number): () => number {
	const realStart = Date.now();
	return () => at + (Date.now() - realStart);
}

/**
 * A clock that starts where we want: the announced reset (whole Unix seconds) is `aheadMs` real
 * milliseconds away, margin included.
 */
function clockWithResetAhead(aheadMs: number): { now: () => number; reset: number } {
	const reset = 2_000_000_000; // Unix seconds
	return { now: clockFrom(reset * 1000 + RESET_MARGIN_MS - aheadMs), reset };
}

/** Resolves to the value, or 'pending' if the promise is still open after `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> {
	let timer: NodeJS.Timeout | undefined;
	const pending = new Promise<'pending'>((resolve) => {
		timer = setTimeout(() => resolve('pending'), ms);
	});
	try {
		return await Promise.race([promise, pending]);
	} finally {
		clearTimeout(timer);
	}
}

async function timed<T>(promise: Promise<T>): Promise<{ value: T; ms: number }> {
	const started = Date.now();
	const value = await promise;
	return { value, ms: Date.now() - started };
}

describe('Pacer.acquire', () => {
	it('does not wait while nothing is known about the budget', async () => {
		const pacer = new Pacer();
		const { value, ms } = await timed(pacer.acquire(10_000));
		expect(value).toMatchObject({ probe: false });
		expect(ms).toBeLessThan(20);
	});

	it('lets as many requests go as the budget has left, counting those in flight', async () => {
		const clock = clockWithResetAhead(5000);
		const pacer = new Pacer();
		pacer.release(NORMAL, { limit: 60, remaining: 2, reset: clock.reset }, clock.now);
		expect(await pacer.acquire(10_000, undefined, clock.now)).toMatchObject({ probe: false });
		expect(await pacer.acquire(10_000, undefined, clock.now)).toMatchObject({ probe: false });
		// Both are still in flight: a third has to wait.
		expect(await within(pacer.acquire(10_000, undefined, clock.now), 50)).toBe('pending');
	});

	it('with remaining 0, waits until the reset and then sends one probe', async () => {
		const clock = clockWithResetAhead(200);
		const pacer = new Pacer();
		pacer.release(NORMAL, { limit: 60, remaining: 0, reset: clock.reset }, clock.now);
		const { value, ms } = await timed(pacer.acquire(10_000, undefined, clock.now));
		expect(value).toMatchObject({ probe: true });
		expect(ms).toBeGreaterThanOrEqual(190);
		expect(ms).toBeLessThan(200 + SLACK_MS);
	});

	it('while the probe is out, others wait for its answer, which then sets the budget', async () => {
		const clock = clockWithResetAhead(0);
		const pacer = new Pacer();
		pacer.release(NORMAL, { limit: 60, remaining: 0, reset: clock.reset - 1 }, clock.now);
		const probe = await pacer.acquire(10_000, undefined, clock.now);
		expect(probe).toMatchObject({ probe: true });

		const second = pacer.acquire(10_000, undefined, clock.now);
		const third = pacer.acquire(10_000, undefined, clock.now);
		expect(await within(second, 50)).toBe('pending');

		// The probe's answer: a fresh window with budget for both.
		pacer.release(probe, { limit: 60, remaining: 5, reset: clock.reset + 60 }, clock.now);
		expect(await within(second, 50)).toMatchObject({ probe: false });
		expect(await within(third, 50)).toMatchObject({ probe: false });
	});

	it('a probe answered without rate-limit headers stops holding requests back', async () => {
		const clock = clockWithResetAhead(0);
		const pacer = new Pacer();
		pacer.release(NORMAL, { remaining: 0, reset: clock.reset - 1 }, clock.now);
		const probe = await pacer.acquire(10_000, undefined, clock.now);
		expect(probe.probe).toBe(true);
		const waiting = pacer.acquire(10_000, undefined, clock.now);
		pacer.release(probe, undefined, clock.now);
		expect(await within(waiting, 50)).toMatchObject({ probe: false });
		// And later ones go at once.
		expect(await within(pacer.acquire(10_000, undefined, clock.now), 20)).toMatchObject({
			probe: false,
		});
	});

	it('a probe answered with remaining 0 again waits for the next reset', async () => {
		const clock = clockWithResetAhead(0);
		const pacer = new Pacer();
		pacer.release(NORMAL, { remaining: 0, reset: clock.reset - 1 }, clock.now);
		const probe = await pacer.acquire(10_000, undefined, clock.now);
		// The window is still full: ScaiGrid says the next slot frees up in 1 s.
		pacer.release(probe, { remaining: 0, reset: clock.reset + 1 }, clock.now);
		expect(await within(pacer.acquire(10_000, undefined, clock.now), 100)).toBe('pending');
	});

	it('never waits longer than maxWaitMs: beyond it the request goes and ScaiGrid decides', async () => {
		const clock = clockWithResetAhead(30_000);
		const pacer = new Pacer();
		pacer.release(NORMAL, { remaining: 0, reset: clock.reset }, clock.now);
		const { value, ms } = await timed(pacer.acquire(1000, undefined, clock.now));
		expect(value).toMatchObject({ probe: false });
		expect(ms).toBeLessThan(50);
	});

	it('a release by another request wakes a waiter early', async () => {
		const clock = clockWithResetAhead(5000);
		const pacer = new Pacer();
		pacer.release(NORMAL, { remaining: 1, reset: clock.reset }, clock.now);
		const first = await pacer.acquire(10_000, undefined, clock.now);
		const second = pacer.acquire(10_000, undefined, clock.now);
		expect(await within(second, 50)).toBe('pending');
		// The first answer comes back: it is no longer in flight and reports budget left, so the
		// waiter goes now, not at the reset 5 s away.
		const started = Date.now();
		pacer.release(first, { remaining: 3, reset: clock.reset }, clock.now);
		expect(await within(second, 50)).toMatchObject({ probe: false });
		expect(Date.now() - started).toBeLessThan(50);
	});

	it('cancelling stops a wait at once', async () => {
		const clock = clockWithResetAhead(5000);
		const pacer = new Pacer();
		pacer.release(NORMAL, { remaining: 0, reset: clock.reset }, clock.now);
		const controller = new AbortController();
		const waiting = pacer.acquire(10_000, controller.signal, clock.now);
		setTimeout(() => controller.abort(new Error('cancelled by test')), 50);
		const started = Date.now();
		await expect(waiting).rejects.toThrow('cancelled by test');
		expect(Date.now() - started).toBeLessThan(50 + SLACK_MS);
	});
});

describe('Pacer.release', () => {
	it('within one window keeps the lowest remaining (answers overtake each other)', async () => {
		const clock = clockWithResetAhead(5000);
		const pacer = new Pacer();
		pacer.release(NORMAL, { remaining: 5, reset: clock.reset }, clock.now);
		pacer.release(NORMAL, { remaining: 2, reset: clock.reset }, clock.now);
		pacer.release(NORMAL, { remaining: 4, reset: clock.reset }, clock.now);
		expect(await within(pacer.acquire(10_000, undefined, clock.now), 20)).toMatchObject({
			probe: false,
		});
		expect(await within(pacer.acquire(10_000, undefined, clock.now), 20)).toMatchObject({
			probe: false,
		});
		expect(await within(pacer.acquire(10_000, undefined, clock.now), 50)).toBe('pending');
	});

	it('without a reset header, assumes the window frees up in a second', async () => {
		const pacer = new Pacer();
		const realNow = Date.now;
		pacer.release(NORMAL, { remaining: 0 }, realNow);
		// A wait of about 1 s (+ the clock-skew margin is not added without a reset): probe after it.
		const { value, ms } = await timed(pacer.acquire(10_000));
		expect(value).toMatchObject({ probe: true });
		expect(ms).toBeGreaterThanOrEqual(990);
		expect(ms).toBeLessThan(1000 + SLACK_MS);
	});
});

describe('the window log: slots free one window after the request that took them', () => {
	const LIMIT = 3;
	/** The pacer waits this long after a slot frees by its log (at first: it grows when early). */
	const SLOT_MARGIN_MS = 100;

	/**
	 * Answers come this long after their requests went: slower than the slack (at most 500 ms),
	 * so the slack decides when a slot of ours frees. (Quicker answers free it sooner: the request
	 * reached ScaiGrid by its answer.)
	 */
	const ANSWER_MS = 500;

	/**
	 * A pacer that sent LIMIT requests at `sendTimes` (ms after the start) and got their answers:
	 * the window is full, and ScaiGrid said its oldest request leaves at `reset` (whole seconds),
	 * which is `resetAheadMs` after the first send. Each answer came `answerMs` after its request.
	 */
	async function fullWindow(sendTimes: number[], resetAheadMs: number, answerMs = ANSWER_MS) {
		const reset = 2_000_000_000;
		const start = reset * 1000 - resetAheadMs;
		const now = clockFrom(start);
		const pacer = new Pacer();
		const answers: Array<[PacerTicket, number]> = [];
		for (const [i, at] of sendTimes.entries()) {
			answers.push([{ probe: false, sentAt: start + at }, LIMIT - 1 - i]);
		}
		for (const [ticket, remaining] of answers)
			pacer.release(ticket, { limit: LIMIT, remaining, reset }, () => ticket.sentAt! + answerMs);
		return { pacer, now, start, reset };
	}

	it('learns the window from the reset header and its own send times, then frees each slot on time', async () => {
		// Sent at 0, 30 and 60 ms; the oldest leaves at 300 ms at the latest: the window is ≤ 300 ms.
		const { pacer, now, start } = await fullWindow([0, 30, 60], 300);
		const first = await timed(pacer.acquire(10_000, undefined, now));
		expect(first.value).toMatchObject({ probe: false });
		// Not at the reset plus its clock margin (550 ms), but when the oldest request's slot frees.
		expect(first.value.sentAt! - start).toBeGreaterThanOrEqual(300 + SLOT_MARGIN_MS);
		expect(first.value.sentAt! - start).toBeLessThan(300 + SLOT_MARGIN_MS + SLACK_MS);
		// The next slot frees one window after the second request (30 ms later), not at once.
		const second = await pacer.acquire(10_000, undefined, now);
		expect(second.sentAt! - start).toBeGreaterThanOrEqual(330 + SLOT_MARGIN_MS);
		expect(second.sentAt! - start).toBeLessThan(330 + SLOT_MARGIN_MS + SLACK_MS);
	});

	it('frees a slot of ours one window after its answer when that came sooner than the slack: the request had reached ScaiGrid by then', async () => {
		const { pacer, now, start } = await fullWindow([0, 30, 60], 300, 20);
		const first = await timed(pacer.acquire(10_000, undefined, now));
		expect(first.value).toMatchObject({ byLog: true });
		expect(first.value.sentAt! - start).toBeGreaterThanOrEqual(20 + 300);
		// Before the send time plus the slack (400 ms).
		expect(first.value.sentAt! - start).toBeLessThan(300 + SLOT_MARGIN_MS);
		const second = await pacer.acquire(10_000, undefined, now);
		expect(second.sentAt! - start).toBeGreaterThanOrEqual(50 + 300);
		expect(second.sentAt! - start).toBeLessThan(30 + 300 + SLOT_MARGIN_MS);
	});

	it("takes the window to be the whole seconds within the bound (ScaiGrid's windows are whole seconds)", async () => {
		// The oldest leaves 1,300 ms after it was sent at the latest: a window of 1 s, with a margin.
		const { pacer, now, start } = await fullWindow([0, 30, 60], 1300);
		const { value } = await timed(pacer.acquire(10_000, undefined, now));
		expect(value).toMatchObject({ probe: false });
		expect(value.sentAt! - start).toBeGreaterThanOrEqual(1000 + SLOT_MARGIN_MS);
		expect(value.sentAt! - start).toBeLessThan(1000 + SLOT_MARGIN_MS + SLACK_MS);
	});

	it('keeps the smallest bound: a later answer that allows a longer window changes nothing', async () => {
		const { pacer, now, start, reset } = await fullWindow([0, 30, 60], 300);
		// An answer whose oldest request is the one sent at 60 ms, leaving at the next whole second.
		pacer.release(
			{ probe: false, sentAt: start + 60 },
			{ limit: LIMIT, remaining: 0, reset: reset + 1 },
			now,
		);
		const { value } = await timed(pacer.acquire(10_000, undefined, now));
		expect(value.sentAt! - start).toBeLessThan(300 + SLOT_MARGIN_MS + SLACK_MS);
	});

	it('counts requests of other clients from the answers: their slots free one window after the answer that showed them', async () => {
		const { pacer, now, start, reset } = await fullWindow([0, 100, 200], 300);
		// A request of ours sent at 450 ms is admitted, and the window (150–450 ms) holds 3: ours
		// at 200 and 450, and one of another process's, at 450 ms at the latest.
		pacer.release(
			{ probe: false, sentAt: start + 450 },
			{ limit: LIMIT, remaining: 0, reset: reset + 1 },
			() => start + 450 + ANSWER_MS,
		);
		// So the next slot frees when ours of 200 ms leaves (500 ms), not ours of 100 ms (400 ms).
		const { value } = await timed(pacer.acquire(10_000, undefined, now));
		expect(value).toMatchObject({ byLog: true });
		expect(value.sentAt! - start).toBeGreaterThanOrEqual(200 + 300 + SLOT_MARGIN_MS);
		expect(value.sentAt! - start).toBeLessThan(200 + 300 + SLOT_MARGIN_MS + SLACK_MS);
	});

	describe("other clients' requests known only roughly (another process answered in between)", () => {
		/**
		 * Our three requests at 0, 30 and 60 ms fill the window (1 s: the reset says at most 1.3 s).
		 * Then ours sent at 1,200 ms is admitted with the window full: the two requests of another
		 * client in it came after our answer of 60 ms (it did not count them) and by 1,200 ms. The
		 * log frees their slots when they are sure to have left, at 2,200 ms, but they may leave
		 * from 1,060 ms on: a check may go from then (plus the slack), not before 1,300 ms here,
		 * since they cannot have arrived before the window of 1,200 ms began (200 ms).
		 */
		async function othersKnownRoughly() {
			const window = await fullWindow([0, 30, 60], 1300);
			const { pacer, start, reset } = window;
			const now = clockFrom(start + 1200);
			pacer.release(
				{ probe: false, sentAt: start + 1200 },
				{ limit: LIMIT, remaining: 0, reset: reset + 1 },
				now,
			);
			return { ...window, now };
		}

		it('sends one request to see once they may have left; its answer lets the freed slots go', async () => {
			const { pacer, now, start, reset } = await othersKnownRoughly();
			const check = await timed(pacer.acquire(10_000, undefined, now));
			expect(check.value).toMatchObject({ probe: true, checksOthers: true });
			expect(check.value.sentAt! - start).toBeGreaterThanOrEqual(1000 + 200 + SLOT_MARGIN_MS);
			expect(check.value.sentAt! - start).toBeLessThan(1000 + 200 + SLOT_MARGIN_MS + SLACK_MS);
			// While it is out, the others wait for its answer.
			const next = pacer.acquire(10_000, undefined, now);
			const another = pacer.acquire(10_000, undefined, now);
			expect(await within(next, 50)).toBe('pending');
			// Admitted, and the window holds only it and ours of 1,200 ms: the other client's two
			// requests have left. One slot is left, and one more request goes at once; not two.
			pacer.release(check.value, { limit: LIMIT, remaining: 1, reset: reset + 2 }, now);
			expect(await within(next, 50)).toMatchObject({ probe: false });
			expect(await within(another, 50)).toBe('pending');
		});

		it("goes at ScaiGrid's reset when that comes before the log's next slot (the other client's requests came earlier than the log could tell)", async () => {
			const { pacer, start, reset } = await fullWindow([0, 30, 60], 1300);
			const now = clockFrom(start + 1200);
			// Ours of 1,190 ms: the window holds only it. Ours of 1,200 ms: the window holds 3, so
			// another client's request came in between, the log assumes; its slot frees at
			// 2,200 ms. But the reset says the window's oldest request leaves by 1,300 ms.
			pacer.release(
				{ probe: false, sentAt: start + 1190 },
				{ limit: LIMIT, remaining: 2, reset: reset + 1 },
				now,
			);
			pacer.release(
				{ probe: false, sentAt: start + 1200 },
				{ limit: LIMIT, remaining: 0, reset },
				now,
			);
			const check = await timed(pacer.acquire(10_000, undefined, now));
			expect(check.value).toMatchObject({ probe: true, checksOthers: true });
			expect(check.value.sentAt! - start).toBeGreaterThanOrEqual(1300 + RESET_MARGIN_MS);
			expect(check.value.sentAt! - start).toBeLessThan(1300 + RESET_MARGIN_MS + SLACK_MS);
		});

		it('a refused check changes nothing but the time of the next one, an eighth of the window (at least 250 ms) later', async () => {
			const { pacer, now, start, reset } = await othersKnownRoughly();
			const check = await pacer.acquire(10_000, undefined, now);
			expect(check).toMatchObject({ checksOthers: true });
			pacer.release(
				check,
				{ limit: LIMIT, remaining: 0, reset: reset + 1, refused: true, retryAfterMs: 500 },
				now,
			);
			const again = await timed(pacer.acquire(10_000, undefined, now));
			expect(again.value).toMatchObject({ probe: true, checksOthers: true });
			expect(again.value.sentAt! - check.sentAt!).toBeGreaterThanOrEqual(250);
			expect(again.value.sentAt! - check.sentAt!).toBeLessThan(250 + SLACK_MS);
			// Refused again, and again: the checks go on, a spacing apart, until the log frees the
			// slots at 2,200 ms plus the slack, not grown (a refused check is no sign of the log
			// being early).
			pacer.release(
				again.value,
				{ limit: LIMIT, remaining: 0, reset: reset + 1, refused: true, retryAfterMs: 500 },
				now,
			);
			const checks = [];
			let last;
			do {
				last = await pacer.acquire(10_000, undefined, now);
				if (last.checksOthers) {
					checks.push(last);
					pacer.release(
						last,
						{ limit: LIMIT, remaining: 0, reset: reset + 1, refused: true, retryAfterMs: 500 },
						now,
					);
				}
			} while (last.checksOthers);
			expect(checks.length).toBeLessThanOrEqual(3);
			expect(last).toMatchObject({ probe: false, byLog: true });
			expect(last.sentAt! - start).toBeGreaterThanOrEqual(2200 + SLOT_MARGIN_MS);
			expect(last.sentAt! - start).toBeLessThan(2200 + SLOT_MARGIN_MS + SLACK_MS);
		});
	});

	it('with as many of its own requests out as the window holds, waits for their answers (no probe into a full window)', async () => {
		const { pacer, now, start, reset } = await fullWindow([0, 30, 60], 300);
		const out = [];
		for (let i = 0; i < LIMIT; i++) out.push(await pacer.acquire(10_000, undefined, now));
		// The reset is long past, and the log's slots too: still, all LIMIT slots are ours, in flight.
		const later = () => now() + 5000;
		const fourth = pacer.acquire(10_000, undefined, later);
		expect(await within(fourth, 100)).toBe('pending');
		// An answer: the window is full till the next whole second, the log decides again.
		pacer.release(out[0], { limit: LIMIT, remaining: 0, reset: reset + 6 }, later);
		expect(await within(fourth, 50)).toMatchObject({ probe: false, byLog: true });
	});

	it('a refusal of a request the log let go makes its slack grow, once for the whole burst', async () => {
		const { pacer, now, start, reset } = await fullWindow([0, 30, 60], 300);
		const early = await pacer.acquire(10_000, undefined, now);
		const alsoEarly = await pacer.acquire(10_000, undefined, now);
		expect(early).toMatchObject({ byLog: true });
		const refusal = {
			limit: LIMIT,
			remaining: 0,
			reset: reset + 1,
			refused: true,
			retryAfterMs: 100,
		};
		pacer.release(early, refusal, now);
		pacer.release(alsoEarly, refusal, now);
		// The window was full when the first of them arrived (400 ms): its three slots free at
		// 700 ms, and the next request waits for that plus the slack, grown once (not twice).
		expect(early.sentAt! - start).toBeGreaterThanOrEqual(400);
		const { value } = await timed(pacer.acquire(10_000, undefined, now));
		expect(value).toMatchObject({ byLog: true });
		const due = early.sentAt! + 300;
		expect(value.sentAt! - due).toBeGreaterThanOrEqual(2 * SLOT_MARGIN_MS);
		expect(value.sentAt! - due).toBeLessThan(2 * SLOT_MARGIN_MS + SLACK_MS);
	});

	it('a refusal naming a whole window leaves the slack as it is: another client took the slot, the log was not early', async () => {
		const { pacer, now } = await fullWindow([0, 30, 60], 300);
		const taken = await pacer.acquire(10_000, undefined, now);
		expect(taken).toMatchObject({ byLog: true });
		pacer.release(
			taken,
			{ limit: LIMIT, remaining: 0, reset: 2_000_000_001, refused: true, retryAfterMs: 300 },
			now,
		);
		const { value } = await timed(pacer.acquire(10_000, undefined, now));
		const due = taken.sentAt! + 300;
		expect(value.sentAt! - due).toBeGreaterThanOrEqual(SLOT_MARGIN_MS);
		// Grown, it would be twice the margin.
		expect(value.sentAt! - due).toBeLessThan(2 * SLOT_MARGIN_MS);
	});

	it('a refusal while answers show other clients (queue-mode workers) is competition: the slack stays', async () => {
		const { pacer, now, start, reset } = await fullWindow([0, 100, 200], 300);
		// As in the test above: an answer at 450 ms shows another client's request.
		pacer.release(
			{ probe: false, sentAt: start + 450 },
			{ limit: LIMIT, remaining: 0, reset: reset + 1 },
			() => start + 450 + ANSWER_MS,
		);
		const taken = await pacer.acquire(10_000, undefined, now);
		expect(taken).toMatchObject({ byLog: true });
		expect(taken.sentAt! - start).toBeGreaterThanOrEqual(200 + 300 + SLOT_MARGIN_MS);
		// Refused: the other client took that slot. Retry-After, in whole seconds, says 1 s.
		pacer.release(
			taken,
			{ limit: LIMIT, remaining: 0, reset: reset + 1, refused: true, retryAfterMs: 1000 },
			now,
		);
		// The window now holds ours of 450 ms, the other's, and one more at 600 ms: the next slot
		// is ours of 450 ms, one window and the slack (not grown) on; the log, counting the window
		// as full, decides, not a hold of the whole second.
		const { value } = await timed(pacer.acquire(10_000, undefined, now));
		expect(value.sentAt! - start).toBeGreaterThanOrEqual(450 + 300 + SLOT_MARGIN_MS);
		expect(value.sentAt! - start).toBeLessThan(450 + 300 + 2 * SLOT_MARGIN_MS);
	});

	it("after a refusal's hold the log decides again, with no probe first", async () => {
		const { pacer, start, reset } = await fullWindow([0, 30, 60], 300);
		const now = clockFrom(start);
		// A request sent at 250 ms (of another client's making, as far as the log knows) is
		// refused, Retry-After 100 ms: nothing goes before 360 ms.
		pacer.release(
			{ probe: false, sentAt: start + 250 },
			{ limit: LIMIT, remaining: 0, reset, refused: true, retryAfterMs: 100 },
			() => start + 260,
		);
		// Then the log: the window held our three, the first of which frees its slot at 300 ms.
		const { value } = await timed(pacer.acquire(10_000, undefined, now));
		expect(value).toMatchObject({ probe: false, byLog: true });
		expect(value.sentAt! - start).toBeGreaterThanOrEqual(360);
		expect(value.sentAt! - start).toBeLessThan(300 + SLOT_MARGIN_MS + SLACK_MS);
	});

	it('when the log was early and the 429 has no Retry-After, holds until the reset header', async () => {
		const { pacer, now, start, reset } = await fullWindow([0, 30, 60], 300);
		pacer.release(
			{ probe: false, sentAt: start + 70, byLog: true },
			{ limit: LIMIT, remaining: 0, reset, refused: true },
			now,
		);
		const { value } = await timed(pacer.acquire(10_000, undefined, now));
		expect(value.sentAt! - start).toBeGreaterThanOrEqual(300 + RESET_MARGIN_MS);
		expect(value.sentAt! - start).toBeLessThan(300 + RESET_MARGIN_MS + SLACK_MS);
	});

	it('a new limit (another level of the limiter) is a new window to learn', async () => {
		const { pacer, now, start, reset } = await fullWindow([0, 30, 60], 300);
		// The tenant's limit of 5 is full, but only 4 of those requests are ours: nothing to learn yet.
		pacer.release(
			{ probe: false, sentAt: start + 70 },
			{ limit: LIMIT + 2, remaining: 0, reset },
			now,
		);
		const { value } = await timed(pacer.acquire(10_000, undefined, now));
		expect(value).toMatchObject({ probe: true });
		expect(value.sentAt! - start).toBeGreaterThanOrEqual(300 + RESET_MARGIN_MS);
	});

	it('without enough of its own requests in the log (another client filled the window), waits for the reset', async () => {
		const reset = 2_000_000_000;
		const start = reset * 1000 - 300;
		const now = clockFrom(start);
		const pacer = new Pacer();
		// One request of ours, and ScaiGrid says the window is full.
		pacer.release({ probe: false, sentAt: start }, { limit: LIMIT, remaining: 0, reset }, now);
		const { value } = await timed(pacer.acquire(10_000, undefined, now));
		expect(value).toMatchObject({ probe: true });
		expect(value.sentAt! - start).toBeGreaterThanOrEqual(300 + RESET_MARGIN_MS);
	});
});

describe('a refusal (429 RATE_LIMITED) holds the key for its Retry-After, not until the Reset', () => {
	const RETRY_AFTER_MS = 200;

	/** A pacer whose request, sent 10 ms ago, was refused: Retry-After 200 ms, Reset 10 s ahead. */
	function refusedPacer() {
		const clock = clockWithResetAhead(10_000);
		const pacer = new Pacer();
		const sentAt = clock.now() - 10;
		pacer.release(
			{ probe: false, sentAt },
			{ limit: 60, remaining: 0, reset: clock.reset, refused: true, retryAfterMs: RETRY_AFTER_MS },
			clock.now,
		);
		return { pacer, clock, sentAt };
	}

	it('the next request waits the Retry-After and then goes, though the Reset is 10 s away', async () => {
		const { pacer, clock } = refusedPacer();
		const { value, ms } = await timed(pacer.acquire(60_000, undefined, clock.now));
		expect(value).toMatchObject({ probe: true });
		expect(ms).toBeGreaterThanOrEqual(RETRY_AFTER_MS - 5);
		expect(ms).toBeLessThan(RETRY_AFTER_MS + SLACK_MS);
	});

	it('when the hold ends one request goes first, and its answer lets the others go', async () => {
		const { pacer, clock } = refusedPacer();
		const started = Date.now();
		const waiting = [1, 2, 3].map(() => pacer.acquire(60_000, undefined, clock.now));
		const first = await Promise.race(waiting);
		expect(first).toMatchObject({ probe: true });
		expect(Date.now() - started).toBeLessThan(RETRY_AFTER_MS + SLACK_MS);
		// The one request ScaiGrid's Retry-After made room for is admitted; there is room for more.
		pacer.release(first, { limit: 60, remaining: 5, reset: clock.reset }, clock.now);
		const tickets = await Promise.all(waiting);
		expect(tickets.filter((t) => t.probe)).toHaveLength(1);
		expect(Date.now() - started).toBeLessThan(RETRY_AFTER_MS + SLACK_MS);
	});

	it('an answer to a request sent before the refusal does not bring the Reset back', async () => {
		const { pacer, clock, sentAt } = refusedPacer();
		// Sent beside the refused one, admitted, answered later: the window was full until the Reset.
		pacer.release(
			{ probe: false, sentAt: sentAt - 5 },
			{ limit: 60, remaining: 0, reset: clock.reset },
			clock.now,
		);
		const { ms } = await timed(pacer.acquire(60_000, undefined, clock.now));
		expect(ms).toBeLessThan(RETRY_AFTER_MS + SLACK_MS);
	});

	it('answers to requests sent after the refusal pace as before (Remaining 0 waits for the Reset)', async () => {
		const { pacer, clock } = refusedPacer();
		const probe = await pacer.acquire(60_000, undefined, clock.now);
		pacer.release(probe, { limit: 60, remaining: 0, reset: clock.reset }, clock.now);
		expect(await within(pacer.acquire(60_000, undefined, clock.now), 100)).toBe('pending');
	});

	it('a hold longer than maxWaitMs is not waited for: the request goes and ScaiGrid decides', async () => {
		const clock = clockWithResetAhead(10_000);
		const pacer = new Pacer();
		pacer.release(
			NORMAL,
			{ remaining: 0, reset: clock.reset, refused: true, retryAfterMs: 5000 },
			clock.now,
		);
		const { value, ms } = await timed(pacer.acquire(1000, undefined, clock.now));
		expect(value).toMatchObject({ probe: false });
		expect(ms).toBeLessThan(50);
	});

	it('a refusal without rate-limit headers holds for its Retry-After too', async () => {
		const pacer = new Pacer();
		pacer.release(NORMAL, { refused: true, retryAfterMs: RETRY_AFTER_MS });
		const { ms } = await timed(pacer.acquire(60_000));
		expect(ms).toBeGreaterThanOrEqual(RETRY_AFTER_MS - 5);
		expect(ms).toBeLessThan(RETRY_AFTER_MS + SLACK_MS);
	});

	it('an execution cancelled already does not wait at all', async () => {
		const pacer = new Pacer();
		pacer.release(NORMAL, { refused: true, retryAfterMs: 5000 });
		const controller = new AbortController();
		controller.abort(new Error('cancelled before'));
		const started = Date.now();
		await expect(pacer.acquire(60_000, controller.signal)).rejects.toThrow('cancelled before');
		expect(Date.now() - started).toBeLessThan(50);
	});

	it('cancelling stops the hold at once', async () => {
		const pacer = new Pacer();
		pacer.release(NORMAL, { refused: true, retryAfterMs: 5000 });
		const controller = new AbortController();
		const waiting = pacer.acquire(60_000, controller.signal);
		setTimeout(() => controller.abort(new Error('cancelled by test')), 50);
		await expect(waiting).rejects.toThrow('cancelled by test');
	});
});

describe('pacerFor', () => {
	it('one pacer per key', () => {
		expect(pacerFor('http://a#1')).toBe(pacerFor('http://a#1'));
		expect(pacerFor('http://a#1')).not.toBe(pacerFor('http://a#2'));
	});
});

describe('reading the headers', () => {
	it('readRateLimit: the X-Scaigrid-Ratelimit-* trio, or undefined without any', () => {
		expect(
			readRateLimit({
				'x-scaigrid-ratelimit-limit': '60',
				'x-scaigrid-ratelimit-remaining': '0',
				'x-scaigrid-ratelimit-reset': '1713888715',
			}),
		).toEqual({ limit: 60, remaining: 0, reset: 1713888715 });
		expect(readRateLimit({ 'x-scaigrid-ratelimit-remaining': ['7', '9'] })).toEqual({
			limit: undefined,
			remaining: 7,
			reset: undefined,
		});
		expect(
			readRateLimit({
				'x-scaigrid-ratelimit-remaining': 'lots',
				'x-scaigrid-ratelimit-limit': ' ',
			}),
		).toBeUndefined();
		expect(readRateLimit({ 'content-type': 'application/json' })).toBeUndefined();
	});

	it('readRetryAfterMs: body seconds first, then the header in seconds or as an HTTP date', () => {
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(readRetryAfterMs({ 'retry-after': '99' }, 15)).toBe(15_000);
		expect(readRetryAfterMs({}, 0.25)).toBe(250);
		expect(readRetryAfterMs({ 'retry-after': '15' })).toBe(15_000);
		expect(readRetryAfterMs({ 'retry-after': '1.5' })).toBe(1500);
		expect(
			readRetryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, undefined, now),
		).toBe(30_000);
		expect(
			readRetryAfterMs({ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, undefined, now),
		).toBe(0);
		expect(readRetryAfterMs({ 'retry-after': 'soon' })).toBeUndefined();
		expect(readRetryAfterMs({})).toBeUndefined();
		expect(readRetryAfterMs({}, -1)).toBeUndefined();
	});
});
