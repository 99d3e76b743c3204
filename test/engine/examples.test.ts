/**
 * Every workflow in examples/ runs in the engine against the emulator and produces what
 * examples/expectations.json says: the same files and checks the demo uses.
 */
import { runWorkflow } from '../helpers/engine';
import { checkRun, loadExamples } from '../helpers/examples';
import { credentialsFor } from '../helpers/workflows';
import { useEmulator } from '../helpers/emulator';

// eslint-disable-next-line @typescript-eslint/no-require-imports
// One instance for all examples, never reset: as a long-running ScaiGrid would serve them.
const emulator = useEmulator({ seedHistory: true }, { reset: false });

// Examples with n8n's own AI nodes run in real n8n only (npm run test:n8n).
const examples = loadExamples().filter((e) => !e.config.realN8nOnly);

test('there are examples to run', () => {
	expect(examples.length).toBeGreaterThan(0);
});

test.each(examples.map((e) => [e.file, e] as const))(
	'%s produces what expectations.json says',
	async (_file, example) => {
		const result = await runWorkflow(example.workflow, {
			credentials: credentialsFor(emulator),
			...example.config.run,
		});
		expect(checkRun(result, example.config)).toEqual([]);
		expect(example.config.expect.length).toBeGreaterThan(0);
	},
);
