// Checks that the VSIX holds only what the extension needs at run time (no sources, tests or
// source maps) and prints its size for the README.
import { readFileSync, statSync } from 'node:fs';


const file = process.argv[2] ?? 'cloudtrail-lens.vsix';
const zip = readFileSync(file);

// List the entries from the zip's central directory (the VSIX is a plain zip).
function entries(buffer) {
  const eocd = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buffer.readUInt16LE(eocd + 10);
  let offset = buffer.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    names.push(buffer.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

const names = entries(zip);
const forbidden = names.filter((n) => /\.(ts|map)$/.test(n) || /(^|\/)(src|test|out|node_modules|scripts|\.vscode-test)\//.test(n.replace(/^extension\//, '')));
const required = ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/cli.js', 'extension/dist/eventWorker.js'];
const missing = required.filter((r) => !names.includes(r));
const size = statSync(file).size;
console.log(`${file}: ${(size / 1024).toFixed(0)} KiB, ${names.length} entries`);
for (const n of names) console.log(`  ${n}`);
if (forbidden.length > 0 || missing.length > 0) {
  if (forbidden.length) console.error(`the VSIX holds files it must not: ${forbidden.join(', ')}`);
  if (missing.length) console.error(`the VSIX lacks: ${missing.join(', ')}`);
  process.exit(1);
}
console.log('VSIX contents OK: no sources, tests or source maps');
