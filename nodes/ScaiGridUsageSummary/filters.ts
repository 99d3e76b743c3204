/**
 * The filters every accounting endpoint takes, mapped to query parameters, and the permission
 * each one needs: ScaiGrid's 403 says "permission denied", the node says which permission.
 */
import { ScaiGridError } from '../shared/errors';

export interface UsageFilters {
	backendId?: string;
	model?: string;
	tenantId?: string;
	userId?: string;
}

export function filtersQuery(filters: UsageFilters): Record<string, string> {
	const query: Record<string, string> = {};
	const put = (name: string, value: string | undefined) => {
		const text = (value ?? '').trim();
		if (text !== '') query[name] = text;
	};
	put('model', filters.model);
	put('user_id', filters.userId);
	put('tenant_id', filters.tenantId);
	put('backend_id', filters.backendId);
	return query;
}

/** Contract section 6: what a key needs for this query. */
export function permissionsNeeded(filters: UsageFilters): string[] {
	const needed = ['accounting:view_own'];
	if ((filters.userId ?? '').trim() !== '') needed.push('accounting:view_tenant (for the User ID filter)');
	if ((filters.tenantId ?? '').trim() !== '') needed.push('accounting:view_partner (for the Tenant ID filter)');
	return needed;
}

/**
 * Runs a request and, when ScaiGrid denies it, names the permissions the filters need in the
 * error's description. The error itself travels on unchanged (the item runner turns it into a
 * NodeApiError).
 */
export async function withPermissionHint<T>(filters: UsageFilters, request: () => Promise<T>): Promise<T> {
	return await request().then(undefined, (error: unknown) => {
		if (error instanceof ScaiGridError && error.code === 'AUTHZ_PERMISSION_DENIED') {
			const hint = `This query needs the API key permissions: ${permissionsNeeded(filters).join(', ')}.`;
			error.hint = error.hint ? `${error.hint} ${hint}` : hint;
		}
		return Promise.reject(error);
	});
}
