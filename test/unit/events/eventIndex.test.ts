import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { buildEventIndex, buildEventIndexAsync, eventAt, indexRecords, previousEventOfCaller } from '../../../src/core/events/eventIndex';
import { formatEvents, mergeEvents } from '../../../src/core/events/formatter';
import { findEventContainer, scanArrayObjects } from '../../../src/core/events/jsonScan';
import { allLenses, callerLensTitle, lensCallerLabel, LENS_CALLER_MAX, sourceLensTitle } from '../../../src/core/events/lensText';
import { matchesAllTerms, searchTerms } from '../../../src/core/text/searchTerms';
import { parseEventsText } from '../../../src/core/events/reader';
import { invictusDir } from '../../fixtures/paths';
import { assumedRole, record } from '../../fixtures/records';

function invictusDocument(): string {
  const inputs = readdirSync(invictusDir).map((f) => parseEventsText(readFileSync(path.join(invictusDir, f), 'utf8'), f).records);
  return formatEvents(mergeEvents(inputs).records);
}

describe('event index', () => {
  const text = invictusDocument();
  const index = buildEventIndex(text);

  it('indexes every event of the real dataset with the counts of a record-level count', () => {
    assert.equal(index.events.length, 2900);
    assert.equal(index.container, 'Records');
    assert.deepEqual(index.skipped, []);
    const byRecords = indexRecords(JSON.parse(text).Records);
    for (const [name, map] of [
      ['callers', index.callers],
      ['sources', index.sources],
      ['accessKeys', index.accessKeys],
      ['eventNames', index.eventNames],
      ['errorCodes', index.errorCodes],
    ] as const) {
      const other = byRecords[name] as Map<string, { count: number }>;
      assert.equal(map.size, other.size, name);
      for (const [key, entry] of map) assert.equal(entry.count, other.get(key)?.count, `${name} ${key}`);
    }
    assert.equal(index.callers.get('arn:aws:iam::123837392027:user/bert-jan')?.count, 2641);
    assert.equal(index.sources.get('192.168.10.20')?.count, 2154);
  });

  it('places each event at its own object: offsets, lines and eventAt agree with the text', () => {
    const lines = text.split('\n');
    for (const e of index.events.slice(0, 200)) {
      assert.equal(text[e.start], '{');
      assert.equal(text[e.end - 1], '}');
      assert.equal(lines[e.line].trim(), '{');
      assert.match(lines[e.endLine].trim(), /^},?$/);
      assert.equal(JSON.parse(text.slice(e.start, e.end)).eventID, e.eventId);
      assert.equal(eventAt(index, e.start + 10), e);
    }
    assert.equal(eventAt(index, 3), undefined);
  });

  it('builds the same index asynchronously, and stops when aborted', async () => {
    const again = await buildEventIndexAsync(text, { yieldEvery: 100 });
    assert.equal(again.events.length, index.events.length);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(buildEventIndexAsync(text, { yieldEvery: 100, signal: controller.signal }), { name: 'AbortError' });
  });

  it('indexes a raw one-line log file, an array and NDJSON alike', () => {
    const records = [record(), record({ eventName: 'RunInstances' })];
    for (const t of [JSON.stringify({ Records: records }), JSON.stringify(records), records.map((r) => JSON.stringify(r)).join('\n')]) {
      const i = buildEventIndex(t);
      assert.deepEqual(i.events.map((e) => e.eventName), ['DescribeInstances', 'RunInstances']);
    }
  });

  it('never throws on text that is not CloudTrail, or is half-typed', () => {
    assert.equal(buildEventIndex('{"name": "x"}').events.length, 0);
    assert.equal(buildEventIndex('').events.length, 0);
    const half = buildEventIndex('{"Records": [{"eventVersion": "1.08", "eventTime": "2026-11-01T10:00:00Z", "eventName": "X"}, {"eventVe');
    assert.equal(half.events.length, 0);
    assert.equal(half.skipped.length, 1);
  });

  it('finds the same event objects as jsonc-parser for any JSON array of objects (property)', () => {
    const value = fc.jsonValue({ maxDepth: 3 });
    const element = fc.dictionary(fc.string(), value, { maxKeys: 5 });
    fc.assert(
      fc.property(fc.array(element, { maxLength: 6 }), fc.boolean(), (elements, pretty) => {
        const t = JSON.stringify({ Records: elements }, null, pretty ? 2 : undefined);
        const where = findEventContainer(t);
        assert.equal(where.kind, 'array');
        const spans: { start: number; end: number }[] = [];
        if (where.kind === 'array') scanArrayObjects(t, where.arrayStart, where.line, (s) => spans.push(s));
        const root = parseTree(t);
        const array = root && findNodeAtLocation(root, ['Records']);
        const expected = (array?.children ?? []).map((n) => ({ start: n.offset, end: n.offset + n.length }));
        assert.deepEqual(spans.map((s) => ({ start: s.start, end: s.end })), expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('lens titles', () => {
  const records = [
    record({ eventTime: '2026-11-01T10:00:00Z' }),
    record({ eventTime: '2026-11-01T10:01:00Z', userIdentity: assumedRole('bob', 'true') }),
    record({ eventTime: '2026-11-01T10:02:00Z', userIdentity: assumedRole('bob', 'true'), sourceIPAddress: '10.1.2.3' }),
    record({ eventTime: '2026-11-01T10:03:00Z', userIdentity: { type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' }, sourceIPAddress: 'cloudtrail.amazonaws.com' }),
    record({ eventTime: '2026-11-01T10:04:00Z', sourceIPAddress: '2001:db8::5' }),
    record({ eventTime: '2026-11-01T10:05:00Z', sourceIPAddress: '3.5.140.2', userIdentity: assumedRole('carol', 'false') }),
  ];
  const text = formatEvents(records);
  const index = buildEventIndex(text);

  it('names the caller, its type, MFA and how many events it has here', () => {
    assert.deepEqual(index.events.map((e) => callerLensTitle(e)), [
      'alice · IAMUser · 2 events here',
      'AdminRole/bob · AssumedRole · MFA · 2 events here',
      'AdminRole/bob · AssumedRole · MFA · 2 events here',
      'cloudtrail.amazonaws.com · AWSService · 1 event here',
      'alice · IAMUser · 2 events here',
      'AdminRole/carol · AssumedRole · no MFA · 1 event here',
    ]);
  });

  it('names the source, its class and how many events it has here', () => {
    assert.deepEqual(index.events.map((e) => sourceLensTitle(index, e)), [
      '198.51.100.7 · documentation IPv4 · 2 events here',
      '198.51.100.7 · documentation IPv4 · 2 events here',
      '10.1.2.3 · private IPv4 · 1 event here',
      'cloudtrail.amazonaws.com · AWS service · 1 event here',
      '2001:db8::5 · documentation IPv6 · 1 event here',
      '3.5.140.2 · public IPv4 · 1 event here',
    ]);
  });

  it('shows callers and sources from the log with controls and bidi characters escaped', () => {
    const hostile = formatEvents([record({ userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/x', accountId: '111122223333', userName: '\x1b[2Jroot\u202e' }, sourceIPAddress: '10.0.0.1\x1b[8m' })]);
    const hostileIndex = buildEventIndex(hostile);
    assert.equal(callerLensTitle(hostileIndex.events[0]), '\\x1b[2Jroot\\u{202e} · IAMUser · 1 event here');
    assert.equal(sourceLensTitle(hostileIndex, hostileIndex.events[0]), '10.0.0.1\\x1b[8m · not an IP address · 1 event here');
  });

  it('shortens long caller names so the IP lens keeps its place on the line', () => {
    assert.equal(lensCallerLabel('AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice@example.com'), 'SSO AdministratorAccess/alice@example.com');
    const long = lensCallerLabel('AWSReservedSSO_PowerUserAccessForTheDataPlatformTeam_0123456789abcdef/firstname.lastname@subsidiary.example.com');
    assert.equal(long.length, LENS_CALLER_MAX);
    assert.equal(long, 'SSO PowerUserAccessForTh…@subsidiary.example.com');
    assert.equal(lensCallerLabel('bert-jan'), 'bert-jan');
    const sso = buildEventIndex(formatEvents([record({ userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_89abcdef01234567/bob@example.com', accountId: '111122223333', principalId: 'AROA:bob@example.com' } })]));
    assert.equal(callerLensTitle(sso.events[0]), 'SSO ReadOnly/bob@example.com · AssumedRole · 1 event here');
  });

  it('matches several search words in any order, case-insensitively', () => {
    const line = 'stoplogging 2026-11-01t10:00:00z bob · assumedrole · 198.51.100.7';
    assert.deepEqual(searchTerms('  StopLogging   BOB '), ['stoplogging', 'bob']);
    assert.ok(matchesAllTerms(line, searchTerms('bob StopLogging')));
    assert.ok(!matchesAllTerms(line, searchTerms('bob DeleteTrail')));
    assert.ok(matchesAllTerms(line, []));
  });

  it('puts both lenses on the line of the event’s opening brace', () => {
    const lenses = allLenses(index);
    assert.equal(lenses.length, 12);
    const lines = text.split('\n');
    for (const lens of lenses) assert.equal(lines[lens.line], '    {');
  });

  it('finds the same caller’s previous event', () => {
    assert.equal(previousEventOfCaller(index, index.events[2])?.ordinal, 1);
    assert.equal(previousEventOfCaller(index, index.events[1]), undefined);
    assert.equal(previousEventOfCaller(index, index.events[4])?.ordinal, 0);
  });
});
