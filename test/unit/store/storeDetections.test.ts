// Sigma detections at ingest, on the real DuckDB engine: the detection columns, ctl_findings, the
// detection facet and timeline mark, the table's detection, findings() and slicing by eventIDs; and
// the shipped pack over the Invictus dataset giving what `detect` gives.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DetectionBatch, DetectionMerger } from '../../../src/core/detections/detectionRun';
import { fromSources, loadRules } from '../../../src/core/detections/loadRules';
import type { RuleSource } from '../../../src/core/detections/types';
import { collectEventFiles, loadEventFiles } from '../../../src/core/events/eventFiles';
import { SummaryCounter } from '../../../src/core/events/eventSummary';
import { InvestigationStore } from '../../../src/core/store/investigationStore';
import { StoreClient } from '../../../src/core/store/storeClient';
import { invictusDir } from '../../fixtures/paths';
import { record } from '../../fixtures/records';

const TIME_SORT = { column: 'time' as const, descending: false };

const RULES = `title: Test Trail Stopped
id: 00000000-0000-4000-8000-000000000001
status: test
logsource:
  product: aws
  service: cloudtrail
detection:
  selection:
    eventSource: cloudtrail.amazonaws.com
    eventName: StopLogging
  condition: selection
level: high
---
title: Test Trail Touched
id: 00000000-0000-4000-8000-000000000002
status: test
logsource:
  product: aws
  service: cloudtrail
detection:
  selection:
    eventSource: cloudtrail.amazonaws.com
  condition: selection
level: low
---
title: Test Bucket Listed
id: 00000000-0000-4000-8000-000000000003
name: test_bucket_listed
status: test
logsource:
  product: aws
  service: cloudtrail
detection:
  selection:
    eventName: ListBuckets
  condition: selection
level: informational
---
title: Test Many Bucket Listings
id: 00000000-0000-4000-8000-000000000004
status: test
correlation:
  type: event_count
  rules:
    - test_bucket_listed
  group-by:
    - userIdentity.arn
  timespan: 10m
  condition:
    gte: 3
level: medium
`;

function testRules(): ReturnType<typeof fromSources> {
  const sources: RuleSource[] = [{ file: 'inline.yml', text: RULES, origin: 'user' }];
  const loaded = fromSources(sources, []);
  assert.deepEqual(loaded.refused, []);
  return loaded;
}

