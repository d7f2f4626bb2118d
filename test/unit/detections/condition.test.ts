// Sigma conditions as the specification writes them: and, or, not, brackets, `1 of` / `all of`
// patterns and `them`, with their precedence, each checked by what a rule matches.
import * as assert from 'node:assert/strict';
import { ConditionError, parseCondition } from '../../../src/core/detections/condition';
import type { CloudTrailRecord } from '../../../src/core/events/records';
import { record } from '../../fixtures/records';
import { loaded } from './engineHelpers';

/** Search identifiers that match when the record's named flag is 'y'. */
const DETECTION = {
  selection1: { 'requestParameters.s1': 'y' },
  selection2: { 'requestParameters.s2': 'y' },
  keywords1: { 'requestParameters.k1': 'y' },
  keywords2: { 'requestParameters.k2': 'y' },
  filter1: { 'requestParameters.f1': 'y' },
  _hidden: { 'requestParameters.h': 'y' },
};

function ev(...flags: string[]): CloudTrailRecord {
  return record({ requestParameters: Object.fromEntries(flags.map((f) => [f, 'y'])) });
}

function fires(condition: string | string[], r: CloudTrailRecord): boolean {
  return loaded({ ...DETECTION, condition }).match(r).findings.length === 1;
}

describe('Sigma conditions', () => {
  it('and, or (the specification’s `keywords1 or keywords2`)', () => {
    assert.ok(fires('keywords1 or keywords2', ev('k2')));
    assert.ok(!fires('keywords1 or keywords2', ev('s1')));
    assert.ok(fires('selection1 and keywords1', ev('s1', 'k1')));
    assert.ok(!fires('selection1 and keywords1', ev('s1')));
  });

  it('not binds tighter than and, and tighter than or (`keywords1 and not filter1`)', () => {
    assert.ok(fires('keywords1 and not filter1', ev('k1')));
    assert.ok(!fires('keywords1 and not filter1', ev('k1', 'f1')));
    // a or b and c = a or (b and c)
    assert.ok(fires('selection1 or selection2 and keywords1', ev('s1')));
    assert.ok(!fires('selection1 or selection2 and keywords1', ev('s2')));
    // not a or b = (not a) or b
    assert.ok(fires('not selection1 or selection2', ev('s1', 's2')));
    assert.ok(!fires('not selection1 or selection2', ev('s1')));
    assert.ok(fires('not not selection1', ev('s1')));
  });

  it('brackets (`selection1 and (keywords1 or keywords2)`)', () => {
    assert.ok(fires('selection1 and (keywords1 or keywords2)', ev('s1', 'k2')));
    assert.ok(!fires('selection1 and (keywords1 or keywords2)', ev('k2')));
    assert.ok(fires('(selection1 or selection2) and keywords1', ev('s2', 'k1')));
    assert.ok(!fires('(selection1 or selection2) and keywords1', ev('s2')));
  });

  it('1 of / all of / any of a pattern (`1 of selection* and not 1 of filter*`)', () => {
    assert.ok(fires('1 of selection*', ev('s2')));
    assert.ok(!fires('all of selection*', ev('s2')));
    assert.ok(fires('all of selection*', ev('s1', 's2')));
    assert.ok(fires('any of selection*', ev('s1')));
    assert.ok(fires('1 of selection* and not 1 of filter*', ev('s1')));
    assert.ok(!fires('1 of selection* and not 1 of filter*', ev('s1', 'f1')));
    assert.ok(fires('1 of *words*', ev('k1')));
    assert.ok(fires('2 of selection* or keywords1', ev('s1', 's2')));
    assert.ok(!fires('2 of selection*', ev('s1')));
  });

  it('1 of them / all of them leave out identifiers starting with _', () => {
    assert.ok(fires('1 of them', ev('k1')));
    assert.ok(!fires('1 of them', ev('h')));
    assert.ok(fires('all of them', ev('s1', 's2', 'k1', 'k2', 'f1')));
    assert.ok(!fires('all of them', ev('s1', 's2', 'k1', 'k2')));
    assert.ok(fires('_hidden', ev('h')));
  });

  it('keywords are case-insensitive; a list of conditions is their OR', () => {
    assert.ok(fires('selection1 AND NOT filter1', ev('s1')));
    assert.ok(fires('ALL OF selection*', ev('s1', 's2')));
    assert.ok(fires(['selection1', 'keywords1'], ev('k1')));
    assert.ok(!fires(['selection1', 'keywords1'], ev('k2')));
  });

  it('refuses what it cannot run, with a message for the user', () => {
    const ids = ['selection', 'filter'];
    const bad: [string, RegExp][] = [
      ['selection and filter2', /names 'filter2'.*does not define/],
      ['1 of nothing*', /no search identifier matches 'nothing\*'/],
      ['selection | count() by sourceIPAddress > 5', /count\(\).*correlation rule/],
      ['selection | near filter', /near.*correlation rule/],
      ['selection and', /ends where a search identifier was expected/],
      ['(selection', /expected '\)'/],
      ['selection filter', /unexpected 'filter'/],
      ['selection*', /pattern; write '1 of selection\*'/],
      ['', /empty/],
      ['selection = 1', /unexpected character '='/],
    ];
    for (const [text, message] of bad) {
      assert.throws(() => parseCondition(text, ids), (e: unknown) => e instanceof ConditionError && message.test(e.message), text);
    }
  });
});
