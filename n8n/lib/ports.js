'use strict';
// Localhost ports: any free one (n8n's task-runner broker, the test runs), or the first free one
// from a preferred port (the editor's n8n and emulator, so their URLs stay the same across runs).

const net = require('node:net');

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

function portIsFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** `preferred` when it is free, else the next free port after it (up to `tries` ports), else any free port. */
async function firstFreePort(preferred, tries = 20) {
	for (let port = preferred; port < preferred + tries && port <= 65535; port++)
		if (await portIsFree(port)) return port;
	return freePort();
}

module.exports = { freePort, firstFreePort };
