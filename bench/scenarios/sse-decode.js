'use strict';
/**
 * B4: SSE decoding throughput on a ~50 MB recorded ScaiGrid stream, our decoder
 * (dist/nodes/shared/transport/sse.js, as n8n loads it) side by side with eventsource-parser, the parser
 * most JavaScript SSE clients use.
 *
 * Fair by construction:
 * - The same bytes, fed as the same 16 KiB Uint8Array chunks (what a socket delivers).
 * - Both include UTF-8 decoding: ours decodes bytes itself; eventsource-parser takes strings, so
 *   it gets a streaming TextDecoder in front, exactly as its EventSourceParserStream does.
 * - Both do the same work per event (count it and add up the data length), and must agree.
 * - Runs are interleaved (ours, peer, peer, ours, ...), so a noisy neighbour slows both rather
 *   than one; figures are medians of the rounds, the ratio the median of the rounds' ratios
 *   with its quartiles (bench/lib/timing.js).
 *
 * MB = 10^6 bytes. Run: `node bench/scenarios/sse-decode.js [--quick]` (needs `npm run build`).
 */
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const ROOT = path.resolve(__dirname, '..', '..');
const CHUNK_BYTES = 16 * 1024;
const { describeSummary, roundSummary, summary } = require('../lib/timing');

/** Deterministic PRNG (mulberry32), so every run decodes the same stream. */
function prng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const WORDS = [
	'the',
	'gateway',
	'routes',
	'every',
	'request',
	'to',
	'a',
	'healthy',
	'backend',
	'and',
	'streams',
	'tokens',
	'back',
	'as',
	'they',
	'are',
	'written',
	'Zürich',
	'naïve',
	'café',
	'東京',
	'データ',
	'🚀',
	'model',
	'latency',
	'budget',
	'usage',
	'cost',
	'n8n',
	'workflow',
	'chunk',
	'event',
	'\\n',
	'"quoted"',
];

/**
 * A recording shaped like ScaiGrid's streams (contract section 4): one JSON chunk per token,
 * a keep-alive comment and a persona status event now and then, some tool-call fragments, a
 * finish chunk, a usage chunk and [DONE] per answer; CRLF line ends in a tenth of the answers.
 */
function recordStream(targetBytes) {
	const random = prng(20261105);
	const parts = [];
	let size = 0;
	let answer = 0;
	while (size < targetBytes) {
		answer++;
		const eol = answer % 10 === 0 ? '\r\n' : '\n';
		const id = `chatcmpl-${String(answer).padStart(8, '0')}`;
		const head = `{"id":"${id}","object":"chat.completion.chunk","model":"scailabs/poolnoodle-omni","created":1795000000,"choices":[{"index":0,"delta":`;
		const frames = [];
		const tokens = 50 + Math.floor(random() * 200);
		for (let i = 0; i < tokens; i++) {
			const word = WORDS[Math.floor(random() * WORDS.length)];
			frames.push(`data: ${head}{"content":${JSON.stringify(`${word} `)}}}]}${eol}${eol}`);
			if (i === 0) frames.push(`: keep-alive${eol}${eol}`);
			if (i === 1)
				frames.push(`event: persona_status${eol}data: {"status":"generating"}${eol}${eol}`);
		}
		if (answer % 7 === 0) {
			frames.push(
				`data: ${head}{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]}}]}${eol}${eol}`,
			);
			for (const frag of ['{"loca', 'tion":"Zü', 'rich"}']) {
				frames.push(
					`data: ${head}{"tool_calls":[{"index":0,"function":{"arguments":${JSON.stringify(frag)}}}]}}]}${eol}${eol}`,
				);
			}
		}
		frames.push(`data: ${head}{},"finish_reason":"stop"}]}${eol}${eol}`);
		frames.push(
			`data: {"id":"${id}","choices":[],"usage":{"prompt_tokens":24,"completion_tokens":${tokens},"total_tokens":${24 + tokens}}}${eol}${eol}`,
		);
		frames.push(`data: [DONE]${eol}${eol}`);
		const text = frames.join('');
		parts.push(text);
		size += Buffer.byteLength(text);
	}
	const bytes = Buffer.from(parts.join(''), 'utf8');
	const chunks = [];
	for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
		chunks.push(
			new Uint8Array(
				bytes.buffer,
				bytes.byteOffset + offset,
				Math.min(CHUNK_BYTES, bytes.length - offset),
			),
		);
	}
	return { bytes: bytes.length, chunks };
}

