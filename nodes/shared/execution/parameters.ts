/**
 * Reading node parameters for many items. n8n's getNodeParameter resolves and copies a
 * parameter on every call; a parameter that holds no expression has the same value for every
 * item, so it is read once per node run and shared. Profiling a 2,000-item chat run showed
 * parameter reads as a large share of the node's own CPU per item.
 *
 * Values from the cache are shared between items: callers must not modify them.
 */
import type { IExecuteFunctions, IGetNodeParameterOptions } from 'n8n-workflow';

import { valueAtPath } from './path';

export type ReadParameter = <T>(
	name: string,
	itemIndex: number,
	fallback: T,
	options?: IGetNodeParameterOptions,
) => T;

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

/** Reads per item what may differ per item, once what cannot. */
export function parameterReader(ctx: IExecuteFunctions): ReadParameter {
	const parameters = ctx.getNode().parameters;
	const cache = new Map<string, unknown>();
	return <T>(
		name: string,
		itemIndex: number,
		fallback: T,
		options?: IGetNodeParameterOptions,
	): T => {
		if (holdsExpression(valueAtPath(parameters, name))) {
			return ctx.getNodeParameter(name, itemIndex, fallback, options) as T;
		}
		const key = options?.extractValue ? `${name}#value` : name;
		if (!cache.has(key)) cache.set(key, ctx.getNodeParameter(name, itemIndex, fallback, options));
		return cache.get(key) as T;
	};
}

/** The plain reader, for code paths that run once. */
export function directReader(ctx: IExecuteFunctions): ReadParameter {
	return <T>(name: string, itemIndex: number, fallback: T, options?: IGetNodeParameterOptions): T =>
		ctx.getNodeParameter(name, itemIndex, fallback, options) as T;
}
