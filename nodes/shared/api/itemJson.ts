/**
 * API data as an n8n item's json. Zod's passthrough objects type the fields they keep unchecked
 * as `unknown`, which n8n's IDataObject does not accept; every one of them came out of
 * JSON.parse, so it is a JSON value, which is all IDataObject holds. This is the one place that
 * says so, instead of a cast beside every raw output.
 */
import type { IDataObject } from 'n8n-workflow';

export function itemJson(parsed: Record<string, unknown>): IDataObject {
	return parsed as IDataObject;
}
