import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadRules } from '../../../src/core/detections/loadRules';
import { rulesTable } from '../../../src/core/detections/rulesTable';
import { repoRoot } from '../../fixtures/paths';

describe('README rule list', () => {
  it('lists every shipped rule with its title, level, what it catches and its source (node scripts/rulesTable.mjs writes the table)', async () => {
    const loaded = await loadRules();
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const rows = rulesTable(loaded.ruleSet.rules, repoRoot).split('\n').slice(2);
    assert.equal(rows.length, loaded.ruleSet.rules.filter((r) => !r.correlationOnly).length);
    const missing = rows.filter((row) => !readme.includes(row));
    assert.deepEqual(missing, [], 'README rows out of date: run "npm run build && npx tsc -p tsconfig.test.json && node scripts/rulesTable.mjs" and paste the table');
  });
});
