// The places the rules run besides the engine itself: the `detect` command, an event document's
// index (diagnostics, lenses and hovers read it), and Watch Trail's polls.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { RateLimiter } from '../../../src/core/aws/rateLimiter';
import type { LookupPageRequest, TrailApi } from '../../../src/core/aws/trailApi';
import { detectCommand } from '../../../src/core/cli/detect';
import { DetectionBatch, DetectionMerger } from '../../../src/core/detections/detectionRun';
import { findingMessage } from '../../../src/core/detections/findingText';
import { fromSources } from '../../../src/core/detections/loadRules';
import { TrailWatch } from '../../../src/core/detections/trailWatch';
import type { Finding } from '../../../src/core/detections/types';
import { buildEventIndexAsync } from '../../../src/core/events/eventIndex';
import { formatEvents } from '../../../src/core/events/formatter';
import { hoverAt } from '../../../src/core/events/hoverText';
import type { CloudTrailRecord } from '../../../src/core/events/records';
import { invictusDir } from '../../fixtures/paths';
import { record } from '../../fixtures/records';

const STOP_LOGGING = `title: Trail logging stopped
id: 11111111-1111-4111-8111-111111111111
author: Test Author
level: high
tags: [attack.defense-evasion, attack.t1562.008]
logsource: {product: aws, service: cloudtrail}
detection:
  selection:
    eventSource: cloudtrail.amazonaws.com
    eventName: StopLogging
  condition: selection
`;

const BURST = `title: Many failed calls
id: 22222222-2222-4222-8222-222222222222
name: failed_call
level: low
logsource: {product: aws, service: cloudtrail}
detection:
  selection:
    errorCode: AccessDenied
  condition: selection
---
title: Burst of denied calls
id: 33333333-3333-4333-8333-333333333333
level: medium
author: Test Author
correlation:
  type: event_count
  rules: [failed_call]
  group-by: [userIdentity.arn]
  timespan: 10m
  condition: {gte: 3}
`;

function rules(...texts: string[]) {
  return fromSources(texts.map((text, i) => ({ file: `/rules/test-${i}.yml`, text, origin: 'user' as const })), []);
}

