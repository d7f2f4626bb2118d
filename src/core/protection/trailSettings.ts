// Checks of the trail's own settings (DescribeTrails) and status (GetTrailStatus).
import type { TrailStatusInfo, TrailSummary } from '../aws/trailApi';
import { age, isoTime, outcome, type Outcome } from './outcome';

/** A digest is written every hour, even for an idle account; two hours allows for delivery delay. */
export const DIGEST_LATE_AFTER_MS = 2 * 3600_000;

/**
 * CloudTrail delivers log files within about 5 to 15 minutes of activity. An hour without a
 * delivery is unusual for an account with any activity, but not proof of a fault (an idle
 * account, or a single-region trail in a quiet region), so an older delivery warns, never fails.
 */
export const LOGS_QUIET_AFTER_MS = 3600_000;

function cli(trail: TrailSummary, command: string): string {
  return `aws cloudtrail ${command} --name ${trail.arn} --region ${trail.homeRegion}`;
}

export function loggingOutcome(trail: TrailSummary, status: TrailStatusInfo): Outcome {
  if (status.isLogging) return outcome('pass', `IsLogging true${status.startLoggingTime ? ` since ${isoTime(status.startLoggingTime)}` : ''}.`);
  return outcome(
    'fail',
    `IsLogging false${status.stopLoggingTime ? `; logging stopped at ${isoTime(status.stopLoggingTime)}` : ''}.`,
    `Start logging (${cli(trail, 'start-logging')}) and find out who called StopLogging.`,
  );
}

export function multiRegionOutcome(trail: TrailSummary): Outcome {
  const noGlobal = trail.includeGlobalServiceEvents === false;
  if (trail.isMultiRegion && !noGlobal) return outcome('pass', `IsMultiRegionTrail true (home region ${trail.homeRegion}).`);
  if (trail.isMultiRegion) {
    return outcome('warn', 'IsMultiRegionTrail true, but IncludeGlobalServiceEvents false: IAM, STS and CloudFront events are not recorded.', `Include global service events (${cli(trail, 'update-trail')} --include-global-service-events).`);
  }
  const global = noGlobal ? ', without global service events (IAM, STS, CloudFront)' : '';
  return outcome('warn', `IsMultiRegionTrail false: the trail records ${trail.homeRegion} only${global}.`, `Make the trail multi-region (${cli(trail, 'update-trail')} --is-multi-region-trail), unless another multi-region trail already covers every region.`);
}

export function validationOutcome(trail: TrailSummary): Outcome {
  if (trail.logFileValidationEnabled) return outcome('pass', 'LogFileValidationEnabled true.');
  return outcome('fail', 'LogFileValidationEnabled false: no digest files, so changed or deleted logs cannot be detected.', `Turn on log file validation (${cli(trail, 'update-trail')} --enable-log-file-validation).`);
}

export function digestDeliveryOutcome(trail: TrailSummary, status: TrailStatusInfo, now: Date): Outcome {
  if (!trail.logFileValidationEnabled) return outcome('info', 'Does not apply: log file validation is off, so no digest files are written.', 'Turn on log file validation first (see "Log file validation on").');
  if (status.latestDigestDeliveryError) {
    return outcome('fail', `LatestDigestDeliveryError: ${status.latestDigestDeliveryError}.`, 'Fix what the error names (bucket policy, bucket, KMS key) so digests are delivered again.');
  }
  const stopped = status.isLogging ? '' : ' (logging is off)';
  const last = status.latestDigestDeliveryTime;
  if (!last) {
    if (status.isLogging && status.startLoggingTime && now.getTime() - status.startLoggingTime.getTime() < DIGEST_LATE_AFTER_MS) {
      return outcome('info', `No digest yet; logging started at ${isoTime(status.startLoggingTime)} and the first digest is due within the hour.`);
    }
    return outcome('fail', `No digest delivered (LatestDigestDeliveryTime empty)${stopped}.`, 'Check that logging is on and the bucket policy lets CloudTrail write digest files (CloudTrail-Digest/).');
  }
  const ago = now.getTime() - last.getTime();
  if (ago <= DIGEST_LATE_AFTER_MS) return outcome('pass', `Latest digest delivered ${isoTime(last)} (${age(Math.max(0, ago))} ago).`);
  return outcome('fail', `Latest digest delivered ${isoTime(last)}, ${age(ago)} ago; one is due every hour${stopped}.`, status.isLogging ? 'Check the bucket policy and KMS key for digest files; CloudTrail writes one every hour even without activity.' : 'Start logging again; digests stop while logging is off.');
}

