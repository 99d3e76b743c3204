/** Waiting for an execution, and cancelling it (`cancelAfterMs`) as n8n does. */

import type { WorkflowExecute } from 'n8n-core';
import type { IRun } from 'n8n-workflow';

import type { RunOptions } from './runWorkflow';

/**
 * On cancel the engine calls `abortController.abort()` without a reason, so Node makes the
 * reason a DOMException from its own realm. Jest runs test code in a separate realm, where that
 * object is not `instanceof Error`: n8n then wraps it as "Error that was not an instance of Error
 * was thrown" and nodes' `error instanceof Error` checks fail, which never happens in n8n. Giving
 * the abort an AbortError made in this realm keeps behaviour as in production.
 */
export function giveAbortAReasonFromThisRealm(workflowExecute: WorkflowExecute): void {
	const controller = (workflowExecute as unknown as { abortController: AbortController })
		.abortController;
	const abort = controller.abort.bind(controller);
	controller.abort = (reason?: unknown) =>
		abort(reason ?? Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }));
}

/**
 * Waits for the engine. With cancelAfterMs, cancels the PCancelable: n8n then aborts the
 * execution's AbortSignal (what `getExecutionCancelSignal()` returns and what
 * httpRequestWithAuthentication passes to the request) and ends the run as 'canceled' once the
 * running node returns. A node that ignores the signal would keep the run going: after
 * cancelGraceMs the harness stops waiting and reports that.
 */
export async function awaitExecution(
	execution: ReturnType<WorkflowExecute['processRunExecutionData']>,
	options: RunOptions,
	runAtCancel: () => IRun | undefined,
): Promise<IRun> {
	if (options.cancelAfterMs === undefined) return await execution;

	const timers: NodeJS.Timeout[] = [];
	const cancelled = new Promise<void>((resolve) => {
		timers.push(
			setTimeout(() => {
				execution.cancel();
				resolve();
			}, options.cancelAfterMs),
		);
	});
	const graceMs = options.cancelGraceMs ?? 5000;
	const stuck = cancelled.then(
		async () =>
			await new Promise<'stuck'>((resolve) =>
				timers.push(setTimeout(() => resolve('stuck'), graceMs)),
			),
	);
	try {
		const outcome = await Promise.race([execution, stuck]);
		if (outcome !== 'stuck') {
			// n8n records a cancelled execution as 'canceled' when it is cancelled, whatever error
			// the aborted node then throws (the engine's own final status depends on its wording).
			if (execution.isCanceled) outcome.status = 'canceled';
			return outcome;
		}
		const run = runAtCancel();
		if (!run) throw new Error(`Execution did not stop within ${graceMs} ms of being cancelled`);
		run.status = 'canceled';
		run.data.resultData.error ??= {
			message: `Execution was cancelled but the running node did not stop within ${graceMs} ms`,
		} as never;
		return run;
	} finally {
		timers.forEach(clearTimeout);
	}
}
