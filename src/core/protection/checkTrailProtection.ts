// Runs every protection check of one trail with read-only calls and returns a plain report.
import type { TrailSummary } from '../aws/trailApi';
import { trailAccount } from '../aws/trailCatalog';
import { deleteProtectionOutcome, cloudTrailWriteOutcome, tlsOnlyOutcome } from './bucketPolicy';
import { accessLoggingOutcome, aclsDisabledOutcome, encryptionOutcome, mfaDeleteOutcome, objectLockOutcome, versioningOutcome } from './bucketSettings';
import { CHECKS } from './catalogue';
import { describeGrant, findGrants, type GrantTarget } from './iamGrants';
import { keyAccount, keyPolicyOutcome, keyRegion, keyStateOutcome } from './kmsKey';
import { lifecycleOutcome } from './lifecycle';
import { logObjectSets } from './logObjects';
import { managementEventsOutcome, s3DataEventsOutcome } from './managementEvents';
import { outcome, type Outcome } from './outcome';
import { parsePolicy, type PolicyDocument } from './policyDocument';
import type { AuthorizationDetails, ProtectionReader } from './protectionReader';
import { publicAccessOutcome } from './publicAccess';
import { attempt, couldNotCheck, type Read } from './read';
import { countResults } from './summary';
import { cloudWatchLogsOutcome, digestDeliveryOutcome, insightsOutcome, kmsOutcome, logDeliveryOutcome, loggingOutcome, multiRegionOutcome, snsOutcome, validationOutcome } from './trailSettings';
import { describeOwnership, trailOwnership } from './ownership';
import type { AccountPublicAccessBlock } from './protectionReader';
import type { CheckId, ProtectionReport, TrailOwnership } from './types';

/** One year: the least most standards ask for (PCI DSS keeps 12 months); pass your own. */
export const DEFAULT_RETENTION_DAYS = 365;

export interface ProtectionInput {
  /** The trail, as DescribeTrails (listTrails) returned it. */
  trail: TrailSummary;
  /** Makes the read-only calls; one reader per run shares bucket and IAM reads between trails. */
  reader: ProtectionReader;
  /** How long logs must be kept, in days (e.g. 2557 for 7 years); default DEFAULT_RETENTION_DAYS. */
  retentionDays?: number;
  /** The time to judge delivery ages against; default now. */
  now?: Date;
  /** Cancels the run: the promise then rejects with an AbortError. */
  signal?: AbortSignal;
}

type Outcomes = Partial<Record<CheckId, Outcome>>;

const BUCKET_CHECKS = CHECKS.filter((c) => c.scope === 'bucket').map((c) => c.id);

function fromRead<T>(read: Read<T>, what: string, judge: (value: T) => Outcome): Outcome {
  return read.ok ? judge(read.value) : couldNotCheck(read, what);
}

function parsedPolicy(read: Read<string | undefined>): Read<PolicyDocument | undefined> | { ok: 'invalid'; message: string } {
  if (!read.ok) return read;
  if (read.value === undefined) return { ok: true, value: undefined };
  try {
    return { ok: true, value: parsePolicy(read.value) };
  } catch (error) {
    return { ok: 'invalid', message: error instanceof Error ? error.message : String(error) };
  }
}

