/**
 * One run of the Chat node: one client (so every item shares its rate-limit pacing), one model
 * lookup, parameters read once where they hold no expression, then every item (or every group
 * of tool results) through the item runner, and warnings for replies that ended early.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { ScaiGridClient } from '../shared/transport/client';
import { runItems } from '../shared/execution/itemRunner';
import { parameterReader } from '../shared/execution/parameters';
import { callOptionsFor } from '../shared/descriptions';
import { modelLookup } from '../shared/api/modelInfo';
import type { ChatRun } from './item';
import { chatItem } from './item';
import type { ChatOptions } from './options';
import { DEFAULT_CONCURRENCY } from './options';
import { outputCount } from './tools/outputs';
import { groupToolResults } from './tools/toolResults';

function endedEarlyHints(
	ctx: IExecuteFunctions,
	{ length, contentFilter }: ChatRun['ended'],
): void {
	if (length) {
		ctx.addExecutionHints({
			message: `${length} ${length === 1 ? 'reply was' : 'replies were'} cut off at Max Tokens (finish reason "length", flagged as truncated). Raise Max Tokens in the options.`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	if (contentFilter) {
		ctx.addExecutionHints({
			message: `${contentFilter} ${contentFilter === 1 ? 'reply was' : 'replies were'} stopped by a content filter (finish reason "content_filter", flagged as contentFiltered).`,
			type: 'warning',
			location: 'outputPane',
		});
	}
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const client = await ScaiGridClient.create(this);
	const nodeOptions = this.getNodeParameter('options', 0, {}) as ChatOptions;
	// Tool results of one assistant turn are answered together: one request per group.
	const groups =
		this.getNodeParameter('prompt', 0) === 'toolResults' ? groupToolResults(this) : undefined;
	const run: ChatRun = {
		client,
		lookup: modelLookup(client, callOptionsFor(this, nodeOptions)),
		resultGroups: groups && new Map(groups.map((group) => [group.items[0], group])),
		ended: { length: 0, contentFilter: 0 },
		param: parameterReader(this),
	};

	const output = await runItems(
		this,
		{
			outputs: outputCount(this),
			concurrency: nodeOptions.maxConcurrency ?? DEFAULT_CONCURRENCY,
			groups: groups?.map((group) => group.items),
		},
		async (itemIndex) => await chatItem(this, run, itemIndex),
	);
	endedEarlyHints(this, run.ended);
	return output;
}
