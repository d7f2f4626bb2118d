// Builds one VSIX per platform: the extension as `npm run package` builds it, plus DuckDB's engine
// for that platform only, staged in dist/node_modules so that `require('@duckdb/node-api')` from
// dist/storeWorker.js and dist/cli.js finds it right beside them (Node looks in the requiring
// file's own node_modules first). Run after `node scripts/build.mjs --production`:
//
//   node scripts/packageTargets.mjs linux-x64 [darwin-arm64 …]    or    --all
//
// @duckdb/node-api, @duckdb/node-bindings (and detect-libc, which it asks on Linux whether the C
// library is musl) are platform-independent and come from node_modules, at the versions in
// package-lock.json; so does the binding of this machine's platform, which npm installed. The
// binding of every other platform comes from `npm pack` at the exact version of package-lock.json,
// its sha512 checked against the lockfile's integrity, cached in node_modules/.cache/cloudtrail-lens-vsix
// (git-ignored with node_modules/). Nothing is fetched when the extension runs.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The platforms we build for: vsce's target name is also the binding package's suffix. */
export const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'];

/** The packages each target VSIX holds under dist/node_modules (detect-libc only on Linux, the only place it is asked). */
export function packagesFor(target) {
  return ['@duckdb/node-api', '@duckdb/node-bindings', `@duckdb/node-bindings-${target}`, ...(target.startsWith('linux-') ? ['detect-libc'] : [])];
}

export const vsixName = (target) => `cloudtrail-lens-${target}.vsix`;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cache = path.join(root, 'node_modules', '.cache', 'cloudtrail-lens-vsix');
const staged = path.join(root, 'dist', 'node_modules');

/** Files of a package the extension never reads at run time (types, docs, maps). */
const dropped = (file) => /\.d\.ts$|\.map$|^README(\.md)?$/i.test(path.basename(file));

function lockEntry(lock, name) {
  const entry = lock.packages[`node_modules/${name}`];
  if (!entry?.version) throw new Error(`package-lock.json has no node_modules/${name}; run npm install`);
  return entry;
}

