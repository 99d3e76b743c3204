'use strict';
// Free localhost ports, so n8n, its task-runner broker and the emulator never collide with
// another n8n (or another engineer's test) on the same machine.

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

module.exports = { freePort };
