'use strict';
// The HTTP control surface (/_emulator/*) for out-of-process users: the demo and end-to-end
// tests against a real n8n. No auth, not rate limited, not logged as API traffic.

function json(res, status, obj) {
	const text = JSON.stringify(obj);
	res.writeHead(status, {
		'Content-Type': 'application/json',
		'Content-Length': Buffer.byteLength(text),
	});
	res.end(text);
}

/** A path given as "/regex/flags" over HTTP becomes a RegExp; anything else is a substring. */
function pathFromWire(path) {
	const m = typeof path === 'string' && /^\/(.+)\/([gimsuy]*)$/.exec(path);
	if (m && path.length > 2 && /[\\^$*+?()[\]{}|]/.test(m[1])) return new RegExp(m[1], m[2]);
	return path;
}

function handleControl(emulator, req, res, path, body) {
	const b = body || {};
	try {
		if (req.method === 'POST' && path === '/_emulator/fail-next') {
			emulator.failNext({ ...b, path: pathFromWire(b.path) });
			return json(res, 200, { ok: true, pending: emulator.pendingFaults });
		}
		if (req.method === 'POST' && path === '/_emulator/reset') {
			emulator.reset();
			return json(res, 200, { ok: true });
		}
		if (req.method === 'POST' && path === '/_emulator/config') {
			if (b.latencyMs !== undefined) emulator.setLatency(b.latencyMs);
			if (b.rateLimit !== undefined) emulator.setRateLimit(b.rateLimit);
			if (b.modelsPageSize !== undefined) emulator.setModelsPageSize(b.modelsPageSize);
			return json(res, 200, { ok: true });
		}
		if (req.method === 'GET' && path === '/_emulator/requests')
			return json(res, 200, emulator.requests);
		if (req.method === 'POST' && path === '/_emulator/clear-requests') {
			emulator.clearRequests();
			return json(res, 200, { ok: true });
		}
		if (req.method === 'POST' && path === '/_emulator/keys')
			return json(res, 200, { key: emulator.addKey(b) });
		if (req.method === 'POST' && path === '/_emulator/budgets')
			return json(res, 200, emulator.addBudget(b));
		if (req.method === 'GET' && path === '/_emulator/usage') return json(res, 200, emulator.usage);
		if (req.method === 'POST' && path === '/_emulator/usage') {
			return json(res, 200, {
				added: emulator.addUsageRecords(Array.isArray(b) ? b : b.records || []).length,
			});
		}
		return json(res, 404, { ok: false, error: `unknown control endpoint ${req.method} ${path}` });
	} catch (err) {
		return json(res, 400, { ok: false, error: err.message });
	}
}

module.exports = { handleControl };
