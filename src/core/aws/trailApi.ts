import { DescribeTrailsCommand, GetTrailStatusCommand, ListPublicKeysCommand, LookupEventsCommand, type CloudTrailClient, type LookupAttributeKey } from '@aws-sdk/client-cloudtrail';

/** A CloudTrail public key for digest signatures (ListPublicKeys). */
export interface PublicKey {
  /** DER bytes: PKCS#1 RSAPublicKey, or SubjectPublicKeyInfo. */
  value: Buffer;
  fingerprint: string;
  validityStart: Date;
  validityEnd: Date;
}

export interface TrailSummary {
  name: string;
  arn: string;
  homeRegion: string;
  isMultiRegion: boolean;
  isOrganizationTrail: boolean;
  s3BucketName?: string;
  s3KeyPrefix?: string;
  logFileValidationEnabled: boolean;
  kmsKeyId?: string;
  snsTopicArn?: string;
  cloudWatchLogsLogGroupArn?: string;
  includeGlobalServiceEvents?: boolean;
  hasCustomEventSelectors?: boolean;
  /** DescribeTrails' HasInsightSelectors (GetInsightSelectors says which). */
  hasInsightSelectors?: boolean;
  /** Regions besides the home region whose DescribeTrails also listed the trail (shadow trails); set by listTrails. */
  shadowRegions?: string[];
}

export interface TrailStatusInfo {
  isLogging: boolean;
  latestDeliveryTime?: Date;
  latestDeliveryError?: string;
  latestDigestDeliveryTime?: Date;
  latestDigestDeliveryError?: string;
  latestCloudWatchLogsDeliveryTime?: Date;
  latestCloudWatchLogsDeliveryError?: string;
  latestNotificationError?: string;
  startLoggingTime?: Date;
  stopLoggingTime?: Date;
}

export type LookupKey = `${LookupAttributeKey}`;

export interface LookupPageRequest {
  attribute?: { key: LookupKey; value: string };
  startTime?: Date;
  endTime?: Date;
  /** 1 to 50. */
  maxResults: number;
  nextToken?: string;
}

export interface LookupPage {
  /** Each event's CloudTrailEvent JSON string, newest first as LookupEvents returns them. */
  events: string[];
  nextToken?: string;
}

/** The read-only CloudTrail calls of one region. */
export interface TrailApi {
  readonly region: string;
  /** One LookupEvents page; callers pace themselves (2 requests per second per account and region). */
  lookupEvents(request: LookupPageRequest, signal?: AbortSignal): Promise<LookupPage>;
  /** DescribeTrails with shadow trails (trails of other home regions that log here). */
  describeTrails(signal?: AbortSignal): Promise<TrailSummary[]>;
  getTrailStatus(trailNameOrArn: string, signal?: AbortSignal): Promise<TrailStatusInfo>;
  listPublicKeys(start: Date, end: Date, signal?: AbortSignal): Promise<PublicKey[]>;
}

export class SdkTrailApi implements TrailApi {
  constructor(
    private readonly client: CloudTrailClient,
    readonly region: string,
  ) {}

  async lookupEvents(request: LookupPageRequest, signal?: AbortSignal): Promise<LookupPage> {
    const result = await this.client.send(
      new LookupEventsCommand({
        LookupAttributes: request.attribute ? [{ AttributeKey: request.attribute.key, AttributeValue: request.attribute.value }] : undefined,
        StartTime: request.startTime,
        EndTime: request.endTime,
        MaxResults: request.maxResults,
        NextToken: request.nextToken,
      }),
      { abortSignal: signal },
    );
    return { events: (result.Events ?? []).map((e) => e.CloudTrailEvent).filter((e): e is string => typeof e === 'string'), nextToken: result.NextToken };
  }

