/**
 * Runs tasks 0…count-1 with at most `slots` at a time, refilling free slots together.
 *
 * Why together: n8n's HTTP helper opens a new connection for every request, and requests sent
 * together are answered together and handled back to back, which costs the helper less CPU per
 * request than refilling each slot the moment its answer is in. It pays at model-like latency
 * too: at 300 ms (benchmark B2), refilling one by one took 1.05 × the time and 1.4 × the CPU per
 * item (bench/README.md, "Tricks kept, measured"). So a freed slot waits for the others, but
 * never longer than GATHER_WAIT_MS: next to model calls of hundreds of milliseconds or seconds
 * that wait is noise, and a slow call never holds up the free slots for longer.
 */
import { sleep } from 'n8n-workflow';

/** The longest a free slot waits for others before the next tasks start. */
const GATHER_WAIT_MS = 2;

export interface SlotRun {
	count: number;
	slots: number;
	task: (index: number) => Promise<void>;
	/** Checked before each start: true stops starting tasks (those running still finish). */
	stopped?: () => boolean;
}

/** Resolves when every started task has finished; rejects with the first task that throws. */
export async function runInSlots({
	count,
	slots,
	task,
	stopped = () => false,
}: SlotRun): Promise<void> {
	const size = Math.max(1, Math.min(slots, count));
	return await new Promise<void>((resolve, reject) => {
		let next = 0;
		let running = 0;
		let failed = false;
		// A pending wait is cancelled by starting tasks: its generation no longer matches.
		let waiting = false;
		let generation = 0;

		const finished = (): void => {
			running--;
			if (failed) return;
			if (next >= count || stopped()) {
				if (running === 0) resolve();
				return;
			}
			if (running === 0) {
				fill();
				return;
			}
			if (waiting) return;
			waiting = true;
			const mine = generation;
			void sleep(GATHER_WAIT_MS).then(() => {
				if (mine === generation && !failed) fill();
			});
		};

		const fail = (error: unknown): void => {
			running--;
			if (failed) return;
			failed = true;
			reject(error);
		};

		function fill(): void {
			generation++;
			waiting = false;
			while (running < size && next < count && !stopped()) {
				running++;
				task(next++).then(finished, fail);
			}
			if (running === 0) resolve();
		}

		fill();
	});
}
