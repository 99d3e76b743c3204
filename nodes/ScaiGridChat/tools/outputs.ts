/**
 * The Chat node's outputs, computed from its parameters the way n8n's Switch node does it:
 * output 0 is always "Message"; then one output per tool, labelled with the tool's name, or a
 * single "Tool Calls" output when Route Tool Calls To = Single Output.
 *
 * `configuredOutputs` is the one source of labels and indexes. The node description embeds it
 * as text (`outputs: '={{(' + configuredOutputs + ')($parameter)}}'`), which n8n evaluates in
 * the editor and in the engine; at run time the count and each tool's index are looked up in
 * the same list. It must therefore stay self-contained: no imports, no helpers, no
 * TypeScript-only runtime constructs.
 */
import type { ExpressionString, IExecuteFunctions } from 'n8n-workflow';

/** Text replies (and every item without tool calls) leave by the first output. */
export const MESSAGE_OUTPUT_INDEX = 0;

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

type OutputParameters = Parameters<typeof configuredOutputs>[0];

/**
 * Where a call to `toolName` leaves the node: the output `configuredOutputs` labels with its
 * name, or the single tool output. Tool names are checked unique before any request, so this is
 * unambiguous; -1 when the tool has no output (it is then not a defined tool).
 */
export function outputIndexForTool(parameters: OutputParameters, toolName: string): number {
	const outputs = configuredOutputs(parameters);
	if (parameters.options?.routeToolCalls === 'single') return outputs.length > 1 ? 1 : -1;
	return outputs.findIndex(
		(output, index) => index > MESSAGE_OUTPUT_INDEX && output.displayName === toolName,
	);
}

/** The node's raw parameters: exactly what `$parameter` is in the outputs expression. */
function outputParameters(ctx: IExecuteFunctions): OutputParameters {
	return ctx.getNode().parameters as OutputParameters;
}

/** How many outputs the node has (without the Error output n8n adds itself). */
export function outputCount(ctx: IExecuteFunctions): number {
	return configuredOutputs(outputParameters(ctx)).length;
}

/** The output index of each tool's calls; a tool without an output is a bug, not a user error. */
export function outputForTool(ctx: IExecuteFunctions): (tool: string) => number {
	const parameters = outputParameters(ctx);
	return (tool) => {
		const output = outputIndexForTool(parameters, tool);
		if (output <= MESSAGE_OUTPUT_INDEX) throw new Error(`No output for the tool "${tool}"`);
		return output;
	};
}
