'use strict';
// Check "first install": what a first `npm run n8n` shows while it installs, without a second
// real install (7 to 20 minutes). `node n8n/setup.js` runs with SCAIGRID_N8N_STATE_DIR set to an
// empty folder and a stand-in `npm` first on PATH that does what npm's install and rebuild leave
// behind (the Node 24 package's `bin/node`, n8n's `bin/n8n`) and prints 300 peer-dependency
// warnings, as n8n's tree makes npm do. The terminal must show one line per step (Node.js when
// this node is older than 24, n8n, native modules), each with its elapsed time, and the install
// log's path; the warnings must be in that log, not on the terminal. (The Chromium step runs the
// same code with apt-get.)

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const { E2E_USER_FOLDER, N8N_DIR } = require('../lib/paths');

const WARNINGS = 300;

/** The stand-in npm: `install --prefix DIR node-<platform>-<arch>@V`, `install` (n8n), `rebuild`. */
const FAKE_NPM = `#!/bin/sh
i=0
while [ $i -lt ${WARNINGS} ]; do echo "npm warn ERESOLVE overriding peer dependency $i" >&2; i=$((i+1)); done
case " $* " in
  *" --prefix "*)
    prefix=$(echo "$*" | sed 's/.*--prefix \\([^ ]*\\).*/\\1/')
    pkg=$(echo "$*" | sed 's/.* \\(node-[a-z0-9]*-[a-z0-9]*\\)@\\([0-9.]*\\).*/\\1/')
    version=$(echo "$*" | sed 's/.* node-[a-z0-9]*-[a-z0-9]*@\\([0-9.]*\\).*/\\1/')
    mkdir -p "$prefix/node_modules/$pkg/bin"
    printf '#!/bin/sh\\nif [ "$1" = -v ]; then echo v%s; else exec "%s" "$@"; fi\\n' "$version" "$REAL_NODE" > "$prefix/node_modules/$pkg/bin/node"
    chmod +x "$prefix/node_modules/$pkg/bin/node" ;;
  *" install "*)
    mkdir -p node_modules/n8n/bin && echo '// stand-in' > node_modules/n8n/bin/n8n ;;
esac
echo "added 1 package"
`;

function installOutputCheck() {
	const dir = path.join(E2E_USER_FOLDER, 'first-install');
	fs.rmSync(dir, { recursive: true, force: true });
	const bin = path.join(dir, 'bin');
	fs.mkdirSync(bin, { recursive: true });
	fs.writeFileSync(path.join(bin, 'npm'), FAKE_NPM, { mode: 0o755 });
	const state = path.join(dir, 'state');
	const result = spawnSync(process.execPath, [path.join(N8N_DIR, 'setup.js')], {
		encoding: 'utf8',
		env: {
			...process.env,
			PATH: `${bin}${path.delimiter}${process.env.PATH}`,
			SCAIGRID_N8N_STATE_DIR: state,
			REAL_NODE: process.execPath,
		},
		timeout: 60000,
	});
	const problems = [];
	const terminal = `${result.stdout}${result.stderr}`;
	if (result.status !== 0)
		problems.push(`node n8n/setup.js exited with ${result.status}:\n${terminal}`);
	const lines = terminal.split('\n').filter(Boolean);
	const expected = [/n8n \S+ into \S*\.install\//, /native modules/];
	if (Number(process.versions.node.split('.')[0]) < 24) expected.unshift(/Node\.js \S+/);
	for (const pattern of expected) {
		const matching = lines.filter((l) => pattern.test(l));
		if (matching.length !== 1)
			problems.push(`expected one line for the step ${pattern}, got ${matching.length}`);
		else if (!/ done in \d+ s$/.test(matching[0]))
			problems.push(`the step line does not end with its elapsed time: ${matching[0]}`);
	}
	const logFile = path.join(state, '.logs', 'install.log');
	const relLog = path.relative(path.dirname(N8N_DIR), logFile);
	if (!lines.some((l) => l.includes(relLog)))
		problems.push(`no line names the install log (${relLog})`);
	const warnings = lines.filter((l) => l.includes('npm warn')).length;
	if (warnings) problems.push(`${warnings} npm warnings reached the terminal`);
	const logged = fs.existsSync(logFile)
		? (fs.readFileSync(logFile, 'utf8').match(/npm warn/g) || []).length
		: 0;
	if (logged < WARNINGS * (expected.length - 1))
		problems.push(
			`the install log holds ${logged} npm warnings, expected ${WARNINGS} per npm call`,
		);
	if (!problems.length) fs.rmSync(dir, { recursive: true, force: true });
	return {
		problems,
		detail: `${lines.length} lines on the terminal: ${lines.map((l) => l.replace(/^\[n8n +[\d.]+s\] /, '')).join(' | ')}`,
	};
}

module.exports = { installOutputCheck };
