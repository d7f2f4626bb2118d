/** The IAM action each SDK call needs, to name it when AWS denies the call. */
const PERMISSIONS: Record<string, string> = {
  ListObjectsV2: 's3:ListBucket',
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  GetBucketLocation: 's3:GetBucketLocation',
  HeadBucket: 's3:ListBucket',
  DescribeTrails: 'cloudtrail:DescribeTrails',
  GetTrailStatus: 'cloudtrail:GetTrailStatus',
  GetTrail: 'cloudtrail:GetTrail',
  GetEventSelectors: 'cloudtrail:GetEventSelectors',
  ListPublicKeys: 'cloudtrail:ListPublicKeys',
  LookupEvents: 'cloudtrail:LookupEvents',
  GetCallerIdentity: 'sts:GetCallerIdentity',
  GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
  GetBucketPolicy: 's3:GetBucketPolicy',
  GetBucketVersioning: 's3:GetBucketVersioning',
  GetObjectLockConfiguration: 's3:GetBucketObjectLockConfiguration',
  GetBucketLifecycleConfiguration: 's3:GetLifecycleConfiguration',
  GetBucketEncryption: 's3:GetEncryptionConfiguration',
  GetBucketLogging: 's3:GetBucketLogging',
  DescribeLogGroups: 'logs:DescribeLogGroups',
  DescribeMetricFilters: 'logs:DescribeMetricFilters',
  StartQuery: 'logs:StartQuery',
  'Logs GetQueryResults': 'logs:GetQueryResults',
  StopQuery: 'logs:StopQuery',
  DescribeAlarmsForMetric: 'cloudwatch:DescribeAlarmsForMetric',
  ListSubscriptionsByTopic: 'sns:ListSubscriptionsByTopic',
  ListRules: 'events:ListRules',
  ListTargetsByRule: 'events:ListTargetsByRule',
  GetResourceConfigHistory: 'config:GetResourceConfigHistory',
  DescribeConfigurationRecorderStatus: 'config:DescribeConfigurationRecorderStatus',
  ListPolicies: 'iam:ListPolicies',
  GetAccountAuthorizationDetails: 'iam:GetAccountAuthorizationDetails',
  GetBucketAcl: 's3:GetBucketAcl',
  ListBuckets: 's3:ListAllMyBuckets',
  GetAccountPublicAccessBlock: 's3:GetAccountPublicAccessBlock',
  GetInsightSelectors: 'cloudtrail:GetInsightSelectors',
  DescribeKey: 'kms:DescribeKey',
  GetKeyRotationStatus: 'kms:GetKeyRotationStatus',
  GetKeyPolicy: 'kms:GetKeyPolicy',
  GetBucketOwnershipControls: 's3:GetBucketOwnershipControls',
  GetBucketPolicyStatus: 's3:GetBucketPolicyStatus',
  ListDelegatedAdministrators: 'organizations:ListDelegatedAdministrators',
  // Athena (the Glue and S3 permissions an Athena query also needs are documented with the notebook).
  StartQueryExecution: 'athena:StartQueryExecution',
  GetQueryExecution: 'athena:GetQueryExecution',
  GetQueryResults: 'athena:GetQueryResults',
  StopQueryExecution: 'athena:StopQueryExecution',
  GetWorkGroup: 'athena:GetWorkGroup',
  GetTableMetadata: 'athena:GetTableMetadata',
};

/** The IAM action an SDK call needs, or undefined for a call this table does not know. */
export function permissionOf(call: string): string | undefined {
  return Object.hasOwn(PERMISSIONS, call) ? PERMISSIONS[call] : undefined;
}

export type AwsErrorKind = 'access-denied' | 'expired-credentials' | 'no-credentials' | 'throttled' | 'not-found' | 'unreachable' | 'cancelled' | 'other';

export interface DescribedAwsError {
  kind: AwsErrorKind;
  /** One sentence for the user: what failed and what to do. */
  message: string;
  /** The IAM permission a denied call needed. */
  permission?: string;
}

function errorName(error: unknown): string {
  const e = error as { name?: string; Code?: string; code?: string };
  return e?.name ?? e?.Code ?? e?.code ?? '';
}

/**
 * Turns an SDK error into a message that names the call and says what to do. Never includes
 * credentials, tokens or signed URLs (the SDK's messages do not carry them; request URLs are not used).
 */
export function describeAwsError(error: unknown, call: string, target: string, profile?: string): DescribedAwsError {
  const name = errorName(error);
  const message = error instanceof Error ? error.message : String(error);
  const profileHint = profile ? ` --profile ${profile}` : '';
  if (name === 'AbortError' || (error as { $metadata?: unknown; name?: string })?.name === 'AbortError') {
    return { kind: 'cancelled', message: `${call} on ${target} was cancelled.` };
  }
  if (/^(AccessDenied|AccessDeniedException|UnauthorizedOperation|AuthorizationError|Forbidden|AllAccessDisabled)$/.test(name) || (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 403) {
    const permission = permissionOf(call);
    return {
      kind: 'access-denied',
      permission,
      message: `${call} on ${target} was denied: the identity needs ${permission ?? 'permission for this call'}${permission ? ' on that resource' : ''}. Ask for it or choose another profile.`,
    };
  }
  if (/^(ExpiredToken|ExpiredTokenException|TokenRefreshRequired|InvalidGrantException|UnauthorizedException)$/.test(name) || /SSO session .*expired|token .*expired|refresh failed|The SSO session associated with this profile has expired/i.test(message)) {
    return {
      kind: 'expired-credentials',
      message: `The AWS session has expired (${call} on ${target}). Run "aws sso login${profileHint}" (or refresh the credentials), then try again.`,
    };
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials|Unable to locate credentials|no valid credential sources/i.test(message)) {
    return {
      kind: 'no-credentials',
      message: `No AWS credentials were found${profile ? ` for profile ${profile}` : ''} (${call} on ${target}). Select a profile, or set up credentials with "aws configure${profileHint}".`,
    };
  }
  if (/^(InvalidClientTokenId|SignatureDoesNotMatch|InvalidAccessKeyId|UnrecognizedClientException)$/.test(name)) {
    return { kind: 'no-credentials', message: `AWS does not accept the credentials${profile ? ` of profile ${profile}` : ''} (${name} on ${call}). Check or rotate the access key.` };
  }
  if (/^(Throttling|ThrottlingException|TooManyRequestsException|RequestLimitExceeded|SlowDown)$/.test(name)) {
    return { kind: 'throttled', message: `AWS is throttling ${call} on ${target} even after retries; wait a minute and try again.` };
  }
  if (/^(NoSuchBucket|NoSuchKey|NotFound|TrailNotFoundException|ResourceNotFoundException|ObjectNotFoundError)$/.test(name)) {
    return { kind: 'not-found', message: `${target} does not exist (${name} from ${call}).` };
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|socket hang up|getaddrinfo/i.test(message) || /^(TimeoutError|NetworkingError)$/.test(name)) {
    return { kind: 'unreachable', message: `Could not reach AWS for ${call} on ${target} (${message.replace(/https?:\/\/\S+/g, '<endpoint>')}). Check the network, proxy or endpoint settings.` };
  }
  return { kind: 'other', message: `${call} on ${target} failed: ${name ? `${name}: ` : ''}${message.replace(/https?:\/\/\S+\?\S+/g, '<url>')}` };
}
