// Policy documents read properly, and what bucket policies mean for a trail's logs, from
// hand-written policies in every shape IAM accepts.
import * as assert from 'node:assert/strict';
import type { TrailSummary } from '../../../src/core/aws/trailApi';
import { cloudTrailWriteOutcome, deleteProtectionOutcome } from '../../../src/core/protection/bucketPolicy';
import { actionMatches, coversResource, describeStatement, parsePolicy, PolicyParseError, resourceMatches } from '../../../src/core/protection/policyDocument';

const ARN = 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/main';

function trail(over: Partial<TrailSummary> = {}): TrailSummary {
  return { name: 'main', arn: ARN, homeRegion: 'eu-west-1', isMultiRegion: true, isOrganizationTrail: false, s3BucketName: 'logs', s3KeyPrefix: 'audit', logFileValidationEnabled: true, ...over };
}

const aclCheck = { Sid: 'AclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: 'arn:aws:s3:::logs' };

function policy(...statements: object[]) {
  return parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements.length === 1 ? statements[0] : statements }));
}

describe('policy documents', () => {
  it('reads Statement as an object or an array, and each field as a string or an array', () => {
    const single = parsePolicy('{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}');
    const many = parsePolicy('{"Statement": [{"Effect": "Deny", "Principal": {"AWS": ["arn:aws:iam::1:root", "*"]}, "Action": ["s3:DeleteObject"], "Resource": ["arn:aws:s3:::b/*"], "Condition": {"Bool": {"aws:SecureTransport": false}}}]}');
    assert.equal(single.statements.length, 1);
    assert.deepEqual(single.statements[0].action, ['s3:GetObject']);
    assert.equal(single.statements[0].principal?.anyone, true);
    assert.equal(many.statements[0].principal?.anyone, true, '{"AWS": "*"} among others is everyone');
    assert.deepEqual(many.statements[0].condition, { Bool: { 'aws:SecureTransport': ['false'] } });
    assert.equal(describeStatement(many.statements[0]), 'Deny * s3:DeleteObject on arn:aws:s3:::b/* if Bool aws:SecureTransport false');
    assert.equal(describeStatement(single.statements[0]), 'Allow * s3:GetObject on arn:aws:s3:::b/*');
  });

  it('reads the URL-encoded documents IAM returns', () => {
    const doc = parsePolicy(encodeURIComponent('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"cloudtrail:*","Resource":"*"}}'));
    assert.deepEqual(doc.statements[0].action, ['cloudtrail:*']);
    assert.deepEqual(parsePolicy(encodeURIComponent('\n  {"Statement": []}')).statements, []);
  });

  it('rejects what is not a policy, saying why', () => {
    assert.throws(() => parsePolicy('{"Statement": '), (e: unknown) => e instanceof PolicyParseError && /not valid JSON/.test(e.message));
    assert.throws(() => parsePolicy('{"Statement": {"Action": "s3:*"}}'), /Statement\[0\] has no Effect Allow or Deny/);
    assert.throws(() => parsePolicy('{"Statement": {"Effect": "Allow", "Action": 5}}'), /Action holds a number/);
    assert.deepEqual(parsePolicy('{"Version": "2012-10-17"}').statements, []);
  });

  it('matches actions case-insensitively with * and ?, resources case-sensitively', () => {
    assert.ok(actionMatches('s3:Delete*', 's3:DeleteObjectVersion'));
    assert.ok(actionMatches('S3:deleteobject', 's3:DeleteObject'));
    assert.ok(actionMatches('*', 'cloudtrail:StopLogging'));
    assert.ok(actionMatches('cloudtrail:?topLogging', 'cloudtrail:StopLogging'));
    assert.ok(!actionMatches('s3:Get*', 's3:DeleteObject'));
    assert.ok(!actionMatches('s3:Delete', 's3:DeleteObject'), 'no implicit wildcard');
    assert.ok(resourceMatches('arn:aws:s3:::logs/*', 'arn:aws:s3:::logs/AWSLogs/1/x.json.gz', 'narrow'));
    assert.ok(!resourceMatches('arn:aws:s3:::Logs/*', 'arn:aws:s3:::logs/x', 'narrow'));
    assert.ok(!resourceMatches('arn:aws:s3:::logs', 'arn:aws:s3:::logs/x', 'narrow'), 'the bucket ARN does not cover its objects');
  });

  it('lets a policy variable stand for anything only when asking "could this allow it?"', () => {
    assert.ok(resourceMatches('arn:aws:s3:::logs/${aws:username}/*', 'arn:aws:s3:::logs/AWSLogs/x', 'broad'));
    assert.ok(!resourceMatches('arn:aws:s3:::logs/${aws:username}/*', 'arn:aws:s3:::logs/AWSLogs/x', 'narrow'));
    const notResource = parsePolicy('{"Statement": {"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret/*"}}').statements[0];
    assert.ok(coversResource(notResource, 'arn:aws:s3:::logs/x', 'broad'));
    assert.ok(!coversResource(notResource, 'arn:aws:s3:::secret/x', 'broad'));
  });
});

