// The trail's KMS key: is it usable (enabled, not pending deletion), does it rotate, and may
// CloudTrail encrypt with it for this trail only?
//
// How the key policy counts:
// - CloudTrail may encrypt when an Allow names cloudtrail.amazonaws.com (or everyone) for
//   kms:GenerateDataKey* (kms:* and * count), and its conditions admit this trail.
// - Scoped to the trail: an aws:SourceArn condition that admits the trail's ARN and nothing wider
//   than the trail's account. kms:EncryptionContext:aws:cloudtrail:arn or aws:SourceAccount alone
//   admit every trail of an account (warn); no condition admits every trail anywhere (warn).
// - kms:Decrypt (or kms:*) allowed to everyone with no condition makes the logs readable to any
//   AWS caller who can read the objects (fail).
import type { TrailSummary } from '../aws/trailApi';
import { trailAccount } from '../aws/trailCatalog';
import { admits } from './bucketPolicy';
import { outcome, isoTime, type Outcome } from './outcome';
import { appliesToAnyone, conditionKeys, coversAction, describeStatement, namesService, type PolicyDocument, type PolicyStatement } from './policyDocument';
import type { KmsKeyInfo } from './protectionReader';

const CLOUDTRAIL = 'cloudtrail.amazonaws.com';

/** The account in a key ARN (`arn:aws:kms:us-east-1:111122223333:key/…`); undefined for an alias or a bare id. */
export function keyAccount(keyId: string): string | undefined {
  return /^arn:[^:]+:kms:[^:]*:(\d{12}):/.exec(keyId)?.[1];
}

/** The region in a key ARN; the trail's home region for an alias or a bare id. */
export function keyRegion(keyId: string, trail: TrailSummary): string {
  return /^arn:[^:]+:kms:([^:]+):/.exec(keyId)?.[1] ?? trail.homeRegion;
}

export function keyStateOutcome(key: KmsKeyInfo, rotation: { ok: true; value: boolean } | { ok: false; permission: string }): Outcome {
  const state = key.keyState ?? 'unknown';
  if (state === 'PendingDeletion') {
    const when = key.deletionDate ? ` on ${isoTime(key.deletionDate)}` : '';
    return outcome('fail', `KeyState PendingDeletion: ${key.arn} is scheduled for deletion${when}; CloudTrail cannot encrypt with it, and once deleted no log encrypted with it can be read again.`, `Cancel the deletion now (aws kms cancel-key-deletion --key-id ${key.arn}), then enable the key (aws kms enable-key).`);
  }
  if (state !== 'Enabled') {
    return outcome('fail', `KeyState ${state}: CloudTrail cannot encrypt with ${key.arn}, so log files are not delivered.`, `Enable the key (aws kms enable-key --key-id ${key.arn}), or point the trail at an enabled key.`);
  }
  if (key.keyManager === 'AWS') return outcome('warn', `KeyState Enabled, but ${key.arn} is an AWS managed key: its policy cannot be scoped to the trail.`, 'Use a customer managed key for the trail (update-trail --kms-key-id).');
  if (key.keySpec && key.keySpec !== 'SYMMETRIC_DEFAULT') return outcome('fail', `KeySpec ${key.keySpec}: CloudTrail needs a symmetric encryption key.`, 'Use a symmetric customer managed key.');
  if (!rotation.ok) return { ...outcome('unknown', `KeyState Enabled; rotation could not be read (needs ${rotation.permission}).`, `Grant ${rotation.permission}, or check rotation in the KMS console.`), permission: rotation.permission };
  if (key.origin === 'EXTERNAL') return outcome('info', 'KeyState Enabled; imported key material (Origin EXTERNAL) does not rotate automatically.', 'Rotate the imported material yourself, on a schedule.');
  if (!rotation.value) return outcome('warn', 'KeyState Enabled, automatic rotation off.', `Turn rotation on (aws kms enable-key-rotation --key-id ${key.arn}).`);
  return outcome('pass', 'KeyState Enabled, automatic rotation on.');
}

