// Writes the workspace the integration suite opens: a local trail made by the simulator.
import { mkdirSync } from 'node:fs';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: prepareWorkspace.js DIR\n');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
