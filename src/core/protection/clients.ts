// SDK clients the protection checks need beyond S3 and CloudTrail (src/core/aws/clients.ts):
// IAM, STS, S3 Control and AWS Config, built the same way (profile credentials, retries).
//
// Emulators: the SDK follows AWS_ENDPOINT_URL_IAM / _STS / _S3_CONTROL. When the context points S3
// at an emulator (a machine setting or AWS_ENDPOINT_URL_S3) and no service-specific variable is
// set, these clients use the same endpoint, so a local test setup never sends the emulator's
// credentials to AWS. S3 Control puts the account id in the host name, which a loopback endpoint
// cannot serve, so with a custom endpoint the URL is used as given (as forcePathStyle does for S3).
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { IAMClient } from '@aws-sdk/client-iam';
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
