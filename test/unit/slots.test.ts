/**
 * runInSlots, the item runner's scheduler: never more than `slots` tasks at once, every task
 * run once, free slots refilled together (when all are free or after a short wait), no task
 * started after a failure or a stop.
 */
import { runInSlots } from '../../nodes/shared/execution/slots';

const tick = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

function tracker() {
	const log = { running: 0, most: 0, started: [] as number[] };
	const track = async (index: number, ms: number) => {
		log.started.push(index);
		log.running++;
		log.most = Math.max(log.most, log.running);
		await tick(ms);
		log.running--;
	};
	return { log, track };
}

describe('runInSlots', () => {
	it('runs every task once, never more than the slots at a time', async () => {
		const { log, track } = tracker();
		await runInSlots({ count: 40, slots: 6, task: async (i) => await track(i, (i * 7) % 13) });
		expect([...log.started].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
		expect(log.most).toBe(6);
		expect(log.running).toBe(0);
	});

	it('with nothing to run, or one slot, still finishes', async () => {
		await expect(runInSlots({ count: 0, slots: 4, task: async () => {} })).resolves.toBeUndefined();
		const { log, track } = tracker();
		await runInSlots({ count: 5, slots: 1, task: async (i) => await track(i, 1) });
		expect(log.started).toEqual([0, 1, 2, 3, 4]);
		expect(log.most).toBe(1);
	});

	it('starts freed slots together', async () => {
		// 4 slots: tasks 0 and 1 end at once, 2 and 3 much later. After the short wait both freed
		// slots start in the same turn, not each as soon as its task ended.
		const order: string[] = [];
		const times = [5, 5, 300, 300, 5, 5];
		await runInSlots({
			count: 6,
			slots: 4,
			task: async (i) => {
				order.push(`start ${i}`);
				await tick(times[i]);
				order.push(`end ${i}`);
			},
		});
		const start4 = order.indexOf('start 4');
		expect(order.indexOf('start 5')).toBe(start4 + 1);
		expect(order.indexOf('end 0')).toBeLessThan(start4);
		expect(order.indexOf('end 1')).toBeLessThan(start4);
	});

	it('a lone free slot waits only briefly: the fast tasks finish while the slow ones run', async () => {
		const ended: number[] = [];
		await runInSlots({
			count: 12,
			slots: 4,
			task: async (i) => {
				await tick(i < 3 ? 800 : 2);
				ended.push(i);
			},
		});
		expect(ended.slice(0, 9)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
	});

	it('rejects with the first failure and starts nothing after it', async () => {
		const { log, track } = tracker();
		const run = runInSlots({
			count: 20,
			slots: 3,
			task: async (i) => {
				await track(i, 2);
				if (i === 4) throw new Error('item 4 failed');
			},
		});
		await expect(run).rejects.toThrow('item 4 failed');
		const startedAtFailure = log.started.length;
		await tick(30);
		expect(log.started.length).toBe(startedAtFailure);
		expect(startedAtFailure).toBeLessThan(20);
	});

	it('starts nothing once stopped, and resolves when the running tasks are done', async () => {
		const { log, track } = tracker();
		let stop = false;
		await runInSlots({
			count: 30,
			slots: 4,
			stopped: () => stop,
			task: async (i) => {
				await track(i, 2);
				if (i === 5) stop = true;
			},
		});
		expect(log.running).toBe(0);
		expect(log.started.length).toBeLessThan(30);
		expect(log.started.length).toBeGreaterThanOrEqual(6);
	});
});
