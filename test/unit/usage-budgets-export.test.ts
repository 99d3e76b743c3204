import { budgetView } from '../../nodes/ScaiGridUsageSummary/api/budgets';
import {
	countCsvRecords,
	countRecords,
	exportFileName,
} from '../../nodes/ScaiGridUsageSummary/api/export';
import { permissionsNeeded } from '../../nodes/ScaiGridUsageSummary/api/filters';
import { permissionHint } from '../../nodes/shared/api/permissions';

describe('budget utilisation', () => {
	it('is exact at the soft limit, per limit', () => {
		const view = budgetView({
			id: 'b1',
			cost_limit: '10.00',
			token_limit: 1000,
			request_limit: null,
			soft_limit_pct: 0.8,
			current_cost: '8.000000',
			current_tokens: 100,
			current_requests: 3,
		});
		expect(view).toMatchObject({
			costUsedPercent: 80,
			tokensUsedPercent: 10,
			requestsUsedPercent: null,
			maxUsedPercent: 80,
			pastSoftLimit: true,
			pastHardLimit: false,
			usageKnown: true,
			costLimit: 10,
			currentCost: 8,
		});
		expect(budgetView({ id: 'b2', cost_limit: '10', current_cost: '7.999999' }).pastSoftLimit).toBe(
			false,
		);
		expect(budgetView({ id: 'b3', request_limit: 5, current_requests: 5 })).toMatchObject({
			pastHardLimit: true,
			requestsUsedPercent: 100,
		});
	});

	it('tolerates a budget without the [inferred] current-usage fields', () => {
		const view = budgetView({
			id: 'b4',
			name: 'Monthly',
			scope: 'tenant',
			period: 'monthly',
			cost_limit: '100',
		});
		expect(view).toMatchObject({
			softLimitPct: 0.8,
			currentCost: null,
			currentTokens: null,
			costUsedPercent: null,
			maxUsedPercent: null,
			pastSoftLimit: false,
			usageKnown: false,
		});
	});

	it('a zero limit has no percentage', () => {
		expect(
			budgetView({ id: 'b5', token_limit: 0, current_tokens: 0 }).tokensUsedPercent,
		).toBeNull();
	});
});

describe('export files', () => {
	it('counts records of each format', () => {
		expect(countCsvRecords('id,model\n1,a\n2,"b\nc"\n3,"d,""e"""\n')).toBe(3);
		expect(countCsvRecords('id,model\r\n1,a\r\n')).toBe(1);
		expect(countCsvRecords('id,model\n')).toBe(0);
		expect(countCsvRecords('')).toBe(0);
		expect(countRecords('{"a":1}\n{"a":2}\n\n', 'ndjson')).toBe(2);
		expect(countRecords('[{"a":1}]', 'json')).toBe(1);
		expect(countRecords('{"data":{"items":[1,2]}}', 'json')).toBe(2);
		expect(countRecords('{"weird":true}', 'json')).toBeNull();
		expect(countRecords('not json', 'json')).toBeNull();
	});

	it('names files by range', () => {
		const range = {
			startMs: Date.parse('2026-01-05T00:00:00Z'),
			endMs: Date.parse('2026-01-12T00:00:00Z'),
			endsNow: false,
			label: '',
		};
		expect(exportFileName(range, 'ndjson')).toBe(
			'scaigrid-usage-20260105T000000Z-20260112T000000Z.ndjson',
		);
	});
});

describe('permissions per filter', () => {
	it('names what each filter needs', () => {
		const own = { permission: 'accounting:view_own' };
		expect(permissionsNeeded({})).toEqual([own]);
		expect(permissionsNeeded({ userId: 'u', tenantId: ' ' })).toEqual([
			own,
			{ permission: 'accounting:view_tenant', for: 'the User ID filter' },
		]);
		expect(permissionsNeeded({ tenantId: 't' })).toEqual([
			own,
			{ permission: 'accounting:view_partner', for: 'the Tenant ID filter' },
		]);
		expect(permissionHint(permissionsNeeded({ userId: 'u' }))).toBe(
			'This request needs the API key permissions: accounting:view_own, accounting:view_tenant (for the User ID filter).',
		);
	});
});
