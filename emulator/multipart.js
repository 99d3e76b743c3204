'use strict';
// multipart/form-data (RFC 7578) from a raw body: fields as text, files as buffers. Just enough
// for audio transcription; a body that does not parse is a VALIDATION_ERROR, as a gateway says.

const { validation } = require('./errors');

function boundaryOf(contentType) {
	const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType || '');
	return m ? (m[1] || m[2]).trim() : null;
}

function isMultipart(contentType) {
	return /^multipart\/form-data/i.test(contentType || '');
}

/** → { fields: {name: text}, files: {name: {filename, contentType, data}} } */
function parseMultipart(body, contentType) {
	const boundary = boundaryOf(contentType);
	if (!boundary)
		throw validation({ field: 'body', message: 'multipart/form-data without a boundary' });
	const delimiter = Buffer.from(`--${boundary}`);
	const fields = {};
	const files = {};
	let at = body.indexOf(delimiter);
	if (at < 0) throw validation({ field: 'body', message: 'multipart body without its boundary' });
	for (;;) {
		at += delimiter.length;
		if (body.toString('latin1', at, at + 2) === '--') break; // closing delimiter
		at += 2; // CRLF
		const headerEnd = body.indexOf('\r\n\r\n', at);
		if (headerEnd < 0)
			throw validation({ field: 'body', message: 'multipart part without headers' });
		const headers = body.toString('utf8', at, headerEnd);
		const next = body.indexOf(delimiter, headerEnd + 4);
		if (next < 0) throw validation({ field: 'body', message: 'multipart body not closed' });
		const data = body.subarray(headerEnd + 4, next - 2); // the CRLF before the delimiter
		const name = /name="([^"]*)"/i.exec(headers);
		const filename = /filename="([^"]*)"/i.exec(headers);
		const type = /content-type:\s*([^\r\n]+)/i.exec(headers);
		if (name) {
			if (filename)
				files[name[1]] = {
					filename: filename[1],
					contentType: type ? type[1].trim() : 'application/octet-stream',
					data,
				};
			else fields[name[1]] = data.toString('utf8');
		}
		at = next;
	}
	return { fields, files };
}

module.exports = { parseMultipart, isMultipart };