async function bucketOutcomes(input: ProtectionInput, bucket: string, region: string): Promise<Outcomes> {
  const { reader, trail, signal } = input;
  const target = `s3://${bucket}`;
  const run = <T>(call: Parameters<typeof attempt>[0], fn: () => Promise<T>) => attempt(call, target, reader.profile, fn, signal);
  const loggingRead = run('GetBucketLogging', () => reader.getBucketLogging(bucket, region, signal));
  const ownershipRead = run('GetBucketOwnershipControls', () => reader.getOwnershipControls(bucket, region, signal));
  const policyStatusRead = run('GetBucketPolicyStatus', () => reader.getBucketPolicyStatus(bucket, region, signal));
  const [pab, account, policyText, acl, versioning, lock, lifecycle, encryption] = await Promise.all([
    run('GetPublicAccessBlock', () => reader.getPublicAccessBlock(bucket, region, signal)),
    run('GetAccountPublicAccessBlock', () => reader.getAccountPublicAccessBlock(bucket, region, signal)),
    run('GetBucketPolicy', () => reader.getBucketPolicy(bucket, region, signal)),
    run('GetBucketAcl', () => reader.getBucketAcl(bucket, region, signal)),
    run('GetBucketVersioning', () => reader.getBucketVersioning(bucket, region, signal)),
    run('GetObjectLockConfiguration', () => reader.getObjectLock(bucket, region, signal)),
    run('GetBucketLifecycleConfiguration', () => reader.getLifecycleRules(bucket, region, signal)),
    run('GetBucketEncryption', () => reader.getDefaultEncryption(bucket, region, signal)),
  ]);
  const logging = await loggingRead;
  const ownership = await ownershipRead;
  const policyStatus = await policyStatusRead;
  const policy = parsedPolicy(policyText);
  const out: Outcomes = {};
  if (policy.ok === 'invalid') {
    const invalid = { ...outcome('unknown', `The bucket policy could not be read as a policy: ${policy.message}.`, 'Check the bucket policy in the S3 console.'), message: policy.message };
    out['bucket.policyCloudTrailWrite'] = invalid;
    out['bucket.policyDeleteProtection'] = invalid;
    out['bucket.policyTlsOnly'] = invalid;
    out['bucket.publicAccessBlock'] = publicAccessOutcome({ bucket: pab, account, policy: { ok: true, value: undefined }, acl, policyStatus });
  } else {
    out['bucket.policyCloudTrailWrite'] = fromRead(policy, 'the bucket policy', (p) => cloudTrailWriteOutcome(p, trail));
    out['bucket.policyDeleteProtection'] = fromRead(policy, 'the bucket policy', (p) => deleteProtectionOutcome(p, trail));
    out['bucket.policyTlsOnly'] = fromRead(policy, 'the bucket policy', (p) => tlsOnlyOutcome(p, trail));
    out['bucket.publicAccessBlock'] = publicAccessOutcome({ bucket: pab, account, policy, acl, policyStatus });
  }
  out['bucket.versioning'] = fromRead(versioning, 'the versioning configuration', (v) => versioningOutcome(bucket, v));
  out['bucket.mfaDelete'] = fromRead(versioning, 'the versioning configuration', mfaDeleteOutcome);
  out['bucket.objectLock'] = fromRead(lock, 'the Object Lock configuration', objectLockOutcome);
  out['bucket.lifecycleRetention'] = fromRead(lifecycle, 'the lifecycle configuration', (rules) => lifecycleOutcome(rules, trail, input.retentionDays ?? DEFAULT_RETENTION_DAYS, input.now ?? new Date()));
  out['bucket.defaultEncryption'] = fromRead(encryption, 'the default encryption', encryptionOutcome);
  out['bucket.accessLogging'] = fromRead(logging, 'the server access logging', (l) => accessLoggingOutcome(bucket, l));
  out['bucket.aclsDisabled'] = fromRead(ownership, 'the Object Ownership setting', (o) => aclsDisabledOutcome(bucket, o));
  // A bucket outside the caller's account that denies its reads (an organization trail's bucket in a
  // log archive account): what could not be read there is not verifiable from here, not unknown.
  const foreign = account.ok && !account.value.bucketInAccount ? account.value : undefined;
  const denied = [pab, policyText, acl, versioning, lock, lifecycle, encryption, logging, ownership].some((r) => !r.ok && r.error.kind === 'access-denied');
  if (foreign && denied) {
    for (const id of BUCKET_CHECKS) {
      const o = out[id];
      if (o?.result === 'unknown') out[id] = notVerifiableBucket(bucket, foreign, o);
    }
  }
  return out;
}

