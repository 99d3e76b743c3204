/**
 * A tool's simple Fields list (name, type, description, required, allowed values) → the JSON
 * Schema object of its arguments. Mistakes are ToolDefinitionErrors naming the tool and field.
 */
import { ToolDefinitionError } from './definitionError';
import type { JsonSchema } from './jsonSchema';

export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';

export interface ToolFieldParameter {
	name?: string;
	type?: FieldType;
	description?: string;
	required?: boolean;
	allowedValues?: string;
}

const FIELD_TYPES: FieldType[] = ['string', 'number', 'integer', 'boolean', 'array', 'object'];

function enumValues(
	field: ToolFieldParameter,
	where: string,
): Array<string | number | boolean> | undefined {
	const raw = String(field.allowedValues ?? '').trim();
	if (!raw) return undefined;
	const values = raw
		.split(',')
		.map((v) => v.trim())
		.filter((v) => v !== '');
	const type = field.type ?? 'string';
	if (type === 'string') return values;
	if (type === 'number' || type === 'integer') {
		return values.map((v) => {
			const n = Number(v);
			if (!Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n))) {
				throw new ToolDefinitionError(
					`${where}: allowed value "${v}" is not ${type === 'integer' ? 'a whole number' : 'a number'}`,
				);
			}
			return n;
		});
	}
	if (type === 'boolean') {
		return values.map((v) => {
			if (v !== 'true' && v !== 'false')
				throw new ToolDefinitionError(`${where}: allowed value "${v}" is not true or false`);
			return v === 'true';
		});
	}
	throw new ToolDefinitionError(
		`${where}: Allowed Values only work for string, number, integer and boolean fields`,
	);
}

/** The simple Fields list → a JSON Schema object. */
export function schemaFromFields(fields: ToolFieldParameter[], toolLabel: string): JsonSchema {
	const properties: Record<string, JsonSchema> = {};
	const required: string[] = [];
	fields.forEach((field, index) => {
		const name = String(field.name ?? '').trim();
		const where = `${toolLabel}, field ${name ? `"${name}"` : index + 1}`;
		if (!name)
			throw new ToolDefinitionError(
				`${where} has no name`,
				'Give every argument field a name, or remove the empty field.',
			);
		if (properties[name])
			throw new ToolDefinitionError(
				`${toolLabel} has two fields named "${name}"`,
				'Field names must be unique within a tool.',
			);
		const type = field.type ?? 'string';
		if (!FIELD_TYPES.includes(type))
			throw new ToolDefinitionError(`${where} has an unknown type "${String(type)}"`);
		const property: JsonSchema = { type };
		const description = String(field.description ?? '').trim();
		if (description) property.description = description;
		const allowed = enumValues(field, where);
		if (allowed) property.enum = allowed;
		properties[name] = property;
		if (field.required) required.push(name);
	});
	const schema: JsonSchema = { type: 'object', properties };
	if (required.length) schema.required = required;
	return schema;
}
