#!/usr/bin/env node
// Prints the README's table of the shipped rules (one row per finding-making rule) from rules/, so
// the list is written from the rules themselves; a unit test checks that the README holds each row.
// Usage: npm run build && node scripts/rulesTable.mjs
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { rulesTable } = require(path.join(root, 'out', 'src', 'core', 'detections', 'rulesTable.js'));
const { loadRules } = require(path.join(root, 'out', 'src', 'core', 'detections', 'loadRules.js'));
const loaded = await loadRules();
if (loaded.refused.length > 0) {
  for (const r of loaded.refused) console.error(`${r.file}:${r.line}: ${r.message}`);
  process.exit(2);
}
process.stdout.write(rulesTable(loaded.ruleSet.rules, root) + '\n');