  async describeTrails(signal?: AbortSignal): Promise<TrailSummary[]> {
    const result = await this.client.send(new DescribeTrailsCommand({ includeShadowTrails: true }), { abortSignal: signal });
    return (result.trailList ?? []).map((t) => ({
      name: t.Name ?? '',
      arn: t.TrailARN ?? '',
      homeRegion: t.HomeRegion ?? this.region,
      isMultiRegion: t.IsMultiRegionTrail ?? false,
      isOrganizationTrail: t.IsOrganizationTrail ?? false,
      s3BucketName: t.S3BucketName,
      s3KeyPrefix: t.S3KeyPrefix,
      logFileValidationEnabled: t.LogFileValidationEnabled ?? false,
      kmsKeyId: t.KmsKeyId,
      snsTopicArn: t.SnsTopicARN,
      cloudWatchLogsLogGroupArn: t.CloudWatchLogsLogGroupArn,
      includeGlobalServiceEvents: t.IncludeGlobalServiceEvents,
      hasCustomEventSelectors: t.HasCustomEventSelectors,
      hasInsightSelectors: t.HasInsightSelectors,
    }));
  }

  async getTrailStatus(trailNameOrArn: string, signal?: AbortSignal): Promise<TrailStatusInfo> {
    const s = await this.client.send(new GetTrailStatusCommand({ Name: trailNameOrArn }), { abortSignal: signal });
    return {
      isLogging: s.IsLogging ?? false,
      latestDeliveryTime: s.LatestDeliveryTime,
      latestDeliveryError: s.LatestDeliveryError || undefined,
      latestDigestDeliveryTime: s.LatestDigestDeliveryTime,
      latestDigestDeliveryError: s.LatestDigestDeliveryError || undefined,
      latestCloudWatchLogsDeliveryTime: s.LatestCloudWatchLogsDeliveryTime,
      latestCloudWatchLogsDeliveryError: s.LatestCloudWatchLogsDeliveryError || undefined,
      latestNotificationError: s.LatestNotificationError || undefined,
      startLoggingTime: s.StartLoggingTime,
      stopLoggingTime: s.StopLoggingTime,
    };
  }

  async listPublicKeys(start: Date, end: Date, signal?: AbortSignal): Promise<PublicKey[]> {
    const keys: PublicKey[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListPublicKeysCommand({ StartTime: start, EndTime: end, NextToken: token }), { abortSignal: signal });
      for (const k of page.PublicKeyList ?? []) {
        if (k.Value && k.Fingerprint && k.ValidityStartTime && k.ValidityEndTime) {
          keys.push({ value: Buffer.from(k.Value), fingerprint: k.Fingerprint, validityStart: k.ValidityStartTime, validityEnd: k.ValidityEndTime });
        }
      }
      token = page.NextToken;
    } while (token);
    return keys;
  }
}

function toDate(value: unknown, field: string, source: string): Date {
  const d = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : undefined;
  if (!d || Number.isNaN(d.getTime())) {
    throw new Error(`${source}: ${field} is not a time (${JSON.stringify(value)})`);
  }
  return d;
}

/**
 * Reads a saved ListPublicKeys answer (`aws cloudtrail list-public-keys` output, or what "Download
 * Trail for Offline Validation" saved): Value in base64, times as ISO 8601 or epoch seconds.
 */
export function publicKeysFromJson(text: string, source: string): PublicKey[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not valid JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  const list = (parsed as { PublicKeyList?: unknown }).PublicKeyList;
  if (!Array.isArray(list)) {
    throw new Error(`${source}: expected a ListPublicKeys answer ({"PublicKeyList": [...]})`);
  }
  return list.map((k: Record<string, unknown>, i) => {
    if (typeof k.Value !== 'string' || typeof k.Fingerprint !== 'string') {
      throw new Error(`${source}: PublicKeyList[${i}] needs a base64 Value and a Fingerprint`);
    }
    return {
      value: Buffer.from(k.Value, 'base64'),
      fingerprint: k.Fingerprint,
      validityStart: toDate(k.ValidityStartTime, `PublicKeyList[${i}].ValidityStartTime`, source),
      validityEnd: toDate(k.ValidityEndTime, `PublicKeyList[${i}].ValidityEndTime`, source),
    };
  });
}

/** The ListPublicKeys answer as JSON to save beside downloaded logs (times in ISO 8601). */
export function publicKeysToJson(keys: readonly PublicKey[]): string {
  return (
    JSON.stringify(
      {
        PublicKeyList: keys.map((k) => ({
          Value: k.value.toString('base64'),
          ValidityStartTime: k.validityStart.toISOString().replace('.000Z', 'Z'),
          ValidityEndTime: k.validityEnd.toISOString().replace('.000Z', 'Z'),
          Fingerprint: k.fingerprint,
        })),
      },
      null,
      2,
    ) + '\n'
  );
}