function notVerifiableBucket(bucket: string, viewer: AccountPublicAccessBlock, o: Outcome): Outcome {
  return {
    result: 'not-verifiable',
    evidence: `s3://${bucket} is not in account ${viewer.account}, the account these checks run as, and its settings may not be read from here: not verifiable from this account.`,
    remedy: "Run the check with credentials of the bucket's owner (for an organization trail, usually the log archive account).",
    ...(o.permission ? { permission: o.permission } : {}),
    ...(o.message ? { message: o.message } : {}),
  };
}

/** A check that could not be read because the resource is another account's. */
function notVerifiable(what: string, account: string | undefined, viewer: string, o: Outcome): Outcome {
  const where = account ? `account ${account}` : 'another account';
  return {
    result: 'not-verifiable',
    evidence: `${what} is in ${where}; these checks run as account ${viewer}, which may not read it: not verifiable from this account.`,
    remedy: `Run the check with credentials of ${where}.`,
    ...(account ? { account } : {}),
    ...(o.permission ? { permission: o.permission } : {}),
    ...(o.message ? { message: o.message } : {}),
  };
}

async function kmsOutcomes(input: ProtectionInput, viewer: string | undefined): Promise<Outcomes> {
  const { trail, reader, signal } = input;
  const keyId = trail.kmsKeyId;
  if (!keyId) {
    const none = outcome('info', 'Does not apply: the trail has no KMS key (see "Logs encrypted with KMS").');
    return { 'trail.kmsKeyState': none, 'trail.kmsKeyPolicy': none };
  }
  const region = keyRegion(keyId, trail);
  const run = <T>(call: Parameters<typeof attempt>[0], fn: () => Promise<T>) => attempt(call, keyId, reader.profile, fn, signal);
  const [key, rotation, policyText] = await Promise.all([
    run('DescribeKey', () => reader.describeKey(keyId, region, signal)),
    run('GetKeyRotationStatus', () => reader.getKeyRotation(keyId, region, signal)),
    run('GetKeyPolicy', () => reader.getKeyPolicy(keyId, region, signal)),
  ]);
  const keyArn = key.ok ? key.value.arn : keyId;
  const out: Outcomes = {
    'trail.kmsKeyState': fromRead(key, 'the KMS key', (k) => keyStateOutcome(k, rotation.ok ? rotation : { ok: false, permission: rotation.permission })),
    'trail.kmsKeyPolicy': (() => {
      if (!policyText.ok) return couldNotCheck(policyText, 'the key policy');
      try {
        return keyPolicyOutcome(parsePolicy(policyText.value), trail, keyArn);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { ...outcome('unknown', `The key policy could not be read as a policy: ${message}.`, 'Check the key policy in the KMS console.'), message };
      }
    })(),
  };
  // A key of another account (an alias or bare id names one in the trail's account).
  const owner = keyAccount(keyArn) ?? trailAccount(trail.arn);
  if (viewer && owner && owner !== viewer) {
    for (const id of ['trail.kmsKeyState', 'trail.kmsKeyPolicy'] as const) {
      const read = id === 'trail.kmsKeyState' ? key : policyText;
      if (!read.ok && read.error.kind === 'access-denied') out[id] = notVerifiable(`The KMS key ${keyArn}`, owner, viewer, out[id]!);
    }
  }
  return out;
}

function allBucketChecks(o: Outcome): Outcomes {
  return Object.fromEntries(BUCKET_CHECKS.map((id) => [id, o]));
}

const SHORT: Record<string, string> = { 'cloudtrail:StopLogging': 'StopLogging', 'cloudtrail:DeleteTrail': 'DeleteTrail', 'cloudtrail:UpdateTrail': 'UpdateTrail', 's3:DeleteObject': 's3:DeleteObject', 's3:DeleteObjectVersion': 's3:DeleteObjectVersion' };

