/**
 * Makes this node's two configuration errors say what to fix, whatever ScaiGrid's message text
 * is: which slug was not found, and which permission the key lacks. The ScaiGridError itself goes
 * on (annotated, not wrapped), so the item runner still builds the NodeApiError or the error item
 * with its code and request ID.
 */
import { ScaiGridError } from '../shared/errors';

/** The permission both operations need (contract section 3). */
export const REQUIRED_PERMISSION = 'models:list';

const PERMISSION_CODES = new Set(['AUTHZ_PERMISSION_DENIED', 'AUTH_INSUFFICIENT_SCOPE']);

function annotate(error: unknown, slug: string | undefined): unknown {
	if (!(error instanceof ScaiGridError)) return error;
	if (error.code === 'MODEL_NOT_FOUND' && slug) {
		if (!error.message.includes(slug)) error.message = `${error.message} (slug "${slug}")`;
		error.hint = `The slug sent was "${slug}".`;
	}
	if (PERMISSION_CODES.has(error.code)) {
		if (!error.message.includes(REQUIRED_PERMISSION)) {
			error.message = `${error.message} (needs the permission "${REQUIRED_PERMISSION}")`;
		}
		error.hint = `Listing and reading models needs the permission "${REQUIRED_PERMISSION}".`;
	}
	return error;
}

/** The same promise, with a failure annotated for the slug (Get) or the listing (Get Many). */
export async function explained<T>(work: Promise<T>, slug?: string): Promise<T> {
	return await work.catch(async (error: unknown) => await Promise.reject(annotate(error, slug)));
}
