// Small builders for the engine tests: a rule from a detection written as data, a rule set from
// texts, and whether a rule set makes a finding for a record.
import * as assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { compileRules, type CompileOptions, type RuleSet } from '../../../src/core/detections/ruleSet';
import type { RuleSource } from '../../../src/core/detections/types';
import type { CloudTrailRecord } from '../../../src/core/events/records';

export const CLOUDTRAIL = { product: 'aws', service: 'cloudtrail' };

/** A rule's YAML text: a detection (as data) with a CloudTrail logsource, and any other fields. */
export function ruleText(detection: Record<string, unknown>, fields: Record<string, unknown> = {}): string {
  return stringify({ title: 'Test rule', id: 'test-rule', logsource: CLOUDTRAIL, ...fields, detection });
}

export function sources(...texts: string[]): RuleSource[] {
  return texts.map((text, i) => ({ file: `/rules/test-${i}.yml`, text, origin: 'user' as const }));
}

export function compile(texts: string[], options?: CompileOptions): RuleSet {
  return compileRules(sources(...texts), options);
}

/** A rule set of one rule that must load. */
export function loaded(detection: Record<string, unknown>, fields: Record<string, unknown> = {}): RuleSet {
  const set = compile([ruleText(detection, fields)]);
  assert.deepEqual(set.refused, [], 'the rule should load');
  return set;
}

/** True when the one-selection detection matches the record. */
export function matches(selection: unknown, rec: CloudTrailRecord, condition = 'selection'): boolean {
  const set = loaded({ selection, condition });
  return set.match(rec).findings.length === 1;
}

/** The refusal messages (with line) of one rule text. */
export function refusalsOf(text: string): { line: number; message: string }[] {
  return compile([text]).refused.map((r) => ({ line: r.line, message: r.message }));
}
