// Checks that each VSIX holds only what the extension needs at run time (no sources, tests or
// source maps) and prints its size for the README.
//
//   node scripts/checkPackage.mjs [cloudtrail-lens.vsix] [cloudtrail-lens-linux-x64.vsix …]
//
// The universal VSIX must hold no DuckDB at all. A platform VSIX (its target is read from its
// manifest and must match its file name) must hold dist/node_modules with exactly
// @duckdb/node-api, @duckdb/node-bindings, the binding of its own platform (a duckdb.node and an
// engine library built for that OS and CPU, checked from their headers) and detect-libc on Linux,
// each with its LICENSE, and no other platform's binding.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { constants, inflateRawSync } from 'node:zlib';
import { TARGETS, packagesFor } from './packageTargets.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** The entries of a zip's central directory (a VSIX is a plain zip). */
export function entries(file, buffer) {
  const eocd = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buffer.readUInt16LE(eocd + 10);
  let offset = buffer.readUInt32LE(eocd + 16);
  const list = new Map();
  for (let i = 0; i < count; i++) {
    const method = buffer.readUInt16LE(offset + 10);
    const compressedSize = buffer.readUInt32LE(offset + 20);
    const size = buffer.readUInt32LE(offset + 24);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    const local = buffer.readUInt32LE(offset + 42);
    const name = buffer.toString('utf8', offset + 46, offset + 46 + nameLength);
    list.set(name, { method, compressedSize, size, local });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return list;
}

/** The first `max` bytes of an entry (all of it by default), inflated. */
export function read(buffer, entry, max = Infinity) {
  const start = entry.local + 30 + buffer.readUInt16LE(entry.local + 26) + buffer.readUInt16LE(entry.local + 28);
  const data = buffer.subarray(start, start + Math.min(entry.compressedSize, max === Infinity ? Infinity : max + 1024));
  if (entry.method === 0) return data.subarray(0, max);
  if (entry.method !== 8) throw new Error(`unsupported zip method ${entry.method}`);
  return inflateRawSync(data, { finishFlush: constants.Z_SYNC_FLUSH }).subarray(0, max);
}

/** The OS and CPUs a native binary is built for, from its header: { os, cpus } or undefined. */
function binaryKind(head) {
  const elfCpu = { 0x3e: 'x64', 0xb7: 'arm64' };
  const machCpu = { 0x01000007: 'x64', 0x0100000c: 'arm64' };
  const peCpu = { 0x8664: 'x64', 0xaa64: 'arm64' };
  if (head.length >= 20 && head.readUInt32BE(0) === 0x7f454c46) return { os: 'linux', cpus: [elfCpu[head.readUInt16LE(18)] ?? 'other'] };
  if (head.length >= 8 && head.readUInt32LE(0) === 0xfeedfacf) return { os: 'darwin', cpus: [machCpu[head.readUInt32LE(4)] ?? 'other'] };
  if (head.length >= 8 && head.readUInt32BE(0) === 0xcafebabe) {
    const n = head.readUInt32BE(4);
    return { os: 'darwin', cpus: Array.from({ length: n }, (_, i) => machCpu[head.readUInt32BE(8 + 20 * i)] ?? 'other') };
  }
  if (head.length >= 64 && head.toString('latin1', 0, 2) === 'MZ') {
    const pe = head.readUInt32LE(0x3c);
    if (head.length >= pe + 6 && head.readUInt32BE(pe) === 0x50450000) return { os: 'win32', cpus: [peCpu[head.readUInt16LE(pe + 4)] ?? 'other'] };
  }
  return undefined;
}

const engineLibrary = { linux: 'libduckdb.so', darwin: 'libduckdb.dylib', win32: 'duckdb.dll' };

/** The name of the package a path inside node_modules/ belongs to. */
const packageOf = (rest) => (rest.startsWith('@') ? rest.split('/').slice(0, 2).join('/') : rest.split('/')[0]);

function check(file) {
  const zip = readFileSync(file);
  const list = entries(file, zip);
  const names = [...list.keys()];
  const problems = [];
  if (!list.has('extension.vsixmanifest')) throw new Error(`${file} has no extension.vsixmanifest`);
  const manifest = read(zip, list.get('extension.vsixmanifest')).toString('utf8');
  const target = /TargetPlatform="([^"]+)"/.exec(manifest)?.[1];
  const named = /cloudtrail-lens-([a-z0-9]+-[a-z0-9]+)\.vsix$/.exec(path.basename(file))?.[1];
  if (named && named !== target) problems.push(`the file name says ${named}, the manifest says ${target ?? 'universal'}`);
  if (target && !TARGETS.includes(target)) problems.push(`unexpected target ${target}`);

  const nodeModules = 'extension/dist/node_modules/';
  const own = names.filter((n) => !n.startsWith(nodeModules));
  const engine = names.filter((n) => n.startsWith(nodeModules));
  const forbidden = names.filter((n) => /\.(ts|map)$/.test(n)).concat(
    own.filter((n) => /(^|\/)(src|test|out|node_modules|scripts|\.vscode-test)\//.test(n.replace(/^extension\//, ''))),
  );
  if (forbidden.length) problems.push(`holds files it must not: ${forbidden.join(', ')}`);
  const required = ['package.json', 'dist/extension.js', 'dist/cli.js', 'dist/eventWorker.js', 'dist/storeWorker.js', 'dist/webview/investigation.js', 'dist/webview/investigation.css'];
  const missing = required.filter((r) => !names.includes(`extension/${r}`));
  // vsce ships the extension's LICENSE as LICENSE.txt.
  if (!names.some((n) => /^extension\/LICENSE(\.txt|\.md)?$/i.test(n))) missing.push('LICENSE');
  // The shipped detection rules are read from rules/ beside dist/ at run time, and the walkthrough's pages from media/.
  const rules = names.filter((n) => /^extension\/rules\/cloudtrail\/[^/]+\/[^/]+\.yml$/.test(n)).length;
  const expectedRules = readdirSync(path.join(root, 'rules', 'cloudtrail'), { recursive: true }).filter((f) => String(f).endsWith('.yml')).length;
  if (rules !== expectedRules) missing.push(`rules/ (${rules} of the ${expectedRules} rule files)`);
  if (!names.includes('extension/media/walkthrough/trails.md')) missing.push('media/walkthrough/');
  if (missing.length) problems.push(`lacks: ${missing.join(', ')}`);

  const size = statSync(file).size;
  console.log(`${file}: ${(size / 1048576).toFixed(1)} MB (${(size / 1024).toFixed(0)} KiB), ${names.length} entries, target ${target ?? 'universal'}`);
  for (const n of own) console.log(`  ${n}`);

  if (!target) {
    const duckdb = names.filter((n) => n.includes('@duckdb') || n.includes('node_modules/'));
    if (duckdb.length) problems.push(`the universal VSIX holds DuckDB or node_modules: ${duckdb.slice(0, 5).join(', ')}${duckdb.length > 5 ? ' …' : ''}`);
  } else {
    const [os, cpu] = target.split('-');
    const shipped = new Map();
    for (const n of engine) {
      const name = packageOf(n.slice(nodeModules.length));
      shipped.set(name, (shipped.get(name) ?? 0) + list.get(n).size);
    }
    for (const [name, bytes] of shipped) console.log(`  ${nodeModules}${name}/ (${bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${(bytes / 1024).toFixed(0)} KiB`} unpacked)`);
    const expected = packagesFor(target);
    const extra = [...shipped.keys()].filter((p) => !expected.includes(p));
    const absent = expected.filter((p) => !shipped.has(p));
    const otherBindings = extra.filter((p) => p.startsWith('@duckdb/node-bindings-'));
    if (otherBindings.length) problems.push(`holds other platforms' bindings: ${otherBindings.join(', ')}`);
    if (extra.length) problems.push(`dist/node_modules holds packages it must not: ${extra.join(', ')}`);
    if (absent.length) problems.push(`dist/node_modules lacks ${absent.join(', ')}`);
    for (const p of expected) {
      for (const f of ['package.json', 'LICENSE']) if (shipped.has(p) && !list.has(`${nodeModules}${p}/${f}`)) problems.push(`${p} has no ${f}`);
    }
    const apiMain = `${nodeModules}@duckdb/node-api/lib/index.js`;
    if (!list.has(apiMain)) problems.push(`lacks ${apiMain}`);
    const addons = names.filter((n) => n.endsWith('.node'));
    const binding = `${nodeModules}@duckdb/node-bindings-${target}/duckdb.node`;
    if (addons.length !== 1 || addons[0] !== binding) problems.push(`expected exactly one native addon, ${binding}; found ${addons.join(', ') || 'none'}`);
    const library = `${nodeModules}@duckdb/node-bindings-${target}/${engineLibrary[os]}`;
    if (!list.has(library)) problems.push(`lacks the engine library ${library}`);
    for (const n of [binding, library].filter((n) => list.has(n))) {
      const kind = binaryKind(read(zip, list.get(n), 4096));
      const ok = kind?.os === os && kind.cpus.includes(cpu) && (n !== binding || kind.cpus.length === 1);
      console.log(`  ${n.slice(nodeModules.length)}: ${kind ? `${kind.os} ${kind.cpus.join('+')}` : 'not a native binary'}`);
      if (!ok) problems.push(`${n} is not built for ${target}`);
    }
  }

  if (problems.length) {
    for (const p of problems) console.error(`${file}: ${p}`);
    return false;
  }
  console.log(`${file} OK: ${target ? `only the ${target} DuckDB binding, node-api, LICENSEs;` : 'no DuckDB, no node_modules;'} no sources, tests or source maps`);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = process.argv.slice(2);
  let ok = true;
  for (const file of files.length ? files : ['cloudtrail-lens.vsix']) ok = check(file) && ok;
  if (!ok) process.exit(1);
}