function accessOutcome(read: Read<AuthorizationDetails>, trail: TrailSummary, targets: GrantTarget[], what: string, remedy: string): Outcome {
  const actions = [...new Set(targets.map((t) => SHORT[t.action] ?? t.action))].join(', ');
  if (!read.ok) {
    const denied = read.error.kind === 'access-denied';
    return {
      ...outcome('info', `Could not read IAM to list who ${what}: ${denied ? `${read.call} was denied (needs ${read.permission})` : read.error.message}.`, `Grant ${read.permission} (it is in the SecurityAudit managed policy) to list them.`),
      permission: read.permission,
      message: read.error.message,
    };
  }
  const { grants, notes } = findGrants(read.value, targets);
  const account = read.value.account ?? trailAccount(trail.arn) ?? 'the account';
  const otherAccount = read.value.account && trailAccount(trail.arn) && read.value.account !== trailAccount(trail.arn) ? ` (IAM of account ${read.value.account}; the trail is in account ${trailAccount(trail.arn)})` : '';
  const caveat = 'From identity policies only: SCPs, resource policies, session policies, conditions and other accounts are not evaluated; the root user can always do this.';
  const details = [...grants.map(describeGrant), ...notes.map((n) => `not read: ${n}`), caveat];
  if (grants.length === 0) return outcome('info', `No IAM user or role in account ${account} has an identity policy allowing ${actions} here${otherAccount}.`, undefined, details);
  const shown = grants.slice(0, 5).map((g) => g.principal).join(', ');
  const more = grants.length > 5 ? ` and ${grants.length - 5} more` : '';
  return outcome('info', `${grants.length} principal${grants.length === 1 ? '' : 's'} may ${what.replace(/^can /, '')} (${actions}): ${shown}${more}${otherAccount}.`, remedy, details);
}

/**
 * Checks one trail. Makes only read-only calls. A setting that cannot be read gives `unknown`
 * with the permission it needed; the report always has one check per catalogue entry.
 */
