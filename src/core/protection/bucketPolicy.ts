// What a trail bucket's policy means for its logs: may CloudTrail write them, and who may delete them.
//
// How statements count (the choices an auditor should know):
// - CloudTrail write: an Allow naming `cloudtrail.amazonaws.com` (or everyone) for s3:PutObject on
//   the trail's keys. aws:SourceArn / aws:SourceAccount conditions must match the trail; other
//   conditions (s3:x-amz-acl = bucket-owner-full-control) are what CloudTrail sends and are accepted.
//   An unconditional Deny of s3:PutObject to everyone or to CloudTrail blocks it.
// - Delete protection: a Deny of s3:DeleteObject and s3:DeleteObjectVersion over the trail's keys
//   counts when it applies to everyone (`Principal: "*"`) with no condition, or with only a
//   negated condition on aws:PrincipalArn / aws:userid / aws:username (an exception for named
//   principals), or as `NotPrincipal` (everyone except the named principals). Any other condition
//   (aws:SecureTransport, aws:MultiFactorAuthPresent, IP ranges) leaves deletes possible and is not
//   credited; neither is an exception with wildcards covering a whole account.
// - A statement with a policy variable in its Resource is never credited as protection.
import type { TrailSummary } from '../aws/trailApi';
import { trailAccount } from '../aws/trailCatalog';
import { bucketArn, keyPrefix, logObjectSets, organizationIdsIn } from './logObjects';
import { outcome, type Outcome } from './outcome';
import { appliesToAnyone, conditionKeys, coversAction, coversResource, describeStatement, namesService, wildcardMatch, type PolicyDocument, type PolicyStatement } from './policyDocument';

const CLOUDTRAIL = 'cloudtrail.amazonaws.com';
const DELETE_ACTIONS = ['s3:DeleteObject', 's3:DeleteObjectVersion'] as const;

function allResources(policy: PolicyDocument): string[] {
  return policy.statements.flatMap((s) => [...(s.resource ?? []), ...(s.notResource ?? [])]);
}

/** An operator without its set prefix (ForAnyValue:) and IfExists suffix: `StringNotLike`. */
function baseOperator(operator: string): string {
  return operator.toLowerCase().replace(/^for(any|all)values?:/, '').replace(/ifexists$/, '');
}

/** Whether a condition value list, under a (possibly negated) operator, admits `actual`. */
export function admits(operator: string, values: string[], actual: string): boolean {
  const op = baseOperator(operator);
  const negated = op.includes('not');
  // ArnEquals and ArnLike both take wildcards; StringEquals does not.
  const like = op.endsWith('like') || op.startsWith('arn');
  const ignoreCase = op.endsWith('ignorecase');
  const hit = values.some((v) => (like ? wildcardMatch(v, actual, false) : ignoreCase ? v.toLowerCase() === actual.toLowerCase() : v === actual));
  return negated ? !hit : hit;
}

/** Why a CloudTrail statement's conditions exclude this trail, or undefined when they admit it. */
function conditionExcludes(s: PolicyStatement, trail: TrailSummary): string | undefined {
  const account = trailAccount(trail.arn) ?? '';
  for (const c of conditionKeys(s)) {
    const key = c.key.toLowerCase();
    if (key === 'aws:sourcearn' && !admits(c.operator, c.values, trail.arn)) return `its aws:SourceArn condition names ${c.values.join(', ')}`;
    if (key === 'aws:sourceaccount' && !admits(c.operator, c.values, account)) return `its aws:SourceAccount condition names ${c.values.join(', ')}`;
  }
  return undefined;
}

function blocksCloudTrail(s: PolicyStatement, arn: string): boolean {
  // Denied: everyone, CloudTrail by name, or everyone except principals that do not include CloudTrail.
  const hitsCloudTrail = namesService(s, CLOUDTRAIL) || (s.notPrincipal !== undefined && !s.notPrincipal.entries.some((e) => e.type === 'Service' && e.value.toLowerCase() === CLOUDTRAIL));
  return s.effect === 'Deny' && !s.condition && hitsCloudTrail && coversAction(s, 's3:PutObject') && coversResource(s, arn, 'narrow');
}

