// Who may stop the trail or delete its logs, from hand-written IAM authorization details.
import * as assert from 'node:assert/strict';
import { describeGrant, findGrants, type GrantTarget } from '../../../src/core/protection/iamGrants';
import type { AuthorizationDetails, IamEntity } from '../../../src/core/protection/protectionReader';

const TRAIL = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main';
const LOG = 'arn:aws:s3:::logs/AWSLogs/111122223333/CloudTrail/us-east-1/2026/01/01/x.json.gz';
const tamper: GrantTarget[] = ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail'].map((action) => ({ action, resource: TRAIL }));
const deletes: GrantTarget[] = ['s3:DeleteObject', 's3:DeleteObjectVersion'].map((action) => ({ action, resource: LOG }));

function doc(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

function entity(kind: IamEntity['kind'], name: string, over: Partial<IamEntity> = {}): IamEntity {
  return { kind, name, arn: `arn:aws:iam::111122223333:${kind}/${name}`, inlinePolicies: [], attachedPolicyArns: [], groups: [], ...over };
}

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const READ_ONLY_BOUNDARY = 'arn:aws:iam::111122223333:policy/ReadOnlyBoundary';

const details: AuthorizationDetails = {
  account: '111122223333',
  policies: [
    { arn: ADMIN, name: 'AdministratorAccess', document: encodeURIComponent(doc({ Effect: 'Allow', Action: '*', Resource: '*' })) },
    { arn: READ_ONLY_BOUNDARY, name: 'ReadOnlyBoundary', document: doc({ Effect: 'Allow', Action: ['s3:Get*', 'cloudtrail:Describe*'], Resource: '*' }) },
  ],
  entities: [
    entity('role', 'Admin', { attachedPolicyArns: [ADMIN] }),
    entity('role', 'Bounded', { attachedPolicyArns: [ADMIN], permissionsBoundaryArn: READ_ONLY_BOUNDARY }),
    entity('user', 'alice', { groups: ['ops'] }),
    entity('user', 'bob', { attachedPolicyArns: [ADMIN], inlinePolicies: [{ name: 'no-stop', document: doc({ Effect: 'Deny', Action: 'cloudtrail:StopLogging', Resource: '*' }) }] }),
    entity('user', 'carol', { inlinePolicies: [{ name: 'other-trail', document: doc({ Effect: 'Allow', Action: 'cloudtrail:*', Resource: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/other' }) }] }),
    entity('user', 'dave', { inlinePolicies: [{ name: 'mfa-only', document: doc({ Effect: 'Allow', Action: 'cloudtrail:UpdateTrail', Resource: 'arn:aws:cloudtrail:*:*:trail/*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }) }] }),
    entity('user', 'erin', { inlinePolicies: [{ name: 'not-iam', document: doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) }, { name: 'broken', document: '{"Statement": ' }] }),
    entity('group', 'ops', { inlinePolicies: [{ name: 'logs', document: doc({ Effect: 'Allow', Action: 's3:Delete*', Resource: 'arn:aws:s3:::logs/*' }) }] }),
    entity('group', 'empty', { attachedPolicyArns: [ADMIN] }),
  ],
};

describe('IAM grants on the trail and its logs', () => {
  it('lists each principal allowed to stop, delete or update the trail, with the policies, wildcards and NotAction included', () => {
    const { grants, notes } = findGrants(details, tamper);
    assert.deepEqual(grants.map(describeGrant), [
      'role/Admin: cloudtrail:StopLogging, cloudtrail:DeleteTrail, cloudtrail:UpdateTrail (via AdministratorAccess)',
      // bob's own Deny removes StopLogging, and nothing else.
      'user/bob: cloudtrail:DeleteTrail, cloudtrail:UpdateTrail (via AdministratorAccess)',
      'user/dave: cloudtrail:UpdateTrail (via inline mfa-only; with conditions)',
      'user/erin: cloudtrail:StopLogging, cloudtrail:DeleteTrail, cloudtrail:UpdateTrail (via inline not-iam)',
    ]);
    // Bounded: its boundary allows no change; carol: a different trail; the empty group: nobody in it.
    assert.deepEqual(notes, ['user/erin inline broken: the policy is not valid JSON (Unexpected end of JSON input)']);
  });

  it('lists who may delete log objects, through a group too', () => {
    const { grants } = findGrants(details, deletes);
    assert.deepEqual(grants.map(describeGrant), [
      'role/Admin: s3:DeleteObject, s3:DeleteObjectVersion (via AdministratorAccess)',
      'user/alice: s3:DeleteObject, s3:DeleteObjectVersion (via group ops: inline logs)',
      'user/bob: s3:DeleteObject, s3:DeleteObjectVersion (via AdministratorAccess)',
      'user/erin: s3:DeleteObject, s3:DeleteObjectVersion (via inline not-iam)',
    ]);
  });

  it('lists nobody when no policy grants it', () => {
    assert.deepEqual(findGrants({ entities: [entity('user', 'reader', { inlinePolicies: [{ name: 'r', document: doc({ Effect: 'Allow', Action: 'cloudtrail:Get*', Resource: '*' }) }] })], policies: [] }, tamper).grants, []);
  });
});
