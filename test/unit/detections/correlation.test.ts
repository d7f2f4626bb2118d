// Sigma correlation rules over CloudTrail: event_count, value_count, temporal and temporal_ordered,
// one finding per burst, base rules that make no findings of their own (unless generate), refusals.
import * as assert from 'node:assert/strict';
import { detect } from '../../../src/core/detections/ruleSet';
import type { CloudTrailRecord } from '../../../src/core/events/records';
import { record } from '../../fixtures/records';
import { compile } from './engineHelpers';

const BASE = `title: Denied call
id: denied-call
name: denied_call
level: low
logsource: {product: aws, service: cloudtrail}
detection:
  selection:
    errorCode: AccessDenied
  condition: selection
`;

function correlation(body: string, fields = ''): string {
  return `title: Burst of denied calls
id: denied-burst
level: high
author: Test Author
tags: [attack.discovery, attack.t1580]
${fields}correlation:
${body}`;
}

const EVENT_COUNT = correlation(`  type: event_count
  rules: [denied_call]
  group-by: [userIdentity.arn]
  timespan: 10m
  condition: {gte: 3}
`);

let n = 0;
function denied(time: string, user = 'alice', extra: Partial<CloudTrailRecord> = {}): CloudTrailRecord {
  n++;
  return record({
    eventTime: `2026-11-01T${time}Z`,
    eventID: `ev-${n}`,
    errorCode: 'AccessDenied',
    errorMessage: 'not allowed',
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::111122223333:user/${user}`, userName: user },
    ...extra,
  });
}

describe('Sigma correlations', () => {
  it('loads a correlation and its base rule from one file; the base rule makes no findings of its own', () => {
    const set = compile([`${EVENT_COUNT}---\n${BASE}`]);
    assert.deepEqual(set.refused, []);
    assert.deepEqual(
      set.rules.map((r) => [r.id, r.kind, r.correlationOnly]),
      [
        ['denied-burst', 'correlation', false],
        ['denied-call', 'detection', true],
      ],
    );
    const m = set.match(denied('10:00:00'));
    assert.deepEqual(m.findings, []);
    assert.equal(m.hits.length, 1);
    assert.deepEqual(m.hits[0].group, ['arn:aws:iam::111122223333:user/alice']);
  });

  it('event_count with group-by fires once per burst, per group, with the window’s events', () => {
    const set = compile([BASE, EVENT_COUNT]);
    const events = [
      denied('10:00:00'),
      denied('10:01:00'),
      denied('10:02:00'),
      denied('10:03:00'),
      denied('10:04:00'), // the same burst: no second finding
      denied('10:00:30', 'bob'),
      denied('10:01:30', 'bob'), // bob: two only, below the threshold
    ];
    const found = detect(events, set);
    assert.equal(found.length, 1);
    const [f] = found;
    assert.equal(f.ruleId, 'denied-burst');
    assert.equal(f.title, 'Burst of denied calls');
    assert.equal(f.level, 'high');
    assert.equal(f.author, 'Test Author');
    assert.deepEqual(f.techniques, ['T1580']);
    assert.deepEqual(f.tactics, ['discovery']);
    assert.deepEqual(f.eventIds, events.slice(0, 5).map((e) => e.eventID));
    assert.equal(f.firstTime, '2026-11-01T10:00:00Z');
    assert.equal(f.lastTime, '2026-11-01T10:04:00Z');
    assert.deepEqual(f.matched, [{ field: 'userIdentity.arn', value: 'arn:aws:iam::111122223333:user/alice' }]);
    assert.deepEqual(f.correlation, { type: 'event_count', groupBy: { 'userIdentity.arn': 'arn:aws:iam::111122223333:user/alice' }, count: 5, timespan: '10m' });
    assert.deepEqual(f.outcome, { status: 'attempted', errorCode: 'AccessDenied' });
  });

  it('does not fire below the threshold or when the events are further apart than the timespan', () => {
    const set = compile([BASE, EVENT_COUNT]);
    assert.equal(detect([denied('10:00:00'), denied('10:01:00')], set).length, 0);
    assert.equal(detect([denied('10:00:00'), denied('10:06:00'), denied('10:12:00'), denied('10:18:00')], set).length, 0);
    assert.equal(detect([denied('10:00:00'), denied('10:05:00'), denied('10:10:00')], set).length, 1); // exactly 10m apart
  });

  it('starts a new finding only after the events of the fired window', () => {
    const set = compile([BASE, EVENT_COUNT]);
    const first = ['10:00:00', '10:01:00', '10:02:00', '10:09:00'];
    const second = ['10:30:00', '10:31:00', '10:32:00'];
    const found = detect([...first, ...second].map((t) => denied(t)), set);
    assert.deepEqual(
      found.map((f) => [f.firstTime, f.correlation?.count]),
      [
        ['2026-11-01T10:00:00Z', 4],
        ['2026-11-01T10:30:00Z', 3],
      ],
    );
  });

  it('gives the same findings for hits in any order (as workers send them)', () => {
    const set = compile([BASE, EVENT_COUNT]);
    const events = ['10:00:00', '10:03:00', '10:01:00', '10:02:00', '10:40:00', '10:41:00', '10:42:00'].map((t) => denied(t));
    const hits = events.flatMap((e) => set.match(e).hits);
    const forward = set.correlate(hits);
    const backward = set.correlate([...hits].reverse());
    assert.equal(forward.length, 2);
    assert.deepEqual(backward, forward);
    assert.equal(forward[0].firstTime, '2026-11-01T10:00:00Z');
    assert.equal(forward[0].lastTime, '2026-11-01T10:03:00Z');
  });

  it('succeeded when any event of the window succeeded', () => {
    const base = BASE.replace('errorCode: AccessDenied', "eventName: 'ListBuckets'");
    const set = compile([base, EVENT_COUNT]);
    const events = [denied('10:00:00', 'alice', { eventName: 'ListBuckets' }), denied('10:01:00', 'alice', { eventName: 'ListBuckets', errorCode: undefined }), denied('10:02:00', 'alice', { eventName: 'ListBuckets' })];
    const [f] = detect(events, set);
    assert.deepEqual(f.outcome, { status: 'succeeded' });
  });

  it('value_count counts distinct values of a field per group', () => {
    const vc = correlation(`  type: value_count
  rules: [denied_call]
  group-by: [sourceIPAddress]
  timespan: 1h
  condition:
    field: requestParameters.bucketName
    gte: 3
`);
    const set = compile([BASE, vc]);
    const bucket = (t: string, b: string): CloudTrailRecord => denied(t, 'alice', { requestParameters: { bucketName: b } });
    assert.equal(detect([bucket('10:00:00', 'a'), bucket('10:10:00', 'a'), bucket('10:20:00', 'b'), bucket('10:30:00', 'b')], set).length, 0);
    const found = detect([bucket('10:00:00', 'a'), bucket('10:10:00', 'a'), bucket('10:20:00', 'b'), bucket('10:30:00', 'c')], set);
    assert.equal(found.length, 1);
    assert.equal(found[0].correlation?.type, 'value_count');
    assert.equal(found[0].correlation?.count, 3);
    assert.equal(found[0].eventIds.length, 4);
    assert.deepEqual(found[0].matched, [{ field: 'sourceIPAddress', value: '198.51.100.7' }]);
  });

  const RECON = `title: Recon
id: recon
name: recon
logsource: {product: aws, service: cloudtrail}
detection:
  s:
    eventName: GetCallerIdentity
  condition: s
---
title: Create key
id: create-key
name: create_key
logsource: {product: aws, service: cloudtrail}
detection:
  s:
    eventName: CreateAccessKey
  condition: s
`;

  function temporal(type: string): string {
    return `title: Recon then persistence
id: recon-persist
correlation:
  type: ${type}
  rules: [recon, create_key]
  group-by: [userIdentity.userName]
  timespan: 5m
`;
  }

  it('temporal: every referenced rule within the timespan, per group', () => {
    const set = compile([RECON, temporal('temporal')]);
    assert.deepEqual(set.refused, []);
    const ev = (t: string, name: string, user = 'alice'): CloudTrailRecord => denied(t, user, { eventName: name, errorCode: undefined });
    // In either order, same user, within 5m.
    const found = detect([ev('10:04:00', 'GetCallerIdentity'), ev('10:00:00', 'CreateAccessKey')], set);
    assert.equal(found.length, 1);
    assert.equal(found[0].correlation?.type, 'temporal');
    assert.equal(found[0].correlation?.count, 2);
    assert.deepEqual(found[0].correlation?.groupBy, { 'userIdentity.userName': 'alice' });
    assert.deepEqual(found[0].outcome, { status: 'succeeded' });
    // Different users, or too far apart: nothing.
    assert.equal(detect([ev('10:00:00', 'GetCallerIdentity'), ev('10:01:00', 'CreateAccessKey', 'bob')], set).length, 0);
    assert.equal(detect([ev('10:00:00', 'GetCallerIdentity'), ev('10:06:00', 'CreateAccessKey')], set).length, 0);
    // Only one of the rules, many times: nothing.
    assert.equal(detect([ev('10:00:00', 'GetCallerIdentity'), ev('10:01:00', 'GetCallerIdentity')], set).length, 0);
  });

  it('temporal_ordered: the rules’ events in the order written', () => {
    const set = compile([RECON, temporal('temporal_ordered')]);
    const ev = (t: string, name: string): CloudTrailRecord => denied(t, 'alice', { eventName: name, errorCode: undefined });
    assert.equal(detect([ev('10:00:00', 'GetCallerIdentity'), ev('10:02:00', 'CreateAccessKey')], set).length, 1);
    assert.equal(detect([ev('10:00:00', 'CreateAccessKey'), ev('10:02:00', 'GetCallerIdentity')], set).length, 0);
  });

  it('generate: true lets the base rules make their own findings too', () => {
    const set = compile([BASE, EVENT_COUNT.replace('  type: event_count', '  generate: true\n  type: event_count')]);
    assert.equal(set.rules.find((r) => r.id === 'denied-call')?.correlationOnly, false);
    const found = detect(['10:00:00', '10:01:00', '10:02:00'].map((t) => denied(t)), set);
    assert.deepEqual(
      found.map((f) => f.ruleId),
      ['denied-burst', 'denied-call', 'denied-call', 'denied-call'],
    );
  });

  it('aliases: a group-by name read from a different field per rule', () => {
    const text = `title: Key made for another user, then used
id: alias-corr
correlation:
  type: temporal
  rules: [recon, create_key]
  group-by: [who]
  timespan: 5m
  aliases:
    who:
      recon: userIdentity.userName
      create_key: requestParameters.userName
`;
    const set = compile([RECON, text]);
    assert.deepEqual(set.refused, []);
    const found = detect(
      [denied('10:00:00', 'alice', { eventName: 'CreateAccessKey', requestParameters: { userName: 'bob' } }), denied('10:01:00', 'bob', { eventName: 'GetCallerIdentity' })],
      set,
    );
    assert.equal(found.length, 1);
    assert.deepEqual(found[0].correlation?.groupBy, { who: 'bob' });
  });

  it('refuses what it cannot run, at the line of the problem', () => {
    const refused = (text: string): { line: number; message: string }[] => compile([BASE, text]).refused.map((r) => ({ line: r.line, message: r.message }));
    const lines = (body: string): number => correlation(body).split('\n').findIndex((l) => l.includes('<here>')) + 1;
    const unknownRule = `  type: event_count\n  rules:\n    - denied_call\n    - no_such_rule # <here>\n  group-by: [userIdentity.arn]\n  timespan: 10m\n  condition: {gte: 3}\n`;
    const [u] = refused(correlation(unknownRule));
    assert.equal(u.line, lines(unknownRule));
    assert.match(u.message, /no_such_rule.*not loaded/);
    const lt = `  type: event_count\n  rules: [denied_call]\n  group-by: [userIdentity.arn]\n  timespan: 10m\n  condition: {lt: 3} # <here>\n`;
    const [l] = refused(correlation(lt));
    assert.equal(l.line, lines(lt));
    assert.match(l.message, /absence of events/);
    assert.match(refused(correlation('  type: event_count\n  rules: [denied_call]\n  timespan: 10 minutes\n  condition: {gte: 3}\n'))[0].message, /timespan '10 minutes'/);
    assert.match(refused(correlation('  type: sequence\n  rules: [denied_call]\n  timespan: 10m\n'))[0].message, /type 'sequence'/);
    assert.match(refused(correlation('  type: value_count\n  rules: [denied_call]\n  timespan: 10m\n  condition: {gte: 3}\n'))[0].message, /needs `field:`/);
    assert.match(refused(correlation('  type: event_count\n  rules: [denied-burst-2]\n  timespan: 10m\n  condition: {gte: 3}\n') + '---\n' + correlation('  type: event_count\n  rules: [denied_call]\n  timespan: 10m\n  condition: {gte: 3}\n').replace('id: denied-burst', 'id: denied-burst-2'))[0].message, /chained correlations/);
  });

  it('a disabled correlation leaves its base rule making findings; a disabled base rule still feeds the correlation', () => {
    const off = compile([BASE, EVENT_COUNT], { disabled: ['denied-burst'] });
    assert.deepEqual(
      off.rules.map((r) => r.id),
      ['denied-call'],
    );
    assert.equal(off.match(denied('10:00:00')).findings.length, 1);
    const baseOff = compile([BASE, EVENT_COUNT], { disabled: ['Denied call'] });
    assert.equal(baseOff.rules.find((r) => r.id === 'denied-call')?.correlationOnly, true);
    assert.equal(detect(['10:00:00', '10:01:00', '10:02:00'].map((t) => denied(t)), baseOff).length, 1);
  });
});
