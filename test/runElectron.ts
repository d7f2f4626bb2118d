// Runs the same compiled integration suite in VS Code desktop through @vscode/test-electron, on
// machines that can download it (this one cannot: use `npm run test:vscode` here).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const workspace = path.join(mkdtempSync(path.join(tmpdir(), 'cloudtrail-lens-it-')), 'workspace');
  const prepared = spawnSync(process.execPath, [path.join(__dirname, 'integration', 'prepareWorkspace.js'), workspace], { stdio: 'inherit' });
  if (prepared.status !== 0) {
    throw new Error('could not prepare the test workspace');
  }
  await runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(__dirname, 'integration', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { CLOUDTRAIL_LENS_TEST_WORKSPACE: workspace },
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