describe('bucket policy: CloudTrail may write', () => {
  const write = { Sid: 'Write', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::logs/audit/AWSLogs/111122223333/*', Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': ARN } } };

  it('passes the statements AWS documents, quoting the one that grants', () => {
    const o = cloudTrailWriteOutcome(policy(aclCheck, write), trail());
    assert.equal(o.result, 'pass');
    assert.equal(o.evidence, `Write: Allow Service:cloudtrail.amazonaws.com s3:PutObject on arn:aws:s3:::logs/audit/AWSLogs/111122223333/* if StringEquals s3:x-amz-acl bucket-owner-full-control and StringEquals aws:SourceArn ${ARN} (account 111122223333).`);
  });

  it('accepts wildcards: s3:* and an ArnLike source for every trail of the account', () => {
    const broad = { Effect: 'Allow', Principal: { Service: ['cloudtrail.amazonaws.com'] }, Action: 's3:*', Resource: 'arn:aws:s3:::logs/*', Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:111122223333:trail/*' } } };
    assert.equal(cloudTrailWriteOutcome(policy(aclCheck, broad), trail()).result, 'pass');
    const setOperator = { ...broad, Condition: { 'ForAnyValue:StringLike': { 'aws:SourceArn': ['arn:aws:cloudtrail:*:111122223333:trail/ma*'] }, StringEqualsIgnoreCase: { 'aws:SourceAccount': '111122223333' } } };
    assert.equal(cloudTrailWriteOutcome(policy(aclCheck, setOperator), trail()).result, 'pass');
    const notOurs = { ...broad, Condition: { StringNotEquals: { 'aws:SourceAccount': '111122223333' } } };
    assert.equal(cloudTrailWriteOutcome(policy(aclCheck, notOurs), trail()).result, 'fail');
  });

  it('fails a statement for another prefix, another trail, or logs without digests; says why in the details', () => {
    const otherPrefix = cloudTrailWriteOutcome(policy(aclCheck, { ...write, Resource: 'arn:aws:s3:::logs/AWSLogs/111122223333/*' }), trail());
    assert.equal(otherPrefix.result, 'fail');
    assert.equal(otherPrefix.evidence, 'No statement lets cloudtrail.amazonaws.com s3:PutObject on s3://logs/audit/AWSLogs/….');
    assert.match(otherPrefix.details?.[0] ?? '', /on arn:aws:s3:::logs\/AWSLogs\/111122223333\/\* .* — does not cover the trail's keys$/);

    const otherTrail = cloudTrailWriteOutcome(policy(aclCheck, { ...write, Condition: { StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/other' } } }), trail());
    assert.equal(otherTrail.result, 'fail');
    assert.match(otherTrail.details?.[0] ?? '', /does not apply: its aws:SourceArn condition names arn:aws:cloudtrail:eu-west-1:111122223333:trail\/other$/);

    const logsOnly = cloudTrailWriteOutcome(policy(aclCheck, { ...write, Resource: 'arn:aws:s3:::logs/audit/AWSLogs/111122223333/CloudTrail/*' }), trail());
    assert.equal(logsOnly.result, 'fail');
    assert.match(logsOnly.evidence, /for digest files \(log files are covered\)\.$/);
    // The same statement is enough when validation is off: no digests to write.
    assert.equal(cloudTrailWriteOutcome(policy(aclCheck, { ...write, Resource: 'arn:aws:s3:::logs/audit/AWSLogs/111122223333/CloudTrail/*' }), trail({ logFileValidationEnabled: false })).result, 'pass');
  });

  it('fails when an unconditional Deny blocks the writes, and warns without the ACL check statement', () => {
    const blocked = cloudTrailWriteOutcome(policy(aclCheck, write, { Sid: 'NoWrites', Effect: 'Deny', Principal: '*', Action: 's3:Put*', Resource: 'arn:aws:s3:::logs/*' }), trail());
    assert.equal(blocked.result, 'fail');
    assert.match(blocked.evidence, /^NoWrites: Deny \* s3:Put\* on arn:aws:s3:::logs\/\* — denies CloudTrail's writes\.$/);
    // A Deny with a condition (insecure transport) does not stop CloudTrail, which uses TLS.
    assert.equal(cloudTrailWriteOutcome(policy(aclCheck, write, { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::logs/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }), trail()).result, 'pass');
    const allButAdmins = { Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:role/Admin' }, Action: 's3:*', Resource: 'arn:aws:s3:::logs/*' };
    assert.equal(cloudTrailWriteOutcome(policy(aclCheck, write, allButAdmins), trail()).result, 'fail');
    assert.equal(cloudTrailWriteOutcome(policy(aclCheck, write, { ...allButAdmins, NotPrincipal: { AWS: 'arn:aws:iam::111122223333:role/Admin', Service: 'cloudtrail.amazonaws.com' } }), trail()).result, 'pass');
    const noAcl = cloudTrailWriteOutcome(policy(write), trail());
    assert.equal(noAcl.result, 'warn');
    assert.match(noAcl.evidence, /but no statement lets CloudTrail call s3:GetBucketAcl on the bucket\.$/);
  });

  it('finds an organization trail\'s keys from the organization id in the policy', () => {
    const org = { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::logs/audit/AWSLogs/o-abc123defg/*' };
    const o = cloudTrailWriteOutcome(policy(aclCheck, org), trail({ isOrganizationTrail: true }));
    assert.equal(o.result, 'pass');
    assert.match(o.evidence, /\(organization o-abc123defg\/account 111122223333\)\.$/);
    assert.equal(cloudTrailWriteOutcome(policy(aclCheck, org), trail({ isOrganizationTrail: false })).result, 'fail');
  });

  it('fails without a bucket policy', () => {
    assert.equal(cloudTrailWriteOutcome(undefined, trail()).evidence, 'The bucket has no bucket policy, so CloudTrail may not write to it.');
  });
});

describe('bucket policy: deletes denied', () => {
  const both = ['s3:DeleteObject', 's3:DeleteObjectVersion'];

  it('passes an unconditional Deny to everyone, with the actions as a wildcard', () => {
    const o = deleteProtectionOutcome(policy({ Sid: 'NoDeletes', Effect: 'Deny', Principal: '*', Action: 's3:Delete*', Resource: 'arn:aws:s3:::logs/*' }), trail());
    assert.equal(o.result, 'pass');
    assert.equal(o.evidence, 'NoDeletes: Deny * s3:Delete* on arn:aws:s3:::logs/* — deletes denied to everyone.');
  });

  it('passes a Deny restricted to named principals: NotPrincipal, or a negated aws:PrincipalArn', () => {
    const notPrincipal = deleteProtectionOutcome(policy({ Effect: 'Deny', NotPrincipal: { AWS: ['arn:aws:iam::111122223333:role/LogAdmin', 'arn:aws:iam::111122223333:root'] }, Action: both, Resource: 'arn:aws:s3:::logs/*' }), trail());
    assert.equal(notPrincipal.result, 'pass');
    assert.match(notPrincipal.evidence, /deletes denied to everyone except arn:aws:iam::111122223333:role\/LogAdmin, arn:aws:iam::111122223333:root\.$/);
    const principalArn = deleteProtectionOutcome(policy({ Effect: 'Deny', Principal: { AWS: '*' }, Action: both, Resource: 'arn:aws:s3:::logs/audit/*', Condition: { StringNotLikeIfExists: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/LogAdmin*' } } }), trail());
    assert.equal(principalArn.result, 'pass');
    // NotAction that leaves deletes in: every action except reads and writes is denied.
    assert.equal(deleteProtectionOutcome(policy({ Effect: 'Deny', Principal: '*', NotAction: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::logs/*' }), trail()).result, 'pass');
  });

  it('does not credit a Deny that only applies under other conditions, to some principals, or elsewhere', () => {
    const transport = deleteProtectionOutcome(policy({ Sid: 'TLS', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::logs/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }), trail());
    assert.equal(transport.result, 'warn');
    assert.equal(transport.evidence, 'No statement denies deletes to everyone; TLS: Deny * s3:* on arn:aws:s3:::logs/* if Bool aws:SecureTransport false — only under conditions or for some principals.');
    const wholeAccount = deleteProtectionOutcome(policy({ Effect: 'Deny', Principal: '*', Action: both, Resource: 'arn:aws:s3:::logs/*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:*' } } }), trail());
    assert.equal(wholeAccount.result, 'warn', 'an exception for the whole account protects nothing from insiders');
    const someone = deleteProtectionOutcome(policy({ Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::111122223333:user/intern' }, Action: both, Resource: 'arn:aws:s3:::logs/*' }), trail());
    assert.equal(someone.result, 'warn');
    const elsewhere = deleteProtectionOutcome(policy({ Effect: 'Deny', Principal: '*', Action: both, Resource: 'arn:aws:s3:::logs/other/*' }), trail());
    assert.equal(elsewhere.result, 'warn');
    const variable = deleteProtectionOutcome(policy({ Effect: 'Deny', Principal: '*', Action: both, Resource: 'arn:aws:s3:::logs/${aws:username}/*' }), trail());
    assert.equal(variable.result, 'warn');
  });

  it('warns when versions can still be deleted, and fails when anyone may delete', () => {
    const current = deleteProtectionOutcome(policy({ Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::logs/*' }), trail());
    assert.equal(current.result, 'warn');
    assert.match(current.evidence, /but s3:DeleteObjectVersion is not denied, so versions can still be deleted for good\.$/);
    const open = deleteProtectionOutcome(policy({ Sid: 'Oops', Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::logs/*' }), trail());
    assert.equal(open.result, 'fail');
    assert.equal(open.evidence, 'Oops: Allow * s3:* on arn:aws:s3:::logs/* — lets anyone delete the logs.');
  });
});
