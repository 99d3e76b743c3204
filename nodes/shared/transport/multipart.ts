/**
 * A multipart/form-data body (RFC 7578) built as one Buffer, for the one endpoint that takes it:
 * audio transcription (docs/scaigrid-api.md §7.3). Built here rather than with a FormData object
 * so the bytes sent do not depend on which FormData implementation n8n's HTTP helper recognises.
 */
import { randomBytes } from 'crypto';

export interface MultipartFile {
	field: string;
	fileName: string;
	contentType: string;
	data: Buffer;
}

export interface MultipartBody {
	data: Buffer;
	contentType: string;
}

/** Quotes in a name would end the header value early: they are escaped as browsers do. */
function quoted(value: string): string {
	return value.replace(/"/g, '%22').replace(/\r|\n/g, ' ');
}

/** Text fields first (arrays repeat the field), then the file. Empty and undefined values are left out. */
export function encodeMultipart(
	fields: Record<string, string | string[] | undefined>,
	file: MultipartFile,
): MultipartBody {
	const boundary = `----ScaiGridBoundary${randomBytes(12).toString('hex')}`;
	const parts: Buffer[] = [];
	for (const [name, value] of Object.entries(fields)) {
		for (const text of Array.isArray(value) ? value : [value]) {
			if (text === undefined || text === '') continue;
			parts.push(
				Buffer.from(
					`--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${text}\r\n`,
					'utf8',
				),
			);
		}
	}
	parts.push(
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="${quoted(file.field)}"; filename="${quoted(file.fileName)}"\r\n` +
				`Content-Type: ${file.contentType}\r\n\r\n`,
			'utf8',
		),
		file.data,
		Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
	);
	return { data: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
