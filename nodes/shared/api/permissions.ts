/**
 * A 403 for a missing permission says "permission denied" (docs/scaigrid-api.md §6); the nodes
 * say which permission the request needs, whatever ScaiGrid's message text is. The ScaiGridError
 * itself goes on (annotated, not wrapped), so the item runner still builds the NodeApiError or
 * the error item with its code and request ID.
 */
import { ScaiGridError } from '../transport/errors';

/** A permission a request needs, and for which parameter when only that parameter needs it. */
export interface Needed {
	permission: string;
	/** e.g. "the User ID filter" */
	for?: string;
}

/** AUTH_INSUFFICIENT_SCOPE is not documented as a permission failure, but means the same (§2.1). */
const DENIED_CODES = new Set(['AUTHZ_PERMISSION_DENIED', 'AUTH_INSUFFICIENT_SCOPE']);

function listed(needed: Needed[]): string {
	return needed.map((n) => (n.for ? `${n.permission} (for ${n.for})` : n.permission)).join(', ');
}

/** "This request needs the API key permission: models:list." */
export function permissionHint(needed: Needed[]): string {
	const noun = needed.length === 1 ? 'permission' : 'permissions';
	return `This request needs the API key ${noun}: ${listed(needed)}.`;
}

function annotate(error: unknown, needed: Needed[]): unknown {
	if (!(error instanceof ScaiGridError) || !DENIED_CODES.has(error.code) || needed.length === 0)
		return error;
	const names = needed.map((n) => n.permission);
	// The message is what a user sees first (and what the run log shows): it names them too.
	if (!names.every((name) => error.message.includes(name))) {
		const quoted = names.map((name) => `"${name}"`).join(', ');
		error.message = `${error.message} (needs the ${names.length === 1 ? 'permission' : 'permissions'} ${quoted})`;
	}
	const hint = permissionHint(needed);
	error.hint = error.hint ? `${error.hint} ${hint}` : hint;
	return error;
}

/** The same answer; a permission failure names the permissions `needed`. */
export async function explainDenied<T>(needed: Needed[], work: Promise<T>): Promise<T> {
	return await work.catch(async (error: unknown) => await Promise.reject(annotate(error, needed)));
}
