/**
 * The tool parameters of one item → what the request carries (`tools`, `tool_choice`), how
 * often an invalid call is sent back. Definition mistakes fail the item before anything is sent.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ReadParameter } from '../../shared/execution/parameters';
import { directReader } from '../../shared/execution/parameters';
import type { ToolChoiceOption, ToolSet, ToolsParameter } from './definitions';
import { ToolDefinitionError, buildToolSet, toolChoiceFor } from './definitions';

export interface ToolOptions {
	fixInvalidToolCalls?: number;
	routeToolCalls?: 'perTool' | 'single';
	toolChoice?: ToolChoiceOption;
	toolChoiceName?: string;
}

export interface ToolSetup {
	toolSet?: ToolSet;
	/** `tools` and `tool_choice` for the request body ({} without tools). */
	requestFields: IDataObject;
	maxFixes: number;
}

export function readToolSetup(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: ToolOptions,
	param: ReadParameter = directReader(ctx),
): ToolSetup {
	try {
		const toolSet = buildToolSet(param<ToolsParameter>('tools', itemIndex, {}));
		const maxFixes = Math.max(0, Math.floor(Number(options.fixInvalidToolCalls ?? 0)) || 0);
		if (!toolSet) return { requestFields: {}, maxFixes };
		const requestFields: IDataObject = { tools: toolSet.tools };
		const choice = toolChoiceFor(options.toolChoice, options.toolChoiceName, toolSet);
		if (choice !== undefined) requestFields.tool_choice = choice;
		return { toolSet, requestFields, maxFixes };
	} catch (error) {
		const description = error instanceof ToolDefinitionError ? error.description : undefined;
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, {
			itemIndex,
			description,
		});
	}
}
