/**
 * A small JSON Schema validator for what tool arguments use: type (with integer and type
 * arrays such as ["string", "null"]), nullable, enum, const, properties, required,
 * additionalProperties, items, anyOf/oneOf/allOf, and the common bounds (minimum, maximum,
 * minLength, maxLength, pattern, minItems, maxItems). Other keywords are not checked. Written
 * here because verified community nodes may not ship runtime dependencies.
 *
 * The result is a list of problems phrased for a person and for the model (the ask-again loop
 * sends them back verbatim), each starting with the path of the offending value.
 */

export type JsonSchema = { [key: string]: unknown };

export const SCHEMA_TYPES = [
	'string',
	'number',
	'integer',
	'boolean',
	'object',
	'array',
	'null',
] as const;

function isObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function typeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
	const actual = typeOf(value);
	if (type === 'number') return actual === 'number' || actual === 'integer';
	return actual === type;
}

function show(value: unknown): string {
	const text = JSON.stringify(value);
	return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function sameValue(a: unknown, b: unknown): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

function allowedTypes(schema: JsonSchema): string[] | undefined {
	const type = schema.type;
	let types: string[] | undefined;
	if (typeof type === 'string') types = [type];
	else if (Array.isArray(type)) types = type.filter((t): t is string => typeof t === 'string');
	if (types && schema.nullable === true && !types.includes('null')) types = [...types, 'null'];
	return types;
}

/**
 * One way a value breaks a schema: where (`arguments.items[0].sku`), what was expected
 * ("must be integer", "is required") and, when there is a value to show, what came instead.
 */
export interface Violation {
	path: string;
	expected: string;
	got?: string;
}

/** A violation as one line: "arguments.location: must be string, got number 5". */
export function describeViolation({ path, expected, got }: Violation): string {
	return `${path}: ${expected}${got === undefined ? '' : `, got ${got}`}`;
}

/** Problems with `value` against `schema`; [] when it is valid. `path` names the value. */
export function validateJson(schema: unknown, value: unknown, path = 'arguments'): string[] {
	return findViolations(schema, value, path).map(describeViolation);
}

/** The violations of `value` against `schema`, in document order; [] when it is valid. */
export function findViolations(schema: unknown, value: unknown, path = 'arguments'): Violation[] {
	if (schema === true || schema === undefined) return [];
	if (schema === false) return [{ path, expected: 'is not allowed' }];
	if (!isObject(schema)) return [];

	const types = allowedTypes(schema);
	if (types && !types.some((type) => matchesType(value, type))) {
		return [
			{
				path,
				expected: `must be ${types.join(' or ')}`,
				got: `${typeOf(value) === 'integer' ? 'number' : typeOf(value)} ${show(value)}`,
			},
		];
	}
	const problems: Violation[] = [];
	const add = (expected: string, got?: string) => problems.push({ path, expected, got });
	if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => sameValue(allowed, value))) {
		// A null that the type allows (nullable) is not held to the enum.
		if (!(value === null && types?.includes('null')))
			add(`must be one of ${schema.enum.map(show).join(', ')}`, show(value));
	}
	if ('const' in schema && !sameValue(schema.const, value))
		add(`must be ${show(schema.const)}`, show(value));

	if (typeof value === 'number') {
		if (typeof schema.minimum === 'number' && value < schema.minimum)
			add(`must be at least ${schema.minimum}`, String(value));
		if (typeof schema.maximum === 'number' && value > schema.maximum)
			add(`must be at most ${schema.maximum}`, String(value));
	}
	if (typeof value === 'string') {
		if (typeof schema.minLength === 'number' && value.length < schema.minLength)
			add(`must have at least ${schema.minLength} characters`);
		if (typeof schema.maxLength === 'number' && value.length > schema.maxLength)
			add(`must have at most ${schema.maxLength} characters`);
		if (typeof schema.pattern === 'string') {
			let re: RegExp | undefined;
			try {
				re = new RegExp(schema.pattern, 'u');
			} catch {
				re = undefined; // a pattern JavaScript cannot read is not checked
			}
			if (re && !re.test(value)) add(`must match the pattern ${schema.pattern}`, show(value));
		}
	}
	if (Array.isArray(value)) {
		if (typeof schema.minItems === 'number' && value.length < schema.minItems)
			add(`must have at least ${schema.minItems} items`);
		if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
			add(`must have at most ${schema.maxItems} items`);
		if (schema.items !== undefined && !Array.isArray(schema.items)) {
			value.forEach((entry, index) =>
				problems.push(...findViolations(schema.items, entry, `${path}[${index}]`)),
			);
		}
	}
	if (isObject(value)) {
		const properties = isObject(schema.properties) ? schema.properties : {};
		if (Array.isArray(schema.required)) {
			for (const key of schema.required) {
				if (typeof key === 'string' && !(key in value))
					problems.push({ path: `${path}.${key}`, expected: 'is required' });
			}
		}
		for (const [key, entry] of Object.entries(value)) {
			if (key in properties) {
				problems.push(...findViolations(properties[key], entry, `${path}.${key}`));
			} else if (schema.additionalProperties === false) {
				const allowed = Object.keys(properties);
				problems.push({
					path: `${path}.${key}`,
					expected: `is not an allowed argument${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`,
				});
			} else if (isObject(schema.additionalProperties)) {
				problems.push(...findViolations(schema.additionalProperties, entry, `${path}.${key}`));
			}
		}
	}

	if (Array.isArray(schema.allOf)) {
		for (const part of schema.allOf) problems.push(...findViolations(part, value, path));
	}
	for (const keyword of ['anyOf', 'oneOf'] as const) {
		const options = schema[keyword];
		if (!Array.isArray(options) || options.length === 0) continue;
		const passing = options.filter(
			(option) => findViolations(option, value, path).length === 0,
		).length;
		if (passing === 0) add(`matches none of the allowed forms (${keyword})`);
		else if (keyword === 'oneOf' && passing > 1)
			add(`matches more than one of the allowed forms (oneOf)`);
	}
	return problems;
}

/**
 * Problems with a schema itself, for the JSON Schema a user typed: it must describe an object
 * (tool arguments are always an object) and every `type` must be one JSON Schema knows.
 */
export function checkToolSchema(schema: unknown): string[] {
	if (!isObject(schema))
		return ['must be a JSON object like {"type": "object", "properties": {...}}'];
	if (schema.type !== undefined && schema.type !== 'object') {
		return [
			`must describe an object ("type": "object"), not ${show(schema.type)}: tool arguments are always an object`,
		];
	}
	const problems: string[] = [];
	const walk = (node: unknown, path: string): void => {
		if (!isObject(node)) return;
		const type = node.type;
		const listed = typeof type === 'string' ? [type] : Array.isArray(type) ? type : [];
		for (const entry of listed) {
			if (!(SCHEMA_TYPES as readonly unknown[]).includes(entry)) {
				problems.push(`${path}: unknown type ${show(entry)} (use ${SCHEMA_TYPES.join(', ')})`);
			}
		}
		if (isObject(node.properties)) {
			for (const [key, child] of Object.entries(node.properties))
				walk(child, `${path}.properties.${key}`);
		}
		if (
			node.required !== undefined &&
			!(Array.isArray(node.required) && node.required.every((r) => typeof r === 'string'))
		) {
			problems.push(`${path}.required: must be a list of property names`);
		}
		if (isObject(node.items)) walk(node.items, `${path}.items`);
		if (isObject(node.additionalProperties))
			walk(node.additionalProperties, `${path}.additionalProperties`);
	};
	walk(schema, 'schema');
	return problems;
}
