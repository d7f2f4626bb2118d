// Recent tampering with a trail, found with LookupEvents (management events of the trail's home
// region, the last 7 days by default): the calls that stop, delete or narrow the trail, open or
// shorten its bucket, or disable its KMS key, kept when they name this trail, its bucket or its key.
import type { RateLimiter } from '../aws/rateLimiter';
import { searchEvents } from '../aws/searchEvents';
import type { TrailApi, TrailSummary } from '../aws/trailApi';
import type { CloudTrailRecord } from '../events/records';

/** Event names looked up, and what each does to the trail. */
export const TAMPERING_EVENTS: Record<string, string> = {
  StopLogging: 'stops the trail',
  DeleteTrail: 'deletes the trail',
  UpdateTrail: 'changes the trail (bucket, regions, validation, log group)',
  PutEventSelectors: 'changes which events the trail records',
  PutBucketPolicy: "changes the log bucket's policy",
  DeleteBucketPolicy: "deletes the log bucket's policy",
  PutBucketLifecycle: "changes when the log bucket's objects expire",
  PutBucketAcl: "changes the log bucket's ACL",
  PutBucketPublicAccessBlock: "changes the log bucket's public access block",
  DeleteBucketPublicAccessBlock: "removes the log bucket's public access block",
  ScheduleKeyDeletion: "schedules the deletion of the trail's KMS key",
  DisableKey: "disables the trail's KMS key",
};

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Whether the call names this trail, its bucket or its KMS key. */
export function concernsTrail(record: CloudTrailRecord, trail: TrailSummary): boolean {
  const p = (record.requestParameters ?? {}) as Record<string, unknown>;
  const source = text(record.eventSource) ?? '';
  if (source.startsWith('cloudtrail.')) {
    const name = text(p.name) ?? text(p.trailName);
    return name !== undefined && (name === trail.name || name === trail.arn || name.endsWith(`:trail/${trail.name}`));
  }
  if (source.startsWith('s3.')) return trail.s3BucketName !== undefined && text(p.bucketName) === trail.s3BucketName;
  if (source.startsWith('kms.')) {
    const key = text(p.keyId);
    const own = trail.kmsKeyId;
    return key !== undefined && own !== undefined && (key === own || own.endsWith(`/${key}`) || key.endsWith(`/${own.split('/').pop()}`));
  }
  return false;
}

/** The tampering events of the last `days`, newest first; each event name is one LookupEvents query. */
export async function recentTampering(api: TrailApi, trail: TrailSummary, options: { limiter: RateLimiter; now?: Date; days?: number; signal?: AbortSignal }): Promise<CloudTrailRecord[]> {
  const end = options.now ?? new Date();
  const start = new Date(end.getTime() - (options.days ?? 7) * 86_400_000);
  const found: CloudTrailRecord[] = [];
  for (const name of Object.keys(TAMPERING_EVENTS)) {
    const result = await searchEvents(api, { attribute: { key: 'EventName', value: name }, startTime: start, endTime: end, maxEvents: 50 }, { limiter: options.limiter, signal: options.signal });
    for (const r of result.records) if (concernsTrail(r, trail)) found.push(r);
  }
  return found.sort((a, b) => String(b.eventTime).localeCompare(String(a.eventTime)));
}
