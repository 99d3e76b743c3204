'use strict';
// Small, valid media files built in code, and reading them back: a PNG per image request, a WAV
// (or a silent MP3, or raw PCM) per speech request, and what a transcription can learn from an
// uploaded file. The speech files carry their text in a standard metadata field (WAV LIST/INFO
// ICMT, MP3 ID3v2.4 TXXX), so speech → transcription round-trips to the same words.

const crypto = require('node:crypto');
const { deflateSync } = require('node:zlib');

// ---- PNG -------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(buffer) {
	let crc = 0xffffffff;
	for (const byte of buffer) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, crc]);
}

/** A 16×16 RGB PNG whose colours derive from `seed` (prompt and image index): same seed, same bytes. */
function makePng(seed, size = 16) {
	const digest = crypto.createHash('sha256').update(seed).digest();
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(size, 0);
	ihdr.writeUInt32BE(size, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // truecolour RGB
	const rows = [];
	for (let y = 0; y < size; y++) {
		const row = Buffer.alloc(1 + size * 3);
		for (let x = 0; x < size; x++) {
			row[1 + x * 3] = (digest[0] + x * digest[3]) & 0xff;
			row[2 + x * 3] = (digest[1] + y * digest[4]) & 0xff;
			row[3 + x * 3] = (digest[2] + (x ^ y) * digest[5]) & 0xff;
		}
		rows.push(row);
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', deflateSync(Buffer.concat(rows))),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

// ---- Audio -----------------------------------------------------------------------------------

const SAMPLE_RATE = 8000;

/** 8-bit mono PCM: a quiet tone, `seconds` long. */
function tone(seconds) {
	const samples = Math.max(1, Math.round(seconds * SAMPLE_RATE));
	const pcm = Buffer.alloc(samples);
	for (let i = 0; i < samples; i++)
		pcm[i] = 128 + Math.round(20 * Math.sin((2 * Math.PI * 440 * i) / SAMPLE_RATE));
	return pcm;
}

function riffChunk(id, data) {
	const header = Buffer.alloc(8);
	header.write(id, 0, 'ascii');
	header.writeUInt32LE(data.length, 4);
	return data.length % 2
		? Buffer.concat([header, data, Buffer.alloc(1)])
		: Buffer.concat([header, data]);
}

/** A PCM WAV (8 kHz, 8-bit, mono) with `text` in LIST/INFO/ICMT when given. */
function makeWav(seconds, text) {
	const fmt = Buffer.alloc(16);
	fmt.writeUInt16LE(1, 0); // PCM
	fmt.writeUInt16LE(1, 2); // mono
	fmt.writeUInt32LE(SAMPLE_RATE, 4);
	fmt.writeUInt32LE(SAMPLE_RATE, 8); // byte rate
	fmt.writeUInt16LE(1, 12); // block align
	fmt.writeUInt16LE(8, 14); // bits per sample
	const chunks = [riffChunk('fmt ', fmt)];
	if (text) {
		const info = Buffer.concat([
			Buffer.from('INFO', 'ascii'),
			riffChunk('ICMT', Buffer.from(`${text}\0`, 'utf8')),
		]);
		chunks.push(riffChunk('LIST', info));
	}
	chunks.push(riffChunk('data', tone(seconds)));
	const body = Buffer.concat([Buffer.from('WAVE', 'ascii'), ...chunks]);
	return riffChunk('RIFF', body);
}

function syncsafe(n) {
	return Buffer.from([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f]);
}

/** Silent MPEG-1 Layer III frames (128 kb/s, 44.1 kHz, mono) after an ID3v2.4 tag with the text. */
function makeMp3(seconds, text) {
	const frameBytes = 417;
	const frames = Math.max(1, Math.round((seconds * 44100) / 1152));
	const frame = Buffer.alloc(frameBytes);
	frame.set([0xff, 0xfb, 0x90, 0xc4]);
	const audio = Buffer.concat(Array.from({ length: frames }, () => frame));
	if (!text) return audio;
	// TXXX: encoding 3 (UTF-8), description "scaigrid-text", NUL, value.
	const payload = Buffer.concat([
		Buffer.from([3]),
		Buffer.from('scaigrid-text\0', 'utf8'),
		Buffer.from(text, 'utf8'),
	]);
	const frameHeader = Buffer.concat([
		Buffer.from('TXXX', 'ascii'),
		syncsafe(payload.length),
		Buffer.from([0, 0]),
	]);
	const tagBody = Buffer.concat([frameHeader, payload]);
	const tagHeader = Buffer.concat([
		Buffer.from('ID3', 'ascii'),
		Buffer.from([4, 0, 0]),
		syncsafe(tagBody.length),
	]);
	return Buffer.concat([tagHeader, tagBody, audio]);
}

const SPEECH_FORMATS = {
	wav: { mime: 'audio/wav', make: makeWav },
	mp3: { mime: 'audio/mpeg', make: makeMp3 },
	pcm: { mime: 'audio/pcm', make: (seconds) => tone(seconds) },
};

/** Which audio container a file is, from its first bytes; null when none the API takes. */
function sniffAudio(buffer) {
	const ascii = (start, end) => buffer.subarray(start, end).toString('latin1');
	if (buffer.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'wav';
	if (buffer.length >= 3 && ascii(0, 3) === 'ID3') return 'mp3';
	if (buffer.length >= 2 && buffer[0] === 0xff && (buffer[1] & 0xe0) === 0xe0) return 'mp3';
	if (buffer.length >= 4 && ascii(0, 4) === 'OggS') return 'ogg';
	if (buffer.length >= 4 && ascii(0, 4) === 'fLaC') return 'flac';
	if (buffer.length >= 8 && ascii(4, 8) === 'ftyp') return 'mp4';
	if (buffer.length >= 4 && buffer.readUInt32BE(0) === 0x1a45dfa3) return 'webm';
	return null;
}

/** Duration and embedded text of a WAV; null fields when it does not say. */
function readWav(buffer) {
	let offset = 12;
	let byteRate = null;
	let dataBytes = null;
	let text = null;
	while (offset + 8 <= buffer.length) {
		const id = buffer.toString('latin1', offset, offset + 4);
		const size = buffer.readUInt32LE(offset + 4);
		const start = offset + 8;
		if (id === 'fmt ' && size >= 16) byteRate = buffer.readUInt32LE(start + 8);
		if (id === 'data') dataBytes = Math.min(size, buffer.length - start);
		if (id === 'LIST' && buffer.toString('latin1', start, start + 4) === 'INFO') {
			let at = start + 4;
			while (at + 8 <= start + size) {
				const sub = buffer.toString('latin1', at, at + 4);
				const subSize = buffer.readUInt32LE(at + 4);
				if (sub === 'ICMT')
					text = buffer.toString('utf8', at + 8, at + 8 + subSize).replace(/\0+$/, '');
				at += 8 + subSize + (subSize % 2);
			}
		}
		offset = start + size + (size % 2);
	}
	return { seconds: byteRate && dataBytes !== null ? dataBytes / byteRate : null, text };
}

function readId3Text(buffer) {
	if (buffer.toString('latin1', 0, 3) !== 'ID3') return null;
	const unsync = (at) =>
		(buffer[at] << 21) | (buffer[at + 1] << 14) | (buffer[at + 2] << 7) | buffer[at + 3];
	const end = 10 + unsync(6);
	let at = 10;
	while (at + 10 <= end) {
		const id = buffer.toString('latin1', at, at + 4);
		const size = unsync(at + 4);
		if (id === 'TXXX') {
			const payload = buffer.subarray(at + 11, at + 10 + size).toString('utf8');
			const nul = payload.indexOf('\0');
			if (payload.slice(0, nul) === 'scaigrid-text') return payload.slice(nul + 1);
		}
		at += 10 + size;
	}
	return null;
}

/** What the "model" hears in a file: its format, length and words (embedded text, else a description). */
function hear(buffer) {
	const format = sniffAudio(buffer);
	if (!format) return null;
	let seconds = null;
	let text = null;
	if (format === 'wav') ({ seconds, text } = readWav(buffer));
	if (format === 'mp3') {
		text = readId3Text(buffer);
		seconds = buffer.length / 16000; // 128 kb/s
	}
	if (seconds === null) seconds = buffer.length / 16000;
	seconds = Math.round(seconds * 1000) / 1000;
	if (!text) text = `A ${seconds} second ${format} recording.`;
	return { format, seconds, text };
}

module.exports = { makePng, makeWav, makeMp3, SPEECH_FORMATS, sniffAudio, hear, crc32 };