function stopLogging(overrides: Partial<CloudTrailRecord> = {}): CloudTrailRecord {
  return record({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', readOnly: false, requestParameters: { name: 'main-trail' }, ...overrides });
}

function denied(minute: number): CloudTrailRecord {
  return record({ eventTime: `2026-11-01T10:${String(minute).padStart(2, '0')}:00Z`, errorCode: 'AccessDenied', errorMessage: 'not allowed' });
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await detectCommand(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

function writeRules(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('detections in runs', () => {
  it('folds the finding of an event read twice, and correlates hits from every batch once', () => {
    const loaded = rules(STOP_LOGGING, BURST);
    const stop = stopLogging();
    const merger = new DetectionMerger(loaded.ruleSet);
    for (const batch of [[stop, denied(1)], [stop, denied(2), denied(3)]]) {
      const b = new DetectionBatch(loaded.ruleSet);
      b.add(batch);
      merger.merge(b.toWire());
    }
    const findings = merger.findings();
    assert.deepEqual(findings.map((f) => f.title).sort(), ['Burst of denied calls', 'Trail logging stopped']);
    const single = findings.find((f) => f.title === 'Trail logging stopped')!;
    assert.equal(single.event?.callerLabel, 'alice');
    assert.equal(single.event?.eventName, 'StopLogging');
    const burst = findings.find((f) => f.title === 'Burst of denied calls')!;
    assert.equal(burst.correlation?.count, 3);
    assert.equal(burst.outcome.status, 'attempted');
    assert.equal(burst.event?.caller, 'arn:aws:iam::111122223333:user/alice');
    assert.match(findingMessage(single), /^High: Trail logging stopped\. StopLogging succeeded\. Matched .*eventName = StopLogging.* Rule by Test Author\.$/);
  });

  it('indexes a document with its findings: by event, correlations on every event of the window, and in the eventName hover', async () => {
    const loaded = rules(STOP_LOGGING, BURST);
    const events = [record(), stopLogging(), denied(1), denied(2), denied(3)];
    const text = formatEvents(events);
    const batch = new DetectionBatch(loaded.ruleSet);
    const index = await buildEventIndexAsync(text, { detector: { addOne: (r) => batch.match(r), correlate: (h) => loaded.ruleSet.correlate(h) } });
    assert.deepEqual(
      index.findings!.map((f) => [f.finding.title, f.ordinals]),
      [
        ['Trail logging stopped', [1]],
        ['Burst of denied calls', [2, 3, 4]],
      ],
    );
    const at = text.indexOf('"StopLogging"') + 2;
    const hover = hoverAt(text, index, at);
    assert.ok(hover);
    assert.match(hover.markdown, /\*\*Detection\*\* High · Trail logging stopped/);
    assert.match(hover.markdown, /\| Author \| Test Author \|/);
    assert.match(hover.markdown, /T1562\.008/);
    const plain = await buildEventIndexAsync(text);
    assert.equal(plain.findings, undefined);
  });

  describe('cloudtrail-lens detect', () => {
    it('scores the real dataset with the shipped rules: a line per finding, exit 1', async () => {
      const { code, out, err } = await cli([invictusDir]);
      assert.equal(code, 1, err);
      const lines = out.trim().split('\n');
      assert.ok(lines.length >= 20, `only ${lines.length} findings`);
      assert.ok(lines.some((l) => / high +CloudTrail Trail Deleted — DeleteTrail by bert-jan from 192\.168\.10\.20 — succeeded \[/.test(l)), out);
      assert.ok(lines.some((l) => /Console Login Without MFA — ConsoleLogin/.test(l)), out);
      assert.match(err, /^\d+ finding\(s\) \(\d+ high, \d+ medium.*in 55 file\(s\), 2900 event\(s\)$/m);
    });

    it('prints JSON objects with the finding fields, keeps findings at or above --min-level, and adds --rules folders', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'detect-'));
      const logs = path.join(dir, 'logs');
      mkdirSync(logs);
      writeFileSync(path.join(logs, 'a.json.gz'), gzipSync(JSON.stringify({ Records: [stopLogging(), denied(1), denied(2), denied(3), record()] })));
      const ruleDir = writeRules(path.join(dir, 'rules'), { 'stop.yml': STOP_LOGGING, 'burst.yaml': BURST });
      const { code, out } = await cli([logs, '--no-builtin', '--rules', ruleDir, '--json']);
      assert.equal(code, 1);
      const objects = out.trim().split('\n').map((l) => JSON.parse(l) as Finding);
      assert.deepEqual(objects.map((f) => f.title).sort(), ['Burst of denied calls', 'Trail logging stopped']);
      const stop = objects.find((f) => f.title === 'Trail logging stopped')!;
      assert.equal(stop.ruleId, '11111111-1111-4111-8111-111111111111');
      assert.equal(stop.level, 'high');
      assert.equal(stop.author, 'Test Author');
      assert.deepEqual(stop.techniques, ['T1562.008']);
      assert.equal(stop.eventIds.length, 1);
      assert.deepEqual(stop.outcome, { status: 'succeeded' });
      assert.ok(stop.matched.some((m) => m.field === 'eventName' && m.value === 'StopLogging'));
      const high = await cli([logs, '--no-builtin', '--rules', ruleDir, '--min-level', 'high']);
      assert.equal(high.code, 1);
      assert.equal(high.out.trim().split('\n').length, 1);
      const critical = await cli([logs, '--no-builtin', '--rules', ruleDir, '--min-level', 'critical']);
      assert.equal(critical.code, 0, critical.err);
      assert.equal(critical.out, '');
      const disabled = await cli([logs, '--no-builtin', '--rules', ruleDir, '--disable', 'Trail logging stopped', '--min-level', 'high']);
      assert.equal(disabled.code, 0);
    });

    it('exits 2 and names the file and line of a rule it cannot run, and of a folder it cannot read', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'detect-bad-'));
      writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ Records: [record()] }));
      const ruleDir = writeRules(path.join(dir, 'rules'), {
        'ok.yml': STOP_LOGGING,
        'bad.yml': STOP_LOGGING.replace('11111111-1111-4111-8111-111111111111', '44444444-4444-4444-8444-444444444444').replace('eventName: StopLogging', 'eventName|nosuchmodifier: StopLogging'),
      });
      const { code, out, err } = await cli([path.join(dir, 'a.json'), '--no-builtin', '--rules', ruleDir, '--rules', path.join(dir, 'missing')]);
      assert.equal(code, 2);
      assert.equal(out, '');
      assert.match(err, new RegExp(`rule refused: ${path.join(ruleDir, 'bad.yml').replace(/[/\\.]/g, '\\$&')}:\\d+: .*nosuchmodifier`));
      assert.match(err, /rule refused: .*missing/);
    });

    it('refuses bad usage with exit 2, and escapes what the logs put in a finding line', async () => {
      assert.equal((await cli([])).code, 2);
      assert.equal((await cli(['x', '--min-level', 'severe'])).code, 2);
      assert.equal((await cli(['x', '--no-builtin'])).code, 2);
      const dir = mkdtempSync(path.join(tmpdir(), 'detect-esc-'));
      const evil = stopLogging({ userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/\u001b[31mmallory', userName: '\u001b[31mmallory' } });
      writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ Records: [evil] }));
      const ruleDir = writeRules(path.join(dir, 'rules'), { 'stop.yml': STOP_LOGGING });
      const { code, out } = await cli([path.join(dir, 'a.json'), '--no-builtin', '--rules', ruleDir]);
      assert.equal(code, 1);
      assert.ok(!out.includes('\u001b'), out);
      assert.match(out, /StopLogging by \\x1b\[31mmallory/);
    });
  });

  describe('Watch Trail', () => {
    function fakeApi(pages: () => CloudTrailRecord[]): TrailApi & { calls: LookupPageRequest[] } {
      const calls: LookupPageRequest[] = [];
      return {
        region: 'us-east-1',
        calls,
        lookupEvents: async (request) => {
          calls.push(request);
          return { events: pages().map((r) => JSON.stringify(r)) };
        },
        describeTrails: async () => [],
        getTrailStatus: async () => ({ isLogging: true }),
        listPublicKeys: async () => [],
      };
    }

    it('reports each new event once, a correlation once, and asks again for the overlap before the newest event', async () => {
      let served: CloudTrailRecord[] = [stopLogging({ eventTime: '2026-11-01T10:00:00Z' }), denied(1)];
      const api = fakeApi(() => served);
      const reported: Finding[] = [];
      let now = Date.parse('2026-11-01T10:05:00Z');
      const watch = new TrailWatch({ api, limiter: new RateLimiter(0), ruleSet: rules(STOP_LOGGING, BURST).ruleSet, intervalMs: 60_000, onFindings: (f) => reported.push(...f), now: () => now });
      const first = await watch.poll();
      assert.deepEqual([first.events, first.newEvents, first.findings], [2, 2, 1]);
      assert.equal(api.calls[0].startTime?.toISOString(), '2026-11-01T09:05:00.000Z');
      // The same events again, and two more denied calls: the burst fires once, StopLogging is not repeated.
      served = [...served, denied(2), denied(3)];
      now += 60_000;
      const second = await watch.poll();
      assert.deepEqual([second.newEvents, second.findings], [2, 1]);
      assert.equal(api.calls[1].startTime?.toISOString(), '2026-11-01T09:41:00.000Z');
      served = [...served, denied(4)];
      now += 60_000;
      const third = await watch.poll();
      assert.deepEqual([third.newEvents, third.findings], [1, 0]);
      assert.deepEqual(reported.map((f) => f.title), ['Trail logging stopped', 'Burst of denied calls']);
      await watch.stop();
    });

    it('keeps polling after a failed poll, and stops when told', async () => {
      let fail = true;
      const api = fakeApi(() => {
        if (fail) {
          fail = false;
          throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
        }
        return [stopLogging()];
      });
      const errors: unknown[] = [];
      const found: Finding[] = [];
      const watch = new TrailWatch({ api, limiter: new RateLimiter(0), ruleSet: rules(STOP_LOGGING).ruleSet, intervalMs: 10, onFindings: (f) => found.push(...f), onError: (e) => errors.push(e) });
      watch.start();
      for (let i = 0; i < 200 && found.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
      await watch.stop();
      assert.equal(errors.length, 1);
      assert.equal(found.length, 1);
      const polls = watch.polls;
      await new Promise((r) => setTimeout(r, 40));
      assert.equal(watch.polls, polls, 'no poll after stop');
    });
  });
});