export async function checkTrailProtection(input: ProtectionInput): Promise<ProtectionReport> {
  const { trail, reader, signal } = input;
  const now = input.now ?? new Date();
  const retentionDays = input.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const bucket = trail.s3BucketName;
  const [status, selectors, location, iam, insights, caller] = await Promise.all([
    attempt('GetTrailStatus', trail.arn, reader.profile, () => reader.getTrailStatus(trail, signal), signal),
    attempt('GetEventSelectors', trail.arn, reader.profile, () => reader.getEventSelectors(trail, signal), signal),
    bucket ? attempt('GetBucketLocation', `s3://${bucket}`, reader.profile, () => reader.bucketRegion(bucket, trail.homeRegion, signal), signal) : undefined,
    attempt('GetAccountAuthorizationDetails', 'the account', reader.profile, () => reader.getAuthorizationDetails(signal), signal),
    attempt('GetInsightSelectors', trail.arn, reader.profile, () => reader.getInsightSelectors(trail, signal), signal),
    attempt('GetCallerIdentity', 'the caller', reader.profile, () => reader.callerAccount(trail.homeRegion, signal), signal),
  ]);
  const viewer = caller.ok && caller.value ? caller.value : undefined;
  const owner = trailAccount(trail.arn);
  const delegated = trail.isOrganizationTrail && viewer && owner && viewer !== owner ? await attempt('ListDelegatedAdministrators', 'the organization', reader.profile, () => reader.getDelegatedAdministrators(signal), signal) : undefined;
  const ownership: TrailOwnership = trailOwnership(trail, viewer, delegated?.ok ? delegated.value : undefined);

  const out: Outcomes = {
    'trail.logging': fromRead(status, 'the trail status', (s) => loggingOutcome(trail, s)),
    'trail.multiRegion': multiRegionOutcome(trail),
    'trail.logFileValidation': validationOutcome(trail),
    'trail.digestDelivery': fromRead(status, 'the trail status', (s) => digestDeliveryOutcome(trail, s, now)),
    'trail.logDelivery': fromRead(status, 'the trail status', (s) => logDeliveryOutcome(s, now)),
    'trail.managementEvents': fromRead(selectors, 'the event selectors', managementEventsOutcome),
    'trail.s3DataEvents': fromRead(selectors, 'the event selectors', s3DataEventsOutcome),
    'trail.kmsEncryption': kmsOutcome(trail),
    'trail.snsNotification': snsOutcome(trail, status.ok ? status.value : undefined),
    'trail.cloudWatchLogs': cloudWatchLogsOutcome(trail, status.ok ? status.value : undefined),
    'trail.insights': fromRead(insights, 'the Insights selectors', insightsOutcome),
    ...(await kmsOutcomes(input, viewer)),
  };
  // A trail of another account (an organization trail seen from a member) whose settings it may not read.
  if (viewer && owner && owner !== viewer) {
    for (const c of CHECKS) {
      const o = out[c.id];
      if (c.scope === 'trail' && o?.result === 'unknown' && o.failure === 'access-denied') out[c.id] = notVerifiable(`The trail ${trail.name}`, owner, viewer, o);
    }
  }

  let bucketRegion: string | undefined;
  if (!bucket) {
    Object.assign(out, allBucketChecks({ ...outcome('unknown', 'DescribeTrails gave no S3 bucket for this trail (a trail shared from another account hides it).', 'Run the check with credentials of the account that owns the trail.') }));
  } else if (location && !location.ok && location.error.kind === 'not-found') {
    Object.assign(
      out,
      allBucketChecks(outcome('fail', `s3://${bucket} does not exist: CloudTrail cannot deliver, and whoever creates a bucket with that name receives the logs.`, 'Create the bucket in your account with the CloudTrail bucket policy, or point the trail at an existing bucket.')),
    );
  } else {
    // When the region cannot be read, ask in the trail's region; a wrong guess shows as "could not check".
    bucketRegion = location?.ok ? location.value : undefined;
    Object.assign(out, await bucketOutcomes(input, bucket, bucketRegion ?? trail.homeRegion));
  }

  const logArn = logObjectSets(trail)[0].arns[0];
  out['access.trailTampering'] = accessOutcome(
    iam,
    trail,
    ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail'].map((action) => ({ action, resource: trail.arn })),
    'can stop, delete or change the trail',
    'Keep this list to a few administrators, and alarm on StopLogging, DeleteTrail and UpdateTrail events.',
  );
  // A member account cannot stop or change an organization trail: who can is decided by the management
  // account's IAM (and that of CloudTrail delegated administrators), which a member may not read.
  if (ownership.kind === 'organization-member' || ownership.kind === 'other-account') {
    out['access.trailTampering'] = {
      result: 'not-verifiable',
      evidence: `${describeOwnership(ownership)} Who may stop, delete or change it is decided by IAM in account ${owner}${ownership.kind === 'organization-member' ? ' and in any CloudTrail delegated administrator account' : ''}, not readable from here: not verifiable from this account.`,
      remedy: `Run the check with credentials of account ${owner}.`,
      ...(owner ? { account: owner } : {}),
    };
  }
  out['access.logDeletion'] = accessOutcome(
    iam,
    trail,
    ['s3:DeleteObject', 's3:DeleteObjectVersion'].map((action) => ({ action, resource: logArn })),
    'can delete log files',
    'Remove delete rights on the log bucket from everyone who does not administer it, or deny them in the bucket policy.',
  );

  const checks = CHECKS.map((c) => {
    const { failure: _failure, ...o } = out[c.id] ?? outcome('unknown', 'This check did not run.');
    return { id: c.id, scope: c.scope, title: c.title, ...o };
  });
  return {
    trail: { name: trail.name, arn: trail.arn, homeRegion: trail.homeRegion, isMultiRegion: trail.isMultiRegion, isOrganizationTrail: trail.isOrganizationTrail, s3BucketName: trail.s3BucketName, s3KeyPrefix: trail.s3KeyPrefix },
    ownership,
    region: trail.homeRegion,
    bucketRegion,
    checkedAt: now.toISOString(),
    retentionDays,
    checks,
    summary: countResults(checks),
  };
}
