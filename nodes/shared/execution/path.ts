/**
 * Fields by dotted path ("chat.history" is json.chat.history): the one reading of every field
 * name a user types (Conversation Field, Tool Call ID Field, Tool Result Field) and of nested
 * parameter names, so a value written at a path is found at the same path by the next node.
 */
import type { IDataObject } from 'n8n-workflow';

function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value at `path`; undefined when any step is missing. */
export function valueAtPath(source: unknown, path: string): unknown {
	let value = source;
	for (const key of path.split('.')) {
		if (value === undefined || value === null) return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

/** Writes `value` at `path`, making each missing (or non-object) step an object. */
export function setAtPath(target: IDataObject, path: string, value: IDataObject[string]): void {
	const keys = path.split('.');
	let parent = target;
	for (const key of keys.slice(0, -1)) {
		const next = parent[key];
		if (isObject(next)) {
			parent = next;
		} else {
			const created: IDataObject = {};
			parent[key] = created;
			parent = created;
		}
	}
	parent[keys[keys.length - 1]] = value;
}
