// The shipped rule pack: every rule compiles with all the others, says what it is (description,
// author, level, ATT&CK tactic and technique, false positives), and has a test file under
// test/rules/ (same path, .json) whose positive cases each make a finding of the rule and whose
// negative cases make none, with every rule of the pack loaded.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { CloudTrailRecord } from '../../../src/core/events/records';
import { builtinRulesDir, readRuleFolders } from '../../../src/core/detections/ruleFiles';
import { compileRules, detect, type RuleSet } from '../../../src/core/detections/ruleSet';
import type { RuleInfo, RuleRefusal, RuleSource } from '../../../src/core/detections/types';
import { repoRoot } from '../../fixtures/paths';

type Case = CloudTrailRecord | CloudTrailRecord[];

interface RuleTest {
  rule?: string;
  positive: Case[];
  negative: Case[];
}

/** The shipped pack, found the way the CLI and the extension find it. */
const rulesDir = builtinRulesDir();
const testsDir = path.join(repoRoot, 'test', 'rules');

/** Rule files under the pack's folder, found now (mocha needs the cases before any test runs). */
function ruleFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...ruleFiles(full));
    else if (/\.ya?ml$/i.test(entry.name)) out.push(full);
  }
  return out.sort();
}

function testFileOf(ruleFile: string): string {
  return path.join(testsDir, path.relative(rulesDir, ruleFile).replace(/\.ya?ml$/i, '.json'));
}

/** What the file says about itself, read here only to name the cases. */
function documentsOf(file: string): { id?: string; title?: string; correlation: boolean }[] {
  try {
    return parseAllDocuments(readFileSync(file, 'utf8')).flatMap((doc) => {
      const v = 'toJS' in doc ? (doc.toJS() as Record<string, unknown> | null) : null;
      if (!v || typeof v !== 'object') return [];
      return [{ id: typeof v.id === 'string' ? v.id : undefined, title: typeof v.title === 'string' ? v.title : undefined, correlation: 'correlation' in v }];
    });
  } catch {
    return [];
  }
}

function readTest(file: string): RuleTest | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as RuleTest;
}

function refusalText(r: RuleRefusal): string {
  return `${path.relative(repoRoot, r.file)}:${r.line}${r.title ? ` (${r.title})` : ''}: ${r.message}`;
}

function recordsOf(c: Case): CloudTrailRecord[] {
  return Array.isArray(c) ? c : [c];
}

function describeFindings(ruleSet: RuleSet, records: CloudTrailRecord[]): string {
  const found = detect(records, ruleSet);
  return found.length === 0 ? 'no findings' : found.map((f) => `${f.title} [${f.ruleId}]`).join('; ');
}

