import { parseArn } from './arn';
import { parseCloudTrailTime, type CloudTrailRecord, type UserIdentity } from './records';

/** Who made a call, as the lenses and hovers name it. */
export interface Caller {
  /** Stable key that groups a caller's events: the ARN when there is one. */
  key: string;
  /** Short name: `alice`, `AdminRole/alice`, `root`, `ec2.amazonaws.com`. */
  label: string;
  /** userIdentity.type (`Insight` for Insights records, which have no identity). */
  type: string;
}

function lastSegment(value: string): string {
  const i = Math.max(value.lastIndexOf('/'), value.lastIndexOf(':'));
  return i >= 0 ? value.slice(i + 1) : value;
}

export function callerOf(record: CloudTrailRecord): Caller {
  const id: UserIdentity | undefined = typeof record.userIdentity === 'object' && record.userIdentity !== null ? record.userIdentity : undefined;
  if (!id) {
    if (record.insightDetails) {
      return { key: 'insight', label: 'CloudTrail Insights', type: 'Insight' };
    }
    return { key: 'unknown', label: 'unknown caller', type: 'Unknown' };
  }
  const arn = typeof id.arn === 'string' && id.arn !== '' ? id.arn : undefined;
  if (typeof id.type !== 'string') {
    // Some service calls carry only accountId and invokedBy.
    const label = id.invokedBy ?? (arn ? lastSegment(arn) : (id.principalId ?? id.accountId ?? 'unknown caller'));
    return { key: id.invokedBy ? `invoked-by:${id.invokedBy}` : (arn ?? `principal:${id.principalId ?? id.accountId ?? ''}`), label, type: 'no type' };
  }
  const type = id.type;
  switch (type) {
    case 'AWSService':
      return { key: `service:${id.invokedBy ?? 'unknown'}`, label: id.invokedBy ?? 'AWS service', type };
    case 'Root':
      return { key: arn ?? `root:${id.accountId ?? ''}`, label: 'root', type };
    case 'AssumedRole': {
      const parsed = arn ? parseArn(arn) : undefined;
      // arn:aws:sts::123456789012:assumed-role/RoleName/session-name
      const label = parsed?.resourceType === 'assumed-role' ? parsed.resourceId : (id.sessionContext?.sessionIssuer?.userName ?? id.principalId ?? 'assumed role');
      return { key: arn ?? `principal:${id.principalId ?? ''}`, label, type };
    }
    case 'IdentityCenterUser': {
      const userId = id.onBehalfOf?.userId;
      return { key: userId ? `identity-center:${userId}` : (arn ?? `principal:${id.principalId ?? ''}`), label: id.userName ?? userId ?? 'Identity Center user', type };
    }
    case 'AWSAccount':
      return { key: `account:${id.accountId ?? id.principalId ?? ''}`, label: id.accountId ?? id.principalId ?? 'AWS account', type };
    default: {
      const label = id.userName && id.userName !== 'HIDDEN_DUE_TO_SECURITY_REASONS' ? id.userName : arn ? lastSegment(arn) : (id.principalId ?? id.userName ?? type);
      return { key: arn ?? `principal:${id.principalId ?? id.userName ?? type}`, label, type };
    }
  }
}

/** Whether the call's session was MFA-authenticated; undefined when the record does not say. */
export function mfaOf(record: CloudTrailRecord): boolean | undefined {
  const value = record.userIdentity?.sessionContext?.attributes?.mfaAuthenticated;
  if (value === 'true') return true;
  if (value === 'false') return false;
  const used = (record.additionalEventData as { MFAUsed?: unknown } | undefined)?.MFAUsed;
  if (used === 'Yes') return true;
  if (used === 'No') return false;
  return undefined;
}

export type AccessKeyKind = 'long-term' | 'temporary' | 'other';

/** AKIA… keys are long-term IAM user (or root) keys; ASIA… keys are temporary STS credentials. */
export function accessKeyKind(accessKeyId: string): { kind: AccessKeyKind; text: string } {
  if (accessKeyId.startsWith('AKIA')) {
    return { kind: 'long-term', text: 'long-term access key (AKIA): an IAM user or root key that stays valid until rotated or deleted' };
  }
  if (accessKeyId.startsWith('ASIA')) {
    return { kind: 'temporary', text: 'temporary credentials (ASIA) issued by AWS STS: a role session, a federated or console session' };
  }
  if (accessKeyId.startsWith('ABIA')) {
    return { kind: 'other', text: 'an AWS STS service bearer token (ABIA)' };
  }
  if (accessKeyId.startsWith('ACCA')) {
    return { kind: 'other', text: 'a context-specific credential (ACCA)' };
  }
  return { kind: 'other', text: 'an access key id of an unknown kind' };
}

/** Age of the session when the event happened, from sessionContext.attributes.creationDate. */
export function sessionAgeMs(record: CloudTrailRecord): number | undefined {
  const created = parseCloudTrailTime(record.userIdentity?.sessionContext?.attributes?.creationDate);
  const at = parseCloudTrailTime(record.eventTime);
  return Number.isNaN(created) || Number.isNaN(at) ? undefined : at - created;
}

/** `3 h 12 min`, `45 s`, `2 d 4 h`. */
export function formatDuration(ms: number): string {
  const negative = ms < 0;
  let s = Math.round(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts = d > 0 ? [`${d} d`, h > 0 ? `${h} h` : ''] : h > 0 ? [`${h} h`, m > 0 ? `${m} min` : ''] : m > 0 ? [`${m} min`, s > 0 ? `${s} s` : ''] : [`${s} s`];
  return (negative ? '-' : '') + parts.filter(Boolean).join(' ');
}