/** `bucket.policyCloudTrailWrite`. `policy` undefined: the bucket has no policy. */
export function cloudTrailWriteOutcome(policy: PolicyDocument | undefined, trail: TrailSummary): Outcome {
  const where = `s3://${trail.s3BucketName}/${keyPrefix(trail)}AWSLogs/`;
  const remedy = `Add the statements AWS documents for CloudTrail (s3:GetBucketAcl on the bucket, s3:PutObject on ${keyPrefix(trail)}AWSLogs/<account>/* with aws:SourceArn ${trail.arn}).`;
  if (!policy) return outcome('fail', 'The bucket has no bucket policy, so CloudTrail may not write to it.', remedy);
  const candidates = policy.statements.filter((s) => s.effect === 'Allow' && namesService(s, CLOUDTRAIL) && coversAction(s, 's3:PutObject'));
  const excluded: string[] = [];
  for (const s of candidates) {
    const reason = conditionExcludes(s, trail);
    if (reason) excluded.push(`${describeStatement(s)} — does not apply: ${reason}`);
  }
  const usable = candidates.filter((s) => !conditionExcludes(s, trail));
  const sets = logObjectSets(trail, organizationIdsIn(allResources(policy)));
  for (const set of sets) {
    const granting = set.arns.map((arn) => usable.find((s) => coversResource(s, arn, 'narrow')));
    if (!granting.every((s): s is PolicyStatement => s !== undefined)) continue;
    const blocking = policy.statements.find((s) => set.arns.some((arn) => blocksCloudTrail(s, arn)));
    if (blocking) return outcome('fail', `${describeStatement(blocking)} — denies CloudTrail's writes.`, 'Remove or narrow the Deny so CloudTrail can still write its log and digest files.');
    const evidence = [...new Set(granting.map(describeStatement))].join('; ');
    const aclCheck = policy.statements.some((s) => s.effect === 'Allow' && namesService(s, CLOUDTRAIL) && coversAction(s, 's3:GetBucketAcl') && coversResource(s, bucketArn(trail), 'narrow') && !conditionExcludes(s, trail));
    if (!aclCheck) return outcome('warn', `${evidence} (${set.label}); but no statement lets CloudTrail call s3:GetBucketAcl on the bucket.`, 'Add the AWSCloudTrailAclCheck statement (Allow cloudtrail.amazonaws.com s3:GetBucketAcl on the bucket ARN).');
    return outcome('pass', `${evidence} (${set.label}).`);
  }
  const logsOnly = trail.logFileValidationEnabled && sets.some((set) => usable.some((s) => coversResource(s, set.arns[0], 'narrow')));
  const details = [...excluded, ...usable.map((s) => `${describeStatement(s)} — does not cover the trail's ${logsOnly ? 'digest files' : 'keys'}`)];
  return outcome('fail', `No statement lets ${CLOUDTRAIL} s3:PutObject on ${where}…${logsOnly ? ' for digest files (log files are covered)' : ''}.`, remedy, details);
}

/** Named-principal exception values that in fact cover whole accounts (`*`, `arn:aws:iam::111122223333:*`). */
function tooBroad(value: string): boolean {
  return value === '*' || /^arn:[^:]+:(iam|sts)::[^:]*:\*$/.test(value) || /^\*?:?\*$/.test(value);
}

const PRINCIPAL_KEYS = new Set(['aws:principalarn', 'aws:userid', 'aws:username']);

/** Who a Deny still lets through, or undefined when the statement does not surely deny everyone. */
function guard(s: PolicyStatement): { except: string[] } | undefined {
  if (s.effect !== 'Deny') return undefined;
  if (s.notPrincipal) {
    if (s.condition) return undefined;
    return { except: s.notPrincipal.entries.map((e) => e.value) };
  }
  if (!appliesToAnyone(s)) return undefined;
  const conditions = conditionKeys(s);
  if (conditions.length === 0) return { except: [] };
  const except: string[] = [];
  for (const c of conditions) {
    const op = baseOperator(c.operator);
    if (!PRINCIPAL_KEYS.has(c.key.toLowerCase()) || !/^(stringnotequals|stringnotlike|arnnotequals|arnnotlike)$/.test(op)) return undefined;
    if (c.values.some(tooBroad)) return undefined;
    except.push(...c.values);
  }
  return { except };
}