function loadOurs() {
	try {
		return require(path.join(ROOT, 'dist', 'nodes', 'shared', 'transport', 'sse.js'));
	} catch (error) {
		throw new Error(
			`dist/nodes/shared/transport/sse.js is missing: run \`npm run build\` first (${error.message})`,
		);
	}
}

function decodeOurs(SseDecoder, chunks) {
	const decoder = new SseDecoder();
	let events = 0;
	let dataChars = 0;
	for (const chunk of chunks) {
		const out = decoder.push(chunk);
		for (let i = 0; i < out.length; i++) {
			events++;
			dataChars += out[i].data.length;
		}
	}
	decoder.end();
	return { events, dataChars };
}

function decodePeer(createParser, chunks) {
	let events = 0;
	let dataChars = 0;
	const parser = createParser({
		onEvent(event) {
			events++;
			dataChars += event.data.length;
		},
	});
	const text = new TextDecoder('utf-8');
	for (const chunk of chunks) parser.feed(text.decode(chunk, { stream: true }));
	const rest = text.decode();
	if (rest) parser.feed(rest);
	return { events, dataChars };
}

function timed(fn) {
	const started = performance.now();
	const result = fn();
	return { ms: performance.now() - started, result };
}

async function run({ quick = false } = {}) {
	const { SseDecoder } = loadOurs();
	// eventsource-parser 3 ships CommonJS (dist/index.cjs) beside its ESM build.
	const { createParser } = require('eventsource-parser');
	const recording = recordStream(quick ? 5e6 : 50e6);
	const rounds = quick ? 3 : 11;

	// Warm-up (JIT), then interleaved timed rounds; the order alternates every round.
	const check = {
		ours: decodeOurs(SseDecoder, recording.chunks),
		peer: decodePeer(createParser, recording.chunks),
	};
	if (check.ours.events !== check.peer.events || check.ours.dataChars !== check.peer.dataChars) {
		throw new Error(
			`decoders disagree: ours ${JSON.stringify(check.ours)}, eventsource-parser ${JSON.stringify(check.peer)}`,
		);
	}
	const times = { ours: [], peer: [] };
	for (let round = 0; round < rounds; round++) {
		const order = round % 2 === 0 ? ['ours', 'peer'] : ['peer', 'ours'];
		for (const who of order) {
			const { ms } = timed(() =>
				who === 'ours'
					? decodeOurs(SseDecoder, recording.chunks)
					: decodePeer(createParser, recording.chunks),
			);
			times[who].push(ms);
		}
	}
	const mbps = (ms) => Math.round((recording.bytes / 1e6 / (ms / 1000)) * 10) / 10;
	const ours = mbps(summary(times.ours).median);
	const peer = mbps(summary(times.peer).median);
	// MB/s ours ÷ theirs = their time ÷ ours, round by round
	const ratio = summary(times.peer.map((ms, i) => ms / times.ours[i]));
	return {
		scenario: 'B4 SSE decoding, 50 MB recorded stream',
		unit: 'MB/s',
		ours,
		peers: { 'eventsource-parser': peer },
		ratio: `${describeSummary(ratio)} eventsource-parser`,
		goal: 'MB/s ≥ eventsource-parser',
		met: ratio.median >= 1,
		detail: {
			bytes: recording.bytes,
			chunkBytes: CHUNK_BYTES,
			chunks: recording.chunks.length,
			events: check.ours.events,
			rounds,
			ratio: roundSummary(ratio),
			allMs: { ours: times.ours.map(Math.round), 'eventsource-parser': times.peer.map(Math.round) },
			quick,
		},
	};
}

module.exports = { run };

if (require.main === module) {
	run({ quick: process.argv.includes('--quick') }).then(
		(result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`),
		(error) => {
			process.stderr.write(`${error.stack || error}\n`);
			process.exit(1);
		},
	);
}