describe('built-in rule pack', () => {
  let sources: RuleSource[] = [];
  let ruleSet: RuleSet;
  let readRefusals: RuleRefusal[] = [];

  before(async () => {
    const pack = await readRuleFolders([rulesDir], 'builtin');
    sources = pack.sources;
    readRefusals = pack.refused;
    ruleSet = compileRules(sources);
  });

  /** The rules of one file that make findings of their own (not only feeding correlations). */
  function findingRules(file: string): RuleInfo[] {
    return ruleSet.rules.filter((r) => path.resolve(r.file) === path.resolve(file) && !r.correlationOnly);
  }

  /** The rule a test file expects: its `rule`, else the file's only finding-making rule. */
  function expectedRule(file: string, test: RuleTest): RuleInfo {
    const own = findingRules(file);
    if (test.rule) {
      const r = own.find((x) => x.id === test.rule || x.name === test.rule);
      assert.ok(r, `${path.relative(repoRoot, testFileOf(file))} names rule ${test.rule}, which is not a finding-making rule of ${path.relative(repoRoot, file)}`);
      return r;
    }
    assert.equal(own.length, 1, `${path.relative(repoRoot, testFileOf(file))} has no "rule" and ${path.relative(repoRoot, file)} has ${own.length} finding-making rules`);
    return own[0]!;
  }

  it('reads and compiles every rule with no refusals', () => {
    assert.ok(sources.length > 0, `no rule files under ${rulesDir}`);
    const refused = [...readRefusals, ...ruleSet.refused];
    assert.deepEqual(refused.map(refusalText), []);
  });

  it('has unique rule ids and names', () => {
    const ids = new Map<string, string>();
    const names = new Map<string, string>();
    const dup: string[] = [];
    for (const r of ruleSet.rules) {
      const where = `${path.relative(repoRoot, r.file)}:${r.line}`;
      if (ids.has(r.id)) dup.push(`id ${r.id}: ${ids.get(r.id)} and ${where}`);
      ids.set(r.id, where);
      if (r.name) {
        if (names.has(r.name)) dup.push(`name ${r.name}: ${names.get(r.name)} and ${where}`);
        names.set(r.name, where);
      }
    }
    assert.deepEqual(dup, []);
  });

  it('describes every rule: description, author, level, tactic, technique, false positives', () => {
    const problems: string[] = [];
    for (const r of ruleSet.rules) {
      // A base rule that only feeds a correlation is described by its correlation too, but still
      // carries its own metadata: it is listed and hovered like any other rule.
      const where = `${path.relative(repoRoot, r.file)}:${r.line} ${r.title}`;
      if (!r.description || r.description.trim() === '') problems.push(`${where}: no description`);
      if (!r.author || r.author.trim() === '') problems.push(`${where}: no author`);
      if (!r.level) problems.push(`${where}: no level`);
      if (!r.tags.some((t) => /^attack\.t\d{4}(\.\d{3})?$/i.test(t))) problems.push(`${where}: no attack.tNNNN technique tag`);
      if (r.tactics.length === 0) problems.push(`${where}: no ATT&CK tactic tag`);
      if (r.falsepositives.length === 0 || r.falsepositives.some((f) => f.trim() === '')) problems.push(`${where}: no false positives`);
    }
    assert.deepEqual(problems, []);
  });

  it('has a test file with positive and negative cases for every rule file', () => {
    const missing: string[] = [];
    for (const file of ruleFiles(rulesDir)) {
      const test = readTest(testFileOf(file));
      if (!test) missing.push(`${path.relative(repoRoot, file)}: no ${path.relative(repoRoot, testFileOf(file))}`);
      else if (!Array.isArray(test.positive) || test.positive.length === 0) missing.push(`${path.relative(repoRoot, testFileOf(file))}: no positive case`);
      else if (!Array.isArray(test.negative) || test.negative.length === 0) missing.push(`${path.relative(repoRoot, testFileOf(file))}: no negative case`);
    }
    assert.deepEqual(missing, []);
  });

  for (const file of ruleFiles(rulesDir)) {
    const rel = path.relative(rulesDir, file);
    const test = readTest(testFileOf(file));
    if (!test) continue;
    const docs = documentsOf(file);
    const named = (test.rule ? docs.find((d) => d.id === test.rule) : undefined) ?? docs.find((d) => d.correlation) ?? docs[0];
    const label = `${rel} (${named?.title ?? 'untitled'})`;

    describe(label, () => {
      (test.positive ?? []).forEach((c, i) => {
        it(`${label}: positive case ${i} makes a finding`, () => {
          const rule = expectedRule(file, test);
          const records = recordsOf(c);
          const found = detect(records, ruleSet);
          assert.ok(
            found.some((f) => f.ruleId === rule.id),
            `positive case ${i} of ${path.relative(repoRoot, testFileOf(file))} made no finding of "${rule.title}" [${rule.id}]: ${describeFindings(ruleSet, records)}`,
          );
        });
      });
      (test.negative ?? []).forEach((c, i) => {
        it(`${label}: negative case ${i} makes no finding`, () => {
          const rule = expectedRule(file, test);
          const records = recordsOf(c);
          const found = detect(records, ruleSet).filter((f) => f.ruleId === rule.id);
          assert.deepEqual(
            found.map((f) => `${f.title} [${f.ruleId}]`),
            [],
            `negative case ${i} of ${path.relative(repoRoot, testFileOf(file))} (rule "${rule.title}") made findings`,
          );
        });
      });
    });
  }
});
