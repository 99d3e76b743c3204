/**
 * The Chat node's outputs, computed from its parameters the way n8n's Switch node does it:
 * output 0 is always "Message"; then one output per tool, labelled with the tool's name, or a
 * single "Tool Calls" output when Route Tool Calls To = Single Output.
 *
 * `configuredOutputs` is the one source of truth. The node description embeds it as text
 * (`outputs: '={{(' + configuredOutputs + ')($parameter)}}'`), which n8n evaluates in the editor
 * and in the engine, and the node calls the same function at run time to find an output's
 * index. It must therefore stay self-contained: no imports, no helpers, no TypeScript-only
 * runtime constructs.
 */
import type { ExpressionString } from 'n8n-workflow';

export const MESSAGE_OUTPUT = 'Message';
export const TOOL_CALLS_OUTPUT = 'Tool Calls';

export interface OutputConfiguration {
	type: 'main';
	displayName: string;
}

export const configuredOutputs = (parameters: {
	tools?: { tool?: Array<{ name?: unknown }> };
	options?: { routeToolCalls?: unknown };
}): OutputConfiguration[] => {
	const outputs: OutputConfiguration[] = [{ type: 'main', displayName: 'Message' }];
	const tools = (parameters && parameters.tools && parameters.tools.tool) || [];
	if (!Array.isArray(tools) || tools.length === 0) return outputs;
	if (parameters.options && parameters.options.routeToolCalls === 'single') {
		outputs.push({ type: 'main', displayName: 'Tool Calls' });
		return outputs;
	}
	tools.forEach((tool, index) => {
		const name = tool && typeof tool.name === 'string' ? tool.name.trim() : '';
		outputs.push({ type: 'main', displayName: name || 'Tool ' + (index + 1) });
	});
	return outputs;
};

/** The `outputs` expression of the node description. */
export const outputsExpression: ExpressionString = `={{(${configuredOutputs.toString()})($parameter)}}`;

/**
 * Where a call to `toolName` leaves the node: the output `configuredOutputs` labels with its
 * name (or Tool Calls). Tool names are checked unique before any request, so this is
 * unambiguous; -1 when the tool has no output (it is then not a defined tool).
 */
export function outputIndexForTool(parameters: Parameters<typeof configuredOutputs>[0], toolName: string): number {
	const outputs = configuredOutputs(parameters);
	const label = parameters.options?.routeToolCalls === 'single' ? TOOL_CALLS_OUTPUT : toolName;
	return outputs.findIndex((output, index) => index > 0 && output.displayName === label);
}