/** `bucket.policyDeleteProtection`. */
export function deleteProtectionOutcome(policy: PolicyDocument | undefined, trail: TrailSummary): Outcome {
  const remedy = `Add a bucket policy statement that denies s3:DeleteObject and s3:DeleteObjectVersion on ${keyPrefix(trail)}AWSLogs/* to everyone except named log administrators (Principal "*" with an ArnNotLike aws:PrincipalArn exception).`;
  if (!policy) return outcome('warn', 'The bucket has no bucket policy, so nothing there denies deletes; only IAM policies decide who may delete logs.', remedy);
  const sets = logObjectSets(trail, organizationIdsIn(allResources(policy)));
  const open = policy.statements.find((s) => s.effect === 'Allow' && appliesToAnyone(s) && !s.condition && DELETE_ACTIONS.some((a) => sets.some((set) => set.arns.some((arn) => coversAction(s, a) && coversResource(s, arn, 'broad')))));
  if (open) return outcome('fail', `${describeStatement(open)} — lets anyone delete the logs.`, 'Remove this statement: no public principal should be allowed to delete objects in a log bucket.');
  let best: { covered: string[]; statements: PolicyStatement[]; except: string[] } = { covered: [], statements: [], except: [] };
  for (const set of sets) {
    const covered: string[] = [];
    const statements: PolicyStatement[] = [];
    const except: string[] = [];
    for (const action of DELETE_ACTIONS) {
      const denying = policy.statements.find((s) => guard(s) !== undefined && coversAction(s, action) && set.arns.every((arn) => coversResource(s, arn, 'narrow')));
      if (denying) {
        covered.push(action);
        if (!statements.includes(denying)) statements.push(denying);
        except.push(...(guard(denying)?.except ?? []));
      }
    }
    if (covered.length > best.covered.length) best = { covered, statements, except };
  }
  const quoted = best.statements.map(describeStatement).join('; ');
  if (best.covered.length === DELETE_ACTIONS.length) {
    return outcome('pass', best.except.length === 0 ? `${quoted} — deletes denied to everyone.` : `${quoted} — deletes denied to everyone except ${[...new Set(best.except)].join(', ')}.`);
  }
  if (best.covered.length > 0) {
    const missing = DELETE_ACTIONS.filter((a) => !best.covered.includes(a)).join(', ');
    return outcome('warn', `${quoted} — but ${missing} is not denied, so ${missing === 's3:DeleteObjectVersion' ? 'versions can still be deleted for good' : 'current objects can still be deleted'}.`, remedy);
  }
  const conditional = policy.statements.filter((s) => s.effect === 'Deny' && DELETE_ACTIONS.some((a) => coversAction(s, a)));
  return outcome(
    'warn',
    conditional.length > 0 ? `No statement denies deletes to everyone; ${conditional.map(describeStatement).join('; ')} — only under conditions or for some principals.` : 'No bucket policy statement denies s3:DeleteObject or s3:DeleteObjectVersion.',
    remedy,
  );
}

/** Allow statements open to everyone without a condition (any action): they make a bucket public. */
export function publicStatements(policy: PolicyDocument): PolicyStatement[] {
  return policy.statements.filter((s) => s.effect === 'Allow' && appliesToAnyone(s) && !s.condition);
}

/**
 * A Deny for everyone of every S3 action (s3:* or *) over the bucket and its objects under
 * `aws:SecureTransport` false (Bool or BoolIfExists). Anything narrower leaves plain-HTTP requests
 * possible for some actions and is named, not credited.
 */
export function tlsOnlyOutcome(policy: PolicyDocument | undefined, trail: TrailSummary): Outcome {
  const bucket = bucketArn(trail);
  const remedy = `Add a bucket policy statement: {"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["${bucket}","${bucket}/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}.`;
  if (!policy) return outcome('warn', 'The bucket has no bucket policy, so nothing denies requests made without TLS.', remedy);
  const insecure = (s: PolicyStatement): boolean => conditionKeys(s).some((c) => c.key.toLowerCase() === 'aws:securetransport' && /^bool(ifexists)?$/i.test(c.operator) && c.values.some((v) => v.toLowerCase() === 'false'));
  const candidates = policy.statements.filter((s) => s.effect === 'Deny' && (appliesToAnyone(s) || s.notPrincipal !== undefined) && insecure(s));
  const full = candidates.find((s) => coversAction(s, 's3:GetObject') && coversAction(s, 's3:PutObject') && coversAction(s, 's3:DeleteObject') && coversAction(s, 's3:ListBucket') && coversResource(s, bucket, 'narrow') && coversResource(s, `${bucket}/AWSLogs/x`, 'narrow'));
  if (full) return outcome('pass', `${describeStatement(full)} — requests without TLS are denied.`);
  if (candidates.length > 0) return outcome('warn', `${candidates.map(describeStatement).join('; ')} — denies requests without TLS only for some actions or resources.`, remedy);
  return outcome('warn', 'No bucket policy statement denies requests made without TLS (aws:SecureTransport false).', remedy);
}
