import * as assert from 'node:assert/strict';
import { accessOf, sensitiveAction, serviceName } from '../../../src/core/events/actions';
import { parseArn } from '../../../src/core/events/arn';
import { explainErrorCode } from '../../../src/core/events/errorCodes';
import { csvField, eventsToCsv } from '../../../src/core/events/exportEvents';
import { applyFilters, describeFilter, parseUserTime, type EventFilter } from '../../../src/core/events/filters';
import { accessKeyKind, callerOf, formatDuration } from '../../../src/core/events/identity';
import { classifySource } from '../../../src/core/events/ipAddress';
import { compareEventVersions, parseCloudTrailTime } from '../../../src/core/events/records';
import { assumedRole, record } from '../../fixtures/records';

describe('classifying sources, identities, actions and errors', () => {
  it('classifies every kind of sourceIPAddress', () => {
    const cases: [string, string][] = [
      ['3.5.140.2', 'public IPv4'],
      ['10.0.0.1', 'private IPv4'],
      ['172.16.5.4', 'private IPv4'],
      ['100.64.1.1', 'shared IPv4'],
      ['127.0.0.1', 'loopback IPv4'],
      ['169.254.169.254', 'link-local IPv4'],
      ['203.0.113.9', 'documentation IPv4'],
      ['2600:1f18::1', 'public IPv6'],
      ['fd00::1', 'private IPv6'],
      ['::ffff:10.0.0.1', 'private IPv4'],
      ['2001:db8::1', 'documentation IPv6'],
      ['ec2.amazonaws.com', 'AWS service'],
      ['AWS Internal', 'AWS Internal'],
      ['not-an-ip', 'not an IP address'],
    ];
    for (const [value, label] of cases) assert.equal(classifySource(value).label, label, value);
  });

  it('names callers by their identity type', () => {
    assert.deepEqual(callerOf(record()), { key: 'arn:aws:iam::111122223333:user/alice', label: 'alice', type: 'IAMUser' });
    assert.equal(callerOf(record({ userIdentity: assumedRole('bob') })).label, 'AdminRole/bob');
    assert.equal(callerOf(record({ userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' } })).label, 'root');
    assert.equal(callerOf(record({ userIdentity: { type: 'IdentityCenterUser', onBehalfOf: { userId: 'u-1' }, credentialId: 'c' } })).key, 'identity-center:u-1');
    assert.deepEqual(callerOf(record({ userIdentity: { accountId: '1', invokedBy: 'secretsmanager.amazonaws.com' } })), { key: 'invoked-by:secretsmanager.amazonaws.com', label: 'secretsmanager.amazonaws.com', type: 'no type' });
    assert.equal(callerOf({ eventTime: 'x', insightDetails: {} }).type, 'Insight');
  });

  it('tells long-term keys from temporary ones', () => {
    assert.equal(accessKeyKind('AKIAXXXX').kind, 'long-term');
    assert.equal(accessKeyKind('ASIAXXXX').kind, 'temporary');
    assert.equal(accessKeyKind('XYZ').kind, 'other');
  });

  it('formats durations', () => {
    assert.equal(formatDuration(45_000), '45 s');
    assert.equal(formatDuration(150_000), '2 min 30 s');
    assert.equal(formatDuration(5_400_000), '1 h 30 min');
    assert.equal(formatDuration(90_000_000), '1 d 1 h');
  });

  it('decomposes ARNs, S3 ones included', () => {
    assert.deepEqual(parseArn('arn:aws:iam::111122223333:user/path/alice'), {
      arn: 'arn:aws:iam::111122223333:user/path/alice',
      partition: 'aws',
      service: 'iam',
      region: '',
      account: '111122223333',
      resource: 'user/path/alice',
      resourceType: 'user',
      resourceId: 'path/alice',
    });
    const s3 = parseArn('arn:aws:s3:::my-bucket/AWSLogs/x.json.gz');
    assert.equal(s3?.resourceType, undefined);
    assert.equal(s3?.resourceId, 'my-bucket/AWSLogs/x.json.gz');
    assert.equal(parseArn('arn:aws:lambda:eu-west-1:111122223333:function:fn')?.resourceType, 'function');
    assert.equal(parseArn('not:an:arn'), undefined);
  });

  it('knows services, read-only actions and sensitive ones', () => {
    assert.equal(serviceName('ec2.amazonaws.com'), 'Amazon EC2');
    assert.equal(serviceName('newservice.amazonaws.com'), 'newservice');
    assert.deepEqual(accessOf({ readOnly: false, eventName: 'DescribeX' }), { readOnly: false, from: 'record' });
    assert.deepEqual(accessOf({ eventName: 'ListUsers' }), { readOnly: true, from: 'name' });
    assert.equal(sensitiveAction('cloudtrail.amazonaws.com', 'DeleteTrail')?.tactic, 'defense evasion');
    assert.equal(sensitiveAction('s3.amazonaws.com', 'PutBucketPolicy20060301')?.tactic, 'exfiltration');
    assert.equal(sensitiveAction('ec2.amazonaws.com', 'DescribeInstances'), undefined);
  });

  it('explains error codes', () => {
    assert.match(explainErrorCode('Client.UnauthorizedOperation'), /no policy allowed/);
    assert.match(explainErrorCode('Client.DryRunOperation'), /dry run/);
    assert.match(explainErrorCode('ThrottlingException'), /throttled/);
    assert.match(explainErrorCode('Client.InvalidRouteTableID.NotFound'), /does not exist/);
    assert.match(explainErrorCode('SomethingNew'), /errorMessage/);
  });

  it('compares event versions and reads CloudTrail times', () => {
    assert.ok(compareEventVersions('1.09', '1.10') < 0);
    assert.ok(compareEventVersions('1.11', '1.10') > 0);
    assert.equal(parseCloudTrailTime('20261101T093000Z'), Date.UTC(2026, 10, 1, 9, 30));
    assert.equal(parseCloudTrailTime('2026-11-01 09:30:00.000'), Date.UTC(2026, 10, 1, 9, 30));
    assert.ok(Number.isNaN(parseCloudTrailTime('yesterday')));
    // A two-digit year is that year, not 1950 (Date.UTC's reading of 50).
    assert.equal(new Date(parseCloudTrailTime('0050-01-01T00:00:00Z')).toISOString(), '0050-01-01T00:00:00.000Z');
    // Days and hours that do not exist are not times (Date.parse and Date.UTC would roll them over).
    for (const v of ['2026-02-30T00:00:00Z', '2026-02-29T10:00:00.5Z', '2026-04-31 00:00:00.000', '20260230T000000Z', '20261101T256000Z']) assert.ok(Number.isNaN(parseCloudTrailTime(v)), v);
    assert.equal(parseCloudTrailTime('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29));
  });
});

describe('filters and export', () => {
  const records = [
    record({ eventTime: '2026-11-01T10:00:00Z' }),
    record({ eventTime: '2026-11-01T11:00:00Z', errorCode: 'AccessDenied', userIdentity: assumedRole('bob') }),
    record({ eventTime: '2026-11-01T12:00:00Z', sourceIPAddress: '10.0.0.1', eventName: 'RunInstances' }),
  ];

  it('filters by caller, source, key, event name, errors and time window', () => {
    assert.equal(applyFilters(records, [{ kind: 'caller', key: 'arn:aws:iam::111122223333:user/alice', label: 'alice' }]).length, 2);
    assert.equal(applyFilters(records, [{ kind: 'source', value: '10.0.0.1' }]).length, 1);
    assert.equal(applyFilters(records, [{ kind: 'accessKey', value: 'ASIAEXAMPLESESSION01' }]).length, 1);
    assert.equal(applyFilters(records, [{ kind: 'eventName', value: 'RunInstances' }]).length, 1);
    assert.equal(applyFilters(records, [{ kind: 'errors' }]).length, 1);
    assert.equal(applyFilters(records, [{ kind: 'timeWindow', from: '2026-11-01 10:30', to: '2026-11-01T12:00:00Z' }]).length, 2);
    assert.equal(applyFilters(records, [{ kind: 'errors' }, { kind: 'source', value: '10.0.0.1' }]).length, 0);
    assert.equal(parseUserTime('2026-11-01'), Date.UTC(2026, 10, 1));
  });

  it('filters by several values at once, sensitive actions and the root user, and names them', () => {
    const more = [
      ...records,
      record({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging' }),
      record({ eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' } }),
    ];
    const names: EventFilter = { kind: 'eventName', value: 'RunInstances', more: ['StopLogging'] };
    assert.deepEqual(applyFilters(more, [names]).map((r) => r.eventName), ['RunInstances', 'StopLogging']);
    assert.equal(describeFilter(names), 'event RunInstances, StopLogging');
    assert.equal(describeFilter({ kind: 'source', value: 'a', more: ['b', 'c', 'd'] }), 'source a, b +2');
    const callers: EventFilter = { kind: 'caller', key: 'arn:aws:iam::111122223333:user/alice', label: 'alice', more: [{ key: 'arn:aws:iam::111122223333:root', label: 'root' }] };
    assert.equal(applyFilters(more, [callers]).length, 4);
    assert.deepEqual(applyFilters(more, [{ kind: 'sensitive' }]).map((r) => r.eventName), ['StopLogging']);
    assert.deepEqual(applyFilters(more, [{ kind: 'root' }]).map((r) => r.eventName), ['ListBuckets']);
    assert.equal(describeFilter({ kind: 'errors' }), 'failed calls');
    assert.equal(parseUserTime('2026-11-01T10:00+02:00'), Date.UTC(2026, 10, 1, 8));
  });

  it('quotes CSV fields with ; or a tab, so a spreadsheet splitting on them cannot start a formula in the next cell', () => {
    assert.equal(csvField('Mozilla;=cmd|\' /C calc\'!A0'), `"Mozilla;=cmd|' /C calc'!A0"`);
    assert.equal(csvField('a\t=1+1'), '"a\t=1+1"');
    assert.equal(csvField('\t=1+1'), `"'\t=1+1"`);
    assert.equal(csvField('-1;2'), `"'-1;2"`);
    const row = eventsToCsv([{ eventTime: '2026-11-01T10:00:00Z', eventName: 'GetObject', userAgent: 'x;=HYPERLINK("http://e")', errorMessage: 'y\t@SUM(1)' }]).split('\r\n')[1];
    assert.match(row, /,"x;=HYPERLINK\(""http:\/\/e""\)",/);
    assert.match(row, /,"y\t@SUM\(1\)",/);
  });

  it('exports CSV with quoting and with formulas neutralised', () => {
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvField(undefined), '');
    const csv = eventsToCsv(records).split('\r\n');
    assert.equal(csv.length, 5);
    assert.match(csv[0], /^eventTime,eventName,eventSource,awsRegion,caller,identityType,/);
    assert.match(csv[2], /^2026-11-01T11:00:00Z,DescribeInstances,ec2\.amazonaws\.com,us-east-1,AdminRole\/bob,AssumedRole,/);
    assert.match(csv[0], /,recipientAccountId,requestParameters,responseElements,resources$/);
    const withParams = eventsToCsv([{ eventTime: '2026-11-01T10:00:00Z', eventName: 'PutBucketPolicy', requestParameters: { bucketName: 'logs', policy: '{"Statement":[]}' }, resources: [{ ARN: 'arn:aws:s3:::logs' }] }]).split('\r\n')[1];
    assert.ok(withParams.endsWith(`,"{""bucketName"":""logs"",""policy"":""{\\""Statement\\"":[]}""}",,"[{""ARN"":""arn:aws:s3:::logs""}]"`), withParams);
  });
});
