// Checks of single bucket settings: versioning, MFA delete, Object Lock, default encryption, access logging.
import { days, outcome, type Outcome } from './outcome';
import type { BucketLogging, BucketVersioning, EncryptionRule, ObjectLockInfo } from './protectionReader';

export function accessLoggingOutcome(bucket: string, logging: BucketLogging | undefined): Outcome {
  const remedy = `Turn on server access logging into another bucket (aws s3api put-bucket-logging --bucket ${bucket} --bucket-logging-status '{"LoggingEnabled":{"TargetBucket":"<access-log bucket>","TargetPrefix":"${bucket}/"}}').`;
  if (!logging) return outcome('warn', 'Server access logging is off: reads of the log files leave no record outside CloudTrail data events.', remedy);
  if (logging.targetBucket === bucket) return outcome('warn', `Server access logs go into the log bucket itself (prefix "${logging.targetPrefix ?? ''}"): whoever can delete the logs can delete the record of it too, and each log write makes another object.`, remedy);
  return outcome('pass', `Server access logs go to s3://${logging.targetBucket}/${logging.targetPrefix ?? ''}.`);
}

export function versioningOutcome(bucket: string, v: BucketVersioning): Outcome {
  const remedy = `Turn on versioning (aws s3api put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled).`;
  if (v.status === 'Enabled') return outcome('pass', 'Versioning Status Enabled.');
  if (v.status === 'Suspended') return outcome('fail', 'Versioning Status Suspended: new deletes and overwrites destroy log files for good.', remedy);
  return outcome('fail', 'Versioning was never enabled: a deleted or overwritten log file cannot be recovered.', remedy);
}

export function mfaDeleteOutcome(v: BucketVersioning): Outcome {
  if (v.mfaDelete === 'Enabled') return outcome('pass', 'MFADelete Enabled.');
  const state = v.mfaDelete === 'Disabled' ? 'MFADelete Disabled' : 'MFADelete not configured';
  return outcome('warn', `${state}: log versions can be deleted, and versioning suspended, without the root user's MFA.`, "As the root user with its MFA device, enable MFA delete (put-bucket-versioning with MFADelete=Enabled and --mfa).");
}

export function objectLockOutcome(lock: ObjectLockInfo | undefined): Outcome {
  const remedy = 'Use a bucket with Object Lock and a COMPLIANCE default retention for the logs (Object Lock can be turned on for an existing versioned bucket).';
  if (!lock || !lock.enabled) return outcome('warn', 'Object Lock is not enabled: nothing stops a log version being deleted before its time.', remedy);
  const period = lock.years !== undefined ? `${lock.years} year${lock.years === 1 ? '' : 's'}` : lock.days !== undefined ? days(lock.days) : undefined;
  if (!lock.mode || !period) return outcome('warn', 'Object Lock enabled, but no default retention: CloudTrail\'s objects are not locked unless each upload sets a retention, which CloudTrail does not.', 'Set a default retention (put-object-lock-configuration with Mode COMPLIANCE and Days or Years).');
  if (lock.mode === 'COMPLIANCE') return outcome('pass', `Object Lock enabled, default retention COMPLIANCE ${period}.`);
  return outcome('warn', `Object Lock enabled, default retention ${lock.mode} ${period}: anyone with s3:BypassGovernanceRetention can still delete locked versions.`, 'Use COMPLIANCE mode, or restrict s3:BypassGovernanceRetention to a break-glass role.');
}

export function encryptionOutcome(rules: EncryptionRule[] | undefined): Outcome {
  const remedy = 'Set default encryption on the bucket (SSE-KMS with a customer managed key, or at least SSE-S3).';
  const rule = rules?.find((r) => r.algorithm);
  if (!rule) return outcome('warn', 'No default encryption rule configured on the bucket.', remedy);
  const key = rule.kmsKeyId ? ` with key ${rule.kmsKeyId}` : '';
  return outcome('pass', `Default encryption ${rule.algorithm}${key}${rule.bucketKeyEnabled ? ', bucket key on' : ''}.`);
}

export function aclsDisabledOutcome(bucket: string, ownership: string | undefined): Outcome {
  const remedy = `Disable ACLs (aws s3api put-bucket-ownership-controls --bucket ${bucket} --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'); CloudTrail's bucket-owner-full-control uploads keep working.`;
  if (ownership === 'BucketOwnerEnforced') return outcome('pass', 'Object Ownership BucketOwnerEnforced: ACLs are disabled.');
  if (!ownership) return outcome('warn', 'No Object Ownership setting: ACLs are in force (the bucket predates April 2023, or they were turned back on), so a grant on the bucket or an object can open logs outside the bucket policy.', remedy);
  return outcome('warn', `Object Ownership ${ownership}: ACLs are in force, so a grant on the bucket or an object can open logs outside the bucket policy.`, remedy);
}
