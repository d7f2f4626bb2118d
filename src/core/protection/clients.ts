// SDK clients the protection checks need beyond S3 and CloudTrail (src/core/aws/clients.ts):
// IAM, STS, S3 Control, KMS, Organizations, AWS Config and the monitoring services, built the same way (profile credentials, retries).
//
// Emulators: the SDK follows AWS_ENDPOINT_URL_IAM / _STS / _S3_CONTROL. When the context points S3
// at an emulator (a machine setting or AWS_ENDPOINT_URL_S3) and no service-specific variable is
// set, these clients use the same endpoint, so a local test setup never sends the emulator's
// credentials to AWS. S3 Control puts the account id in the host name, which a loopback endpoint
// cannot serve, so with a custom endpoint the URL is used as given (as forcePathStyle does for S3).
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import { credentialsFor, type AwsContext } from '../aws/clients';

function s3Emulator(context: AwsContext): string | undefined {
  return context.endpoints?.s3 || process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL || undefined;
}

function endpointFor(context: AwsContext, envName: string): string | undefined {
  return process.env[envName] || s3Emulator(context);
}

export function createIamClient(context: AwsContext): IAMClient {
  // IAM is global; its endpoint lives in us-east-1 (aws partition).
  return new IAMClient({ region: 'us-east-1', endpoint: endpointFor(context, 'AWS_ENDPOINT_URL_IAM'), credentials: credentialsFor(context), maxAttempts: context.maxAttempts ?? 5 });
}

/** KMS, for DescribeKey, GetKeyRotationStatus and GetKeyPolicy of the trail's key; AWS_ENDPOINT_URL_KMS for emulators. */
export function createKmsClient(context: AwsContext, region: string): KMSClient {
  return new KMSClient({ region, endpoint: endpointFor(context, 'AWS_ENDPOINT_URL_KMS'), credentials: credentialsFor(context), maxAttempts: context.maxAttempts ?? 5 });
}

/** Organizations (global, us-east-1), for ListDelegatedAdministrators; AWS_ENDPOINT_URL_ORGANIZATIONS for emulators. */
export function createOrganizationsClient(context: AwsContext): OrganizationsClient {
  return new OrganizationsClient({ region: 'us-east-1', endpoint: endpointFor(context, 'AWS_ENDPOINT_URL_ORGANIZATIONS'), credentials: credentialsFor(context), maxAttempts: context.maxAttempts ?? 5 });
}

export function createStsClient(context: AwsContext, region: string): STSClient {
  return new STSClient({ region, endpoint: endpointFor(context, 'AWS_ENDPOINT_URL_STS'), credentials: credentialsFor(context), maxAttempts: context.maxAttempts ?? 5 });
}

export function createS3ControlClient(context: AwsContext, region: string): S3ControlClient {
  const endpoint = endpointFor(context, 'AWS_ENDPOINT_URL_S3_CONTROL');
  return new S3ControlClient({
    region,
    credentials: credentialsFor(context),
    maxAttempts: context.maxAttempts ?? 5,
    ...(endpoint ? { endpointProvider: () => ({ url: new URL(endpoint) }) } : {}),
  });
}

/** AWS Config (read-only calls: configuration history); AWS_ENDPOINT_URL_CONFIG_SERVICE for emulators. */
export function createConfigClient(context: AwsContext, region: string): ConfigServiceClient {
  return new ConfigServiceClient({ region, endpoint: endpointFor(context, 'AWS_ENDPOINT_URL_CONFIG_SERVICE'), credentials: credentialsFor(context), maxAttempts: context.maxAttempts ?? 5 });
}

/** The clients of the monitoring checks in one region: CloudWatch Logs, CloudWatch, SNS, EventBridge. */
export function createMonitoringClients(context: AwsContext, region: string): { logs: CloudWatchLogsClient; cloudwatch: CloudWatchClient; sns: SNSClient; events: EventBridgeClient } {
  const common = { region, credentials: credentialsFor(context), maxAttempts: context.maxAttempts ?? 5 };
  return {
    logs: new CloudWatchLogsClient({ ...common, endpoint: endpointFor(context, 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS') }),
    cloudwatch: new CloudWatchClient({ ...common, endpoint: endpointFor(context, 'AWS_ENDPOINT_URL_CLOUDWATCH') }),
    sns: new SNSClient({ ...common, endpoint: endpointFor(context, 'AWS_ENDPOINT_URL_SNS') }),
    events: new EventBridgeClient({ ...common, endpoint: endpointFor(context, 'AWS_ENDPOINT_URL_EVENTBRIDGE') }),
  };
}
