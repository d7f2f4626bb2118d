// Generates the sample workspace and opens VS Code with the extension on it.
//   node scripts/demo.mjs [--fresh] [--port N] [--web]
// VS Code desktop when `code` is on PATH (and --web is not given), otherwise VS Code's web workbench
// from the test harness on 127.0.0.1, whose URL this prints. Ctrl+C stops the web server.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ensureDemoWorkspace } from './demoWorkspace.mjs';
import { installVsCode, repoRoot, startServer, workbenchUrl } from './vscode/harness.mjs';

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const workspace = ensureDemoWorkspace({ fresh: args.includes('--fresh') });

const code = spawnSync('code', ['--version'], { encoding: 'utf8' });
if (!args.includes('--web') && code.status === 0) {
  console.log(`demo: opening VS Code ${code.stdout.split('\n')[0]} with the extension on ${workspace}`);
  spawnSync('code', ['--new-window', `--extensionDevelopmentPath=${repoRoot}`, workspace], { stdio: 'inherit', env: { ...process.env, CLOUDTRAIL_LENS_DEMO: '1' } });
  process.exit(0);
}

installVsCode();
// VS Code as a user gets it: the extension installed from this machine's VSIX (demo.sh builds it)
// and no smoke-test driver, which would hide every notification. It opens on the CloudTrail Lens
// view with the walkthrough (CLOUDTRAIL_LENS_DEMO).
const vsix = path.join(repoRoot, `cloudtrail-lens-${process.platform}-${process.arch}.vsix`);
const installed = existsSync(vsix) ? { vsix } : {};
if (!installed.vsix) console.log(`demo: ${path.basename(vsix)} not found (npm run package:target builds it): loading the extension from the checkout instead`);
const options = { smokeTestDriver: false, env: { CLOUDTRAIL_LENS_DEMO: '1' }, ...installed };
let server;
try {
  server = await startServer({ ...options, port: Number(option('--port') ?? 8080) });
} catch (error) {
  if (option('--port')) throw error;
  server = await startServer(options); // 8080 is taken: any free port
}
const url = workbenchUrl({ port: server.port, folder: workspace, extensionPath: installed.vsix ? null : repoRoot });
console.log('');
console.log('demo: VS Code (web) is running with CloudTrail Lens on the sample workspace. Open:');
console.log(`  ${url}`);
console.log('demo: press Ctrl+C to stop.');
const stop = () => {
  server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
