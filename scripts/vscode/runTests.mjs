// Runs the compiled integration suite (out/test/integration/index.js) inside a real VS Code 1.139
// on loopback, and prints the suite's own counts. Exit code 0 only when every test passed.
//   node scripts/vscode/runTests.mjs [--grep PATTERN] [--keep] [--verbose]
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { installVsCode, launchBrowser, repoRoot, startServer, workbenchUrl } from './harness.mjs';
import { answerProbe } from './probes.mjs';

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const verbose = args.includes('--verbose');
const grepIndex = args.indexOf('--grep');
const grep = grepIndex >= 0 ? args[grepIndex + 1] : undefined;
const TIMEOUT_MS = Number(process.env.CLOUDTRAIL_LENS_TEST_TIMEOUT_MS ?? 15 * 60_000);

const testsPath = path.join(repoRoot, 'out', 'test', 'integration', 'index.js');
const prepare = path.join(repoRoot, 'out', 'test', 'integration', 'prepareWorkspace.js');
for (const file of [testsPath, prepare, path.join(repoRoot, 'dist', 'extension.js')]) {
  if (!existsSync(file)) {
    console.error(`missing ${path.relative(repoRoot, file)}: run "npm run build && npm run compile-tests" first`);
    process.exit(2);
  }
}

installVsCode();

const work = mkdtempSync(path.join(tmpdir(), 'cloudtrail-lens-it-'));
const workspace = path.join(work, 'workspace');
const resultsFile = path.join(work, 'results.json');
const workbenchLog = path.join(work, 'workbench.log');
const probesDir = path.join(work, 'probes');
mkdirSync(probesDir);
const prepared = spawnSync(process.execPath, [prepare, workspace], { stdio: 'inherit' });
if (prepared.status !== 0) {
  console.error('could not prepare the test workspace');
  process.exit(2);
}

const server = await startServer({
  env: {
    CLOUDTRAIL_LENS_TEST_RESULTS: resultsFile,
    CLOUDTRAIL_LENS_TEST_WORKSPACE: workspace,
    CLOUDTRAIL_LENS_PROBES: probesDir,
    ...(grep ? { CLOUDTRAIL_LENS_TEST_GREP: grep } : {}),
  },
});
const browser = await launchBrowser();
let exitCode = 1;
try {
  const page = await browser.newPage();
  // The suite's own lines start with "[suite] "; everything else the workbench logs (including its
  // failed gallery and GitHub lookups, harmless without network) goes to workbench.log.
  await page.exposeFunction('codeAutomationLog', (level, message) => {
    const text = String(message);
    const at = text.indexOf('[suite] ');
    if (at >= 0) {
      const line = text.slice(at + 8);
      // A test asking the harness to read or click in a webview (scripts/vscode/probes.mjs).
      if (line.startsWith('[probe] ')) {
        void answerProbe(page, line, probesDir, writeFileSync);
        return;
      }
      process.stdout.write(`${line}\n`);
    } else {
      appendFileSync(workbenchLog, `[${level}] ${text}\n`);
      if (verbose) process.stdout.write(`[workbench:${level}] ${text}\n`);
    }
  });
  const exited = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
  const url = workbenchUrl({ port: server.port, folder: workspace, testsPath });
  console.log(`harness: VS Code server on 127.0.0.1:${server.port}, workspace ${workspace}`);
  await page.goto(url);
  const timedOut = new Promise((resolve) => setTimeout(() => resolve('timeout'), TIMEOUT_MS));
  const code = await Promise.race([exited, timedOut]);
  if (code === 'timeout') {
    console.error(`harness: the integration suite did not finish within ${TIMEOUT_MS / 1000} s`);
    await page.screenshot({ path: path.join(work, 'timeout.png') }).catch(() => undefined);
  } else {
    exitCode = Number(code);
  }
} finally {
  await browser.close().catch(() => undefined);
  server.stop();
}

if (existsSync(resultsFile)) {
  const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
  console.log(`\nIntegration suite inside VS Code ${r.vscodeVersion}: ${r.passes} passing, ${r.failures} failing, ${r.pending} pending (${r.tests} tests, ${r.durationMs} ms)`);
  for (const f of r.failed ?? []) {
    console.log(`  FAILED: ${f.title}\n    ${f.error}`);
  }
  if (r.failures > 0 || r.passes === 0) {
    exitCode = exitCode || 1;
  }
} else {
  console.error('harness: the suite wrote no results (it did not run inside VS Code)');
  exitCode = exitCode || 1;
}
if (!keep && exitCode === 0) {
  rmSync(work, { recursive: true, force: true });
} else {
  console.log(`harness: kept ${work} (workbench.log has the workbench's own log; the server's logs are under ${server.dataDir})`);
}
process.exit(exitCode);