function grantsCloudTrailEncrypt(s: PolicyStatement): boolean {
  return s.effect === 'Allow' && namesService(s, CLOUDTRAIL) && coversAction(s, 'kms:GenerateDataKey');
}

/** How narrowly a CloudTrail statement's conditions scope it: to this trail, an account, or not at all; or whether they exclude the trail. */
function scope(s: PolicyStatement, trail: TrailSummary): 'trail' | 'account' | 'none' | 'excluded' {
  const account = trailAccount(trail.arn) ?? '';
  let result: 'trail' | 'account' | 'none' = 'none';
  for (const c of conditionKeys(s)) {
    const key = c.key.toLowerCase();
    if (key === 'aws:sourcearn') {
      if (!admits(c.operator, c.values, trail.arn)) return 'excluded';
      // A wildcard wide enough to admit another trail's ARN of the account is only an account scope.
      const other = trail.arn.replace(/trail\/.*$/, 'trail/another-trail-0');
      result = admits(c.operator, c.values, other) ? (result === 'trail' ? 'trail' : 'account') : 'trail';
    } else if (key === 'kms:encryptioncontext:aws:cloudtrail:arn') {
      if (!admits(c.operator, c.values, trail.arn)) return 'excluded';
      if (result === 'none') result = 'account';
    } else if (key === 'aws:sourceaccount') {
      if (!admits(c.operator, c.values, account)) return 'excluded';
      if (result === 'none') result = 'account';
    }
  }
  return result;
}

export function keyPolicyOutcome(policy: PolicyDocument, trail: TrailSummary, keyArn: string): Outcome {
  const publicDecrypt = policy.statements.filter((s) => s.effect === 'Allow' && appliesToAnyone(s) && !s.condition && coversAction(s, 'kms:Decrypt'));
  if (publicDecrypt.length > 0) {
    return outcome('fail', `The key policy lets anyone decrypt: ${publicDecrypt.map(describeStatement).join('; ')}.`, 'Remove the statement, or condition it on aws:PrincipalOrgID or named principals; grant kms:Decrypt only to the roles that read logs.', publicDecrypt.map(describeStatement));
  }
  const statements = policy.statements.filter(grantsCloudTrailEncrypt);
  const remedy = `Add to the key policy of ${keyArn}: {"Sid":"AllowCloudTrailEncrypt","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*","Condition":{"StringEquals":{"aws:SourceArn":"${trail.arn}"},"StringLike":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:${trailAccount(trail.arn) ?? '<account>'}:trail/*"}}}.`;
  if (statements.length === 0) return outcome('fail', 'No key policy statement lets cloudtrail.amazonaws.com call kms:GenerateDataKey*: CloudTrail cannot encrypt log files, so none are delivered.', remedy);
  const scoped = statements.map((s) => ({ s, scope: scope(s, trail) }));
  const admitting = scoped.filter((x) => x.scope !== 'excluded');
  if (admitting.length === 0) return outcome('fail', `The key policy's CloudTrail statements do not admit this trail: ${statements.map(describeStatement).join('; ')}.`, remedy, statements.map(describeStatement));
  const trailScoped = admitting.find((x) => x.scope === 'trail');
  if (trailScoped && admitting.every((x) => x.scope === 'trail')) return outcome('pass', `${describeStatement(trailScoped.s)}.`);
  const loose = admitting.find((x) => x.scope !== 'trail')!;
  const why = loose.scope === 'account' ? `admits every trail of account ${trailAccount(trail.arn) ?? '(unknown)'}, not only this one` : 'has no aws:SourceArn, aws:SourceAccount or encryption context condition, so a trail of any account may encrypt with this key';
  return outcome('warn', `${describeStatement(loose.s)} — ${why}.`, remedy);
}