describe('investigation store: detections at ingest', function () {
  this.timeout(180_000);
  let dir: string;
  const opened: InvestigationStore[] = [];
  async function open(name = 'inv.ctinv'): Promise<InvestigationStore> {
    const s = await InvestigationStore.open(path.join(dir, name));
    opened.push(s);
    return s;
  }
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ctinv-det-'));
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  /** StopLogging (high + low), one other CloudTrail call (low), three ListBuckets (a correlation), one quiet event. */
  function writeEvents(): void {
    const events = [
      record({ eventID: 'stop-1', eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com', eventTime: '2026-11-01T10:00:00Z' }),
      record({ eventID: 'describe-1', eventName: 'DescribeTrails', eventSource: 'cloudtrail.amazonaws.com', eventTime: '2026-11-01T10:01:00Z' }),
      record({ eventID: 'list-1', eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', eventTime: '2026-11-01T10:02:00Z' }),
      record({ eventID: 'list-2', eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', eventTime: '2026-11-01T10:03:00Z' }),
      record({ eventID: 'list-3', eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', eventTime: '2026-11-01T10:04:00Z' }),
      record({ eventID: 'quiet-1', eventName: 'GetCallerIdentity', eventSource: 'sts.amazonaws.com', eventTime: '2026-11-01T10:05:00Z' }),
    ];
    writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ Records: events.slice(0, 3) }));
    // One-record-per-line, as CloudTrail writes log files: the exact-bytes path of storeRows.
    writeFileSync(path.join(dir, 'b.json'), `{"Records":[\n${events.slice(3).map((e) => JSON.stringify(e)).join(',\n')}\n]}`);
  }

  it('stores findings, detection columns, the facet, the timeline mark and the table detection', async () => {
    writeEvents();
    const s = await open();
    const report = await s.ingest([{ path: path.join(dir, 'a.json') }, { path: path.join(dir, 'b.json') }], { rules: testRules().payload });
    assert.equal(report.stored, 6);
    // StopLogging: high and low; DescribeTrails: low; the correlation over three ListBuckets.
    assert.equal(report.findings, 4);

    const findings = await s.findings();
    assert.deepEqual(
      findings.map((f) => [f.title, f.level, f.eventIds.join(',')]),
      [
        ['Test Trail Stopped', 'high', 'stop-1'],
        ['Test Many Bucket Listings', 'medium', 'list-1,list-2,list-3'],
        ['Test Trail Touched', 'low', 'stop-1'],
        ['Test Trail Touched', 'low', 'describe-1'],
      ],
    );
    assert.equal(findings[1].correlation?.type, 'event_count');
    assert.equal(findings[0].event?.eventName, 'StopLogging');

    const { rows } = await s.query(`SELECT eventid, detection, detection_level FROM cloudtrail_logs ORDER BY eventtime`);
    assert.deepEqual(rows, [
      ['stop-1', 'Test Trail Stopped', 'high'],
      ['describe-1', 'Test Trail Touched', 'low'],
      ['list-1', 'Test Many Bucket Listings', 'medium'],
      ['list-2', 'Test Many Bucket Listings', 'medium'],
      ['list-3', 'Test Many Bucket Listings', 'medium'],
      ['quiet-1', null, null],
    ]);
    const table = (await s.query(`SELECT count(*), count(finding) FROM ctl_findings`)).rows[0];
    assert.deepEqual(table, ['4', '4']);

    const o = await s.overview({});
    assert.deepEqual(o.facets.detection, [
      { value: 'Test Many Bucket Listings', count: 3 },
      { value: 'Test Trail Stopped', count: 1 },
      { value: 'Test Trail Touched', count: 1 },
    ]);
    assert.equal(o.timeline.buckets.reduce((n, b) => n + b.detections, 0), 5);
    const first = o.timeline.buckets.find((b) => b.counts.reduce((a, c) => a + c, 0) > 0)!;
    assert.ok(first.detections >= 1);

    // A facet include narrows the events and the findings.
    const only = { include: { detection: ['Test Trail Stopped'] } };
    assert.equal((await s.overview(only)).selected, 1);
    assert.deepEqual((await s.findings(only)).map((f) => f.title), ['Test Trail Stopped', 'Test Trail Touched']);
    const none = { include: { detection: [''] } };
    assert.equal((await s.overview(none)).selected, 1);

    const page = await s.rows({}, TIME_SORT, 0, 10);
    assert.equal(page.rows[0].detection, 'Test Trail Stopped');
    assert.equal(page.rows[0].detectionLevel, 'high');
    assert.equal(page.rows[5].detection, undefined);

    // A finding's events, by eventID, as the editor's `open(finding)` slices them.
    const slice = await s.slice({ eventIds: findings[1].eventIds }, TIME_SORT, 100);
    assert.deepEqual(slice.records.map((r) => r.eventID), ['list-1', 'list-2', 'list-3']);
    assert.equal((await s.slice({ eventIds: [] }, TIME_SORT, 100)).total, 0);

    const summary = await s.summary({});
    assert.deepEqual(
      summary.findingsByRule.map((r) => [r.title, r.level, r.findings, r.events]),
      [
        ['Test Trail Stopped', 'high', 1, 1],
        ['Test Many Bucket Listings', 'medium', 1, 3],
        ['Test Trail Touched', 'low', 2, 2],
      ],
    );
    assert.deepEqual((await s.summary({ search: 'listbuckets' })).findingsByRule.map((r) => r.title), ['Test Many Bucket Listings']);
  });

  it('gives the findings through the store thread (StoreClient) too', async () => {
    writeEvents();
    const client = await StoreClient.open(path.join(dir, 'thread.ctinv'));
    try {
      const report = await client.ingest([{ path: dir }], { rules: testRules().payload });
      assert.equal(report.findings, 4);
      const findings = await client.findings({ include: { detection: ['Test Many Bucket Listings'] } });
      assert.deepEqual(findings.map((f) => f.title), ['Test Many Bucket Listings']);
    } finally {
      await client.close();
    }
  });

  it('keeps no finding twice when the same events are read again, and none outside the filter', async () => {
    writeEvents();
    const s = await open();
    const rules = testRules().payload;
    await s.ingest([{ path: path.join(dir, 'a.json') }], { rules });
    const again = await s.ingest([{ path: path.join(dir, 'a.json') }, { path: path.join(dir, 'b.json') }], { rules });
    assert.equal(again.findings, 1); // only the correlation is new
    assert.equal((await s.findings()).length, 4);
    const filtered = await open('filtered.ctinv');
    const r = await filtered.ingest([{ path: dir }], { rules, start: Date.parse('2026-11-01T10:01:30Z') });
    assert.equal(r.stored, 4);
    assert.deepEqual((await filtered.findings()).map((f) => f.title), ['Test Many Bucket Listings']);
  });

  it('a cancelled ingest leaves no findings; an ingest without rules leaves detection NULL', async () => {
    writeEvents();
    const s = await open();
    await s.ingest([{ path: path.join(dir, 'a.json') }]);
    assert.deepEqual((await s.query(`SELECT count(*) FILTER (WHERE detection IS NOT NULL), count(*) FROM cloudtrail_logs`)).rows[0], ['0', '3']);
    assert.equal((await s.findings()).length, 0);
    assert.deepEqual((await s.overview({})).facets.detection, []);

    const many = path.join(dir, 'many');
    mkdirSync(many);
    for (let i = 0; i < 200; i++) writeFileSync(path.join(many, `f${i}.json`), JSON.stringify({ Records: [record({ eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com' })] }));
    const controller = new AbortController();
    const pending = s.ingest([{ path: many }], { rules: testRules().payload, signal: controller.signal, onProgress: (done) => done > 0 && controller.abort() });
    await assert.rejects(pending, (e: Error) => e.name === 'AbortError');
    assert.equal((await s.info()).events, 3);
    assert.equal((await s.findings()).length, 0);
    assert.deepEqual((await s.query(`SELECT count(*) FROM ctl_findings`)).rows[0], ['0']);
  });

  it('finds over the Invictus dataset what `detect` finds, with the shipped rules', async () => {
    const rules = await loadRules();
    const s = await open('invictus.ctinv');
    const report = await s.ingest([{ path: invictusDir }], { rules: rules.payload });
    assert.equal(report.stored, 2900);
    const findings = await s.findings();
    assert.equal(report.findings, findings.length);
    const titles = new Set(findings.map((f) => f.title));
    for (const t of ['CloudTrail Trail Deleted', 'CloudTrail Logging Stopped', 'IAM User Created']) assert.ok(titles.has(t), `${t} is found`);
    assert.equal(findings.filter((f) => f.title === 'CloudTrail Trail Deleted').length, 3);
    assert.ok(findings.some((f) => f.correlation), 'correlations are found too');
    // The highest level comes first.
    assert.equal(findings[0].level, 'high');

    // What `detect` gives for the same files (the summary path, repeats folded by eventID).
    const merger = new DetectionMerger(rules.ruleSet);
    const { files } = await collectEventFiles([invictusDir]);
    const counter = new SummaryCounter({ rules: rules.payload, newBatch: () => new DetectionBatch(rules.ruleSet), detections: merger });
    await loadEventFiles(files, { counter });
    const expected = merger.findings();
    assert.equal(findings.length, expected.length);
    const key = (f: { ruleId: string; eventIds: string[] }): string => `${f.ruleId} ${f.eventIds.join(',')}`;
    assert.deepEqual(findings.map(key).sort(), expected.map(key).sort());

    const marked = (await s.query(`SELECT count(*) FROM cloudtrail_logs WHERE detection = 'CloudTrail Trail Deleted'`)).rows[0][0];
    assert.equal(marked, '3');
    const facet = (await s.overview({})).facets.detection;
    assert.ok(facet.some((v) => v.value === 'CloudTrail Trail Deleted' && v.count === 3));
  });
});
