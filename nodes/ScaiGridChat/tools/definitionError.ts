/** A mistake in the tool parameters, named for the user; the node makes it an item error before anything is sent. */
export class ToolDefinitionError extends Error {
	constructor(
		message: string,
		readonly description?: string,
	) {
		super(message);
		this.name = 'ToolDefinitionError';
	}
}
