// Loads DuckDB from a packaged platform VSIX the way the extension will: unpacks
// cloudtrail-lens-<this machine's platform>.vsix into a temporary folder and, in a fresh Node
// process, requires @duckdb/node-api from the packaged dist/storeWorker.js's point of view and runs
// SELECT 42. Then checks that the universal VSIX's dist/ cannot resolve @duckdb/node-api at all.
//
//   node scripts/checkPlatformPackage.mjs [cloudtrail-lens-linux-x64.vsix] [cloudtrail-lens.vsix]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { entries, read } from './checkPackage.mjs';

const hostTarget = `${process.platform}-${process.arch}`;

function unzip(file, into) {
  const zip = readFileSync(file);
  for (const [name, entry] of entries(file, zip)) {
    const to = path.resolve(into, name);
    if (!to.startsWith(into + path.sep)) throw new Error(`${file}: entry ${name} points outside the folder`);
    if (name.endsWith('/')) continue;
    mkdirSync(path.dirname(to), { recursive: true });
    writeFileSync(to, read(zip, entry));
  }
}

/** Runs in the child: resolves and loads DuckDB from `dist`, answers on stdout. */
async function load(dist) {
  const require = createRequire(path.join(dist, 'storeWorker.js'));
  const resolved = require.resolve('@duckdb/node-api');
  if (!resolved.startsWith(path.join(dist, 'node_modules') + path.sep)) throw new Error(`@duckdb/node-api resolves to ${resolved}, outside the packaged dist/node_modules`);
  const { DuckDBInstance } = require('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const rows = (await connection.runAndReadAll('SELECT 42 AS answer, version() AS version')).getRows();
  connection.closeSync();
  instance.closeSync();
  // Everything DuckDB needed (node-api, node-bindings, the addon, detect-libc on Linux) came from the package.
  const loaded = Object.keys(require.cache);
  const outside = loaded.filter((f) => !f.startsWith(path.join(dist, 'node_modules') + path.sep));
  if (outside.length) throw new Error(`modules loaded from outside the packaged dist/node_modules: ${outside.join(', ')}`);
  const addons = loaded.filter((f) => f.endsWith('.node'));
  if (addons.length !== 1) throw new Error(`expected one native addon loaded, found ${addons.join(', ') || 'none'}`);
  console.log(JSON.stringify({ resolved, answer: Number(rows[0][0]), version: rows[0][1], addons }));
}

function main([targetVsix = `cloudtrail-lens-${hostTarget}.vsix`, universalVsix = 'cloudtrail-lens.vsix']) {
  // The real path: Node reports resolved modules by it (macOS's /var is /private/var).
  const tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cloudtrail-lens-vsix-')));
  try {
    const platform = path.join(tmp, 'platform');
    unzip(targetVsix, platform);
    const dist = path.join(platform, 'extension', 'dist');
    // A fresh process, started outside the repository, with no NODE_PATH: nothing but the package can answer.
    const env = { ...process.env };
    delete env.NODE_PATH;
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--load', dist], { cwd: tmp, env, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`${targetVsix}: loading DuckDB from the package failed:\n${child.stderr}`);
    const result = JSON.parse(child.stdout.trim().split('\n').pop());
    if (result.answer !== 42) throw new Error(`${targetVsix}: SELECT 42 returned ${result.answer}`);
    console.log(`${targetVsix}: DuckDB ${result.version} loads from ${path.relative(tmp, result.resolved)} (addon ${result.addons.map((a) => path.relative(tmp, a)).join(', ')}); SELECT 42 = ${result.answer}`);

    const universal = path.join(tmp, 'universal');
    unzip(universalVsix, universal);
    const from = path.join(universal, 'extension', 'dist', 'storeWorker.js');
    try {
      const found = createRequire(from).resolve('@duckdb/node-api');
      throw new Error(`${universalVsix}: @duckdb/node-api resolves from its dist/ to ${found}; it must not`);
    } catch (error) {
      if (error.code !== 'MODULE_NOT_FOUND') throw error;
    }
    console.log(`${universalVsix}: @duckdb/node-api does not resolve from its dist/ (as intended)`);

    // The packaged CLI finds the packaged rules (rules/ beside dist/) and runs them.
    const logs = path.join(tmp, 'logs.json');
    writeFileSync(logs, JSON.stringify({ Records: [{ eventVersion: '1.09', eventTime: '2026-11-01T10:00:00Z', eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', awsRegion: 'us-east-1', sourceIPAddress: '203.0.113.9', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/mallory', userName: 'mallory' }, requestParameters: { name: 'main' }, eventID: '00000000-0000-4000-8000-000000000001', eventType: 'AwsApiCall', recipientAccountId: '111122223333' }] }));
    const detect = spawnSync(process.execPath, [path.join(universal, 'extension', 'dist', 'cli.js'), 'detect', logs], { cwd: tmp, env, encoding: 'utf8' });
    if (detect.status !== 1 || !/CloudTrail Logging Stopped/.test(detect.stdout)) throw new Error(`${universalVsix}: its CLI did not find StopLogging with the packaged rules (exit ${detect.status}):\n${detect.stdout}${detect.stderr}`);
    console.log(`${universalVsix}: its CLI runs the packaged rules (${detect.stderr.trim().split('\n').pop()})`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  if (args[0] === '--load') {
    load(args[1]).catch((error) => {
      console.error(error.stack ?? String(error));
      process.exit(1);
    });
  } else {
    try {
      main(args);
    } catch (error) {
      console.error(error.message);
      process.exit(1);
    }
  }
}
