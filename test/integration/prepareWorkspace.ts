// Writes the workspace the integration suite opens: a local trail made by the simulator (three hours
// of two regions with signed digests, the public keys and the digests' metadata).
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { simulateTrail, writeTrailToFolder } from '../fixtures/simulator';

export const WORKSPACE_TRAIL = { folder: 'trail-logs', seed: 3, hours: 3, filesPerHour: 2, recordsPerFile: 20, regions: ['us-east-1', 'eu-west-1'] };

async function main(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const { folder, ...options } = WORKSPACE_TRAIL;
  const written = await writeTrailToFolder(simulateTrail(options), path.join(dir, folder));
  process.stdout.write(`prepared ${dir}: ${written.files} simulated trail files\n`);
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: prepareWorkspace.js DIR\n');
    process.exit(2);
  }
  main(dir).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
