/**
 * The filters every accounting endpoint takes (docs/scaigrid-api.md §5.2), mapped to query
 * parameters, and the permissions a query with them needs (§6).
 */
import type { Needed } from '../../shared/api/permissions';
import { explainDenied } from '../../shared/api/permissions';

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

/** What a key needs for a query with these filters. */
export function permissionsNeeded(filters: UsageFilters): Needed[] {
	const needed: Needed[] = [{ permission: 'accounting:view_own' }];
	if ((filters.userId ?? '').trim() !== '')
		needed.push({ permission: 'accounting:view_tenant', for: 'the User ID filter' });
	if ((filters.tenantId ?? '').trim() !== '')
		needed.push({ permission: 'accounting:view_partner', for: 'the Tenant ID filter' });
	return needed;
}

/** Runs an accounting request; when ScaiGrid denies it, the error names what the filters need. */
export async function withPermissionHint<T>(
	filters: UsageFilters,
	request: () => Promise<T>,
): Promise<T> {
	return await explainDenied(permissionsNeeded(filters), request());
}