function sha512(file) {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/** Downloads (once) and unpacks the binding package of `target`; returns the unpacked folder. */
function fetchBinding(lock, target) {
  const name = `@duckdb/node-bindings-${target}`;
  const { version, integrity } = lockEntry(lock, name);
  const tarball = path.join(cache, `duckdb-node-bindings-${target}-${version}.tgz`);
  const check = () => {
    if (!integrity) {
      console.warn(`package-lock.json gives no integrity for ${name}@${version}; using the tarball unchecked`);
      return true;
    }
    if (!integrity.startsWith('sha512-')) throw new Error(`${name}: expected a sha512 integrity in package-lock.json, found ${integrity}`);
    return sha512(tarball) === integrity;
  };
  if (!existsSync(tarball) || !check()) {
    rmSync(tarball, { force: true });
    mkdirSync(cache, { recursive: true });
    console.log(`npm pack ${name}@${version}`);
    const npm = spawnSync('npm', ['pack', `${name}@${version}`, '--pack-destination', cache, '--prefer-offline', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' });
    if (npm.status !== 0) throw new Error(`npm pack ${name}@${version} failed`);
    if (!existsSync(tarball)) throw new Error(`npm pack did not write ${tarball}`);
    if (!check()) {
      rmSync(tarball, { force: true });
      throw new Error(`${name}@${version}: the downloaded tarball does not match package-lock.json's integrity`);
    }
  }
  const unpacked = path.join(cache, `duckdb-node-bindings-${target}-${version}`);
  rmSync(unpacked, { recursive: true, force: true });
  mkdirSync(unpacked, { recursive: true });
  const tar = spawnSync('tar', ['-xzf', tarball, '-C', unpacked], { stdio: 'inherit' });
  if (tar.status !== 0) throw new Error(`could not unpack ${tarball}`);
  const folder = path.join(unpacked, 'package');
  const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8'));
  if (manifest.name !== name || manifest.version !== version) throw new Error(`${tarball} holds ${manifest.name}@${manifest.version}, not ${name}@${version}`);
  return folder;
}

/** The installed copy of a platform-independent package, after checking it is the locked version. */
function installed(lock, name) {
  const folder = path.join(root, 'node_modules', name);
  const { version } = lockEntry(lock, name);
  const actual = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')).version;
  if (actual !== version) throw new Error(`node_modules/${name} is ${actual}, package-lock.json says ${version}; run npm ci`);
  return folder;
}

/**
 * The binding of `target`: the installed copy when npm installed this one (the machine's own
 * platform, checked by npm against the lockfile; no network needed), else the verified tarball.
 */
function binding(lock, target) {
  const name = `@duckdb/node-bindings-${target}`;
  const { version } = lockEntry(lock, name);
  const wanted = lockEntry(lock, '@duckdb/node-bindings').optionalDependencies?.[name];
  if (wanted !== version) throw new Error(`@duckdb/node-bindings wants ${name}@${wanted}, package-lock.json has ${version}`);
  const folder = path.join(root, 'node_modules', name);
  if (existsSync(path.join(folder, 'package.json'))) return installed(lock, name);
  return fetchBinding(lock, target);
}

function stage(lock, target) {
  rmSync(staged, { recursive: true, force: true });
  for (const name of packagesFor(target)) {
    const from = name === `@duckdb/node-bindings-${target}` ? binding(lock, target) : installed(lock, name);
    if (!existsSync(path.join(from, 'LICENSE'))) throw new Error(`${name} has no LICENSE file to ship`);
    cpSync(from, path.join(staged, name), { recursive: true, filter: (file) => statSync(file).isDirectory() || !dropped(file) });
  }
  // Node's own resolution, from where the bundles sit: dist/storeWorker.js and dist/cli.js.
  const resolved = createRequire(path.join(root, 'dist', 'storeWorker.js')).resolve('@duckdb/node-api');
  if (!resolved.startsWith(staged + path.sep)) throw new Error(`from dist/, @duckdb/node-api resolves to ${resolved}, not the staged copy`);
}

function vsce(args) {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('@vscode/vsce/package.json');
  const bin = require(manifestPath).bin.vsce;
  const run = spawnSync(process.execPath, [path.join(path.dirname(manifestPath), bin), ...args], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`vsce ${args.join(' ')} failed`);
}

function packageTarget(lock, target) {
  const started = Date.now();
  stage(lock, target);
  // The universal allow-list, plus the staged engine.
  mkdirSync(cache, { recursive: true });
  const ignoreFile = path.join(cache, `vscodeignore-${target}`);
  writeFileSync(ignoreFile, `${readFileSync(path.join(root, '.vscodeignore'), 'utf8').trimEnd()}\n!dist/node_modules/**\n`);
  vsce(['package', '--target', target, '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--ignoreFile', ignoreFile, '--out', vsixName(target)]);
  const size = statSync(path.join(root, vsixName(target))).size;
  console.log(`${vsixName(target)}: ${(size / 1048576).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function main(args) {
  const targets = args.includes('--all') ? TARGETS : args;
  const unknown = targets.filter((t) => !TARGETS.includes(t));
  if (targets.length === 0 || unknown.length > 0) {
    console.error(`usage: node scripts/packageTargets.mjs <target>… | --all   (targets: ${TARGETS.join(', ')})`);
    process.exit(2);
  }
  for (const file of ['storeWorker.js', 'cli.js']) {
    if (!existsSync(path.join(root, 'dist', file))) throw new Error(`dist/${file} is missing: run node scripts/build.mjs --production first`);
  }
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  try {
    for (const target of targets) packageTarget(lock, target);
  } finally {
    // Leave dist/ as the build wrote it: a dev run and the universal VSIX use node_modules.
    rmSync(staged, { recursive: true, force: true });
  }
  // Unpacked bindings are only a staging step; the verified tarballs stay cached.
  for (const entry of existsSync(cache) ? readdirSync(cache) : []) {
    if (!entry.endsWith('.tgz')) rmSync(path.join(cache, entry), { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