export function logDeliveryOutcome(status: TrailStatusInfo, now: Date): Outcome {
  if (status.latestDeliveryError) {
    return outcome('fail', `LatestDeliveryError: ${status.latestDeliveryError}.`, 'Fix what the error names (bucket policy, deleted bucket, KMS key policy); until then events are not delivered.');
  }
  const last = status.latestDeliveryTime;
  if (!status.isLogging) return outcome('warn', `Logging is off, so no logs arrive${last ? ` (latest log file delivered ${isoTime(last)}, ${age(Math.max(0, now.getTime() - last.getTime()))} ago)` : ''}.`, 'Start logging again (see "Logging on").');
  if (!last) return outcome('warn', 'No log file delivered yet (LatestDeliveryTime empty).', 'If the account has activity, check the bucket policy and the KMS key policy.');
  const ago = now.getTime() - last.getTime();
  if (ago <= LOGS_QUIET_AFTER_MS) return outcome('pass', `Latest log file delivered ${isoTime(last)} (${age(Math.max(0, ago))} ago).`);
  return outcome(
    'warn',
    `Latest log file delivered ${isoTime(last)}, ${age(ago)} ago; CloudTrail delivers within about 15 minutes of activity, so either nothing happened since or delivery stopped.`,
    'If there was activity since, check the bucket policy and the KMS key policy.',
  );
}

export function kmsOutcome(trail: TrailSummary): Outcome {
  if (trail.kmsKeyId) return outcome('pass', `KmsKeyId ${trail.kmsKeyId}.`);
  return outcome('warn', 'No KmsKeyId: log files are encrypted with SSE-S3 only, so S3 read access alone is enough to read them.', 'Encrypt the trail with a KMS key whose policy lets only log readers decrypt (update-trail --kms-key-id).');
}

/** `status` (when it could be read) adds the delivery errors GetTrailStatus reports. */
export function snsOutcome(trail: TrailSummary, status?: TrailStatusInfo): Outcome {
  if (trail.snsTopicArn && status?.latestNotificationError) {
    return outcome('fail', `SnsTopicARN ${trail.snsTopicArn}, but LatestNotificationError: ${status.latestNotificationError}: the notifications are not delivered.`, "Check the topic's access policy: it must let cloudtrail.amazonaws.com call sns:Publish (with aws:SourceArn of this trail).");
  }
  if (trail.snsTopicArn) return outcome('pass', `SnsTopicARN ${trail.snsTopicArn}.`);
  return outcome('warn', 'No SNS topic: nobody is notified when log files are delivered, or when deliveries stop.', 'Add an SNS topic (update-trail --sns-topic-name) and subscribe a monitor that alerts when notifications stop.');
}

export function cloudWatchLogsOutcome(trail: TrailSummary, status?: TrailStatusInfo): Outcome {
  if (trail.cloudWatchLogsLogGroupArn && status?.latestCloudWatchLogsDeliveryError) {
    return outcome('fail', `CloudWatchLogsLogGroupArn ${trail.cloudWatchLogsLogGroupArn}, but LatestCloudWatchLogsDeliveryError: ${status.latestCloudWatchLogsDeliveryError}: events do not reach the log group, so its alarms see nothing.`, 'Check the role in CloudWatchLogsRoleArn: CloudTrail must be able to call logs:CreateLogStream and logs:PutLogEvents on the log group.');
  }
  if (trail.cloudWatchLogsLogGroupArn) return outcome('pass', `CloudWatchLogsLogGroupArn ${trail.cloudWatchLogsLogGroupArn}.`);
  return outcome('warn', 'No CloudWatch Logs log group: no second copy and no metric alarms on events such as StopLogging.', 'Send the trail to a CloudWatch Logs log group (update-trail --cloud-watch-logs-log-group-arn … --cloud-watch-logs-role-arn …) and alarm on StopLogging, DeleteTrail and UpdateTrail.');
}

export function insightsOutcome(types: string[]): Outcome {
  const all = ['ApiCallRateInsight', 'ApiErrorRateInsight'];
  const missing = all.filter((t) => !types.includes(t));
  const remedy = `Turn on CloudTrail Insights (aws cloudtrail put-insight-selectors --trail-name <trail> --insight-selectors '${JSON.stringify(all.map((t) => ({ InsightType: t })))}'); it is billed per event analysed.`;
  if (types.length === 0) return outcome('warn', 'No Insights selectors: unusual rates of API calls or errors are not flagged.', remedy);
  if (missing.length > 0) return outcome('warn', `Insights on for ${types.join(', ')}; ${missing.join(', ')} off.`, remedy);
  return outcome('pass', `Insights on for ${types.join(', ')}.`);
}
