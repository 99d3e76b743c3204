/**
 * `GET /v1/accounting/export`: the raw records of a range as a CSV, NDJSON or JSON file
 * (docs/scaigrid-api.md §5.5), for e-mail attachments or storage nodes.
 */
import type { CallOptions, ScaiGridClient } from '../../shared/transport/client';
import { listItems } from '../../shared/api/schemas';
import type { UsageFilters } from './filters';
import { filtersQuery, withPermissionHint } from './filters';
import type { TimeRange } from '../report/range';
import { fileStamp, rangeQuery } from '../report/range';

export type ExportFormat = 'csv' | 'ndjson' | 'json';

export const EXPORT_MIME_TYPES: Record<ExportFormat, string> = {
	csv: 'text/csv',
	ndjson: 'application/x-ndjson',
	json: 'application/json',
};

export interface ExportResult {
	text: string;
	fileName: string;
	mimeType: string;
	records: number | null;
	requestId?: string;
}

export function exportFileName(range: TimeRange, format: ExportFormat): string {
	return `scaigrid-usage-${fileStamp(range.startMs)}-${fileStamp(range.endMs)}.${format}`;
}

/** CSV rows after the header; quoted cells may hold line breaks, so quotes are tracked. */
export function countCsvRecords(text: string): number {
	let rows = 0;
	let quoted = false;
	let rowHasContent = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === '"') quoted = !quoted;
		if (!quoted && (c === '\n' || c === '\r')) {
			if (rowHasContent) rows++;
			rowHasContent = false;
			if (c === '\r' && text[i + 1] === '\n') i++;
			continue;
		}
		rowHasContent = true;
	}
	if (rowHasContent) rows++;
	return Math.max(0, rows - 1);
}

/** How many records the file holds; null when it cannot be told (an unexpected JSON shape). */
export function countRecords(text: string, format: ExportFormat): number | null {
	if (format === 'csv') return countCsvRecords(text);
	if (format === 'ndjson') return text.split(/\r?\n/).filter((line) => line.trim() !== '').length;
	try {
		const parsed: unknown = JSON.parse(text);
		if (Array.isArray(parsed)) return parsed.length;
		// Else the records are `data` or `data.items`, as in the envelope.
		const data =
			typeof parsed === 'object' && parsed !== null && 'data' in parsed ? parsed.data : undefined;
		return listItems(data)?.length ?? null;
	} catch {
		return null;
	}
}

export async function exportRecords(
	client: ScaiGridClient,
	range: TimeRange,
	format: ExportFormat,
	filters: UsageFilters,
	call: Omit<CallOptions, 'qs'>,
): Promise<ExportResult> {
	const qs = { ...rangeQuery(range, true), format, ...filtersQuery(filters) };
	const answer = await withPermissionHint(
		filters,
		async () => await client.download('/v1/accounting/export', { ...call, qs }),
	);
	return {
		text: answer.text,
		fileName: exportFileName(range, format),
		mimeType: EXPORT_MIME_TYPES[format],
		records: countRecords(answer.text, format),
		requestId: answer.requestId,
	};
}
