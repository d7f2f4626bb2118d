import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { S3Client } from '@aws-sdk/client-s3';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * How to reach AWS: which profile (shared config and credentials files, every profile type the SDK
 * knows: static keys, SSO and sso-session, role_arn chains, credential_process, environment), and
 * optional endpoint overrides for local emulators. Endpoint overrides never come from a workspace.
 */
export interface AwsContext {
  /** Profile name; undefined uses the SDK's default chain (AWS_PROFILE, environment, default profile…). */
  profile?: string;
  /** Endpoint overrides (LocalStack, moto); the SDK's AWS_ENDPOINT_URL_S3 / _CLOUDTRAIL also apply. */
  endpoints?: { s3?: string; cloudtrail?: string };
  /** Supplied credentials (tests); otherwise the provider chain for `profile`. */
  credentials?: AwsCredentialIdentityProvider;
  /** Most retries of a throttled or failed call (the SDK's maxAttempts); default 5. */
  maxAttempts?: number;
}

const providers = new Map<string, AwsCredentialIdentityProvider>();

/** One credential provider per profile, so SSO and assumed-role credentials are cached and refreshed once. */
export function credentialsFor(context: AwsContext): AwsCredentialIdentityProvider {
  if (context.credentials) {
    return context.credentials;
  }
  const key = context.profile ?? '';
  let provider = providers.get(key);
  if (!provider) {
    provider = fromNodeProviderChain(context.profile ? { profile: context.profile } : {});
    providers.set(key, provider);
  }
  return provider;
}

/** Forgets cached credentials (after "Select Profile", or when a session expired and the user logged in again). */
export function resetCredentials(): void {
  providers.clear();
}

function envEndpoint(service: 'S3' | 'CLOUDTRAIL'): string | undefined {
  return process.env[`AWS_ENDPOINT_URL_${service}`] ?? process.env.AWS_ENDPOINT_URL;
}

export function createS3Client(context: AwsContext, region: string, options: { maxSockets?: number } = {}): S3Client {
  const endpoint = context.endpoints?.s3 || undefined;
  const custom = endpoint !== undefined || envEndpoint('S3') !== undefined;
  const maxSockets = options.maxSockets ?? 50;
  return new S3Client({
    region,
    endpoint,
    // Emulators serve buckets by path, not by virtual host.
    forcePathStyle: custom,
    credentials: credentialsFor(context),
    maxAttempts: context.maxAttempts ?? 5,
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
      connectionTimeout: 10_000,
      requestTimeout: 120_000,
    }),
  });
}

export function createCloudTrailClient(context: AwsContext, region: string): CloudTrailClient {
  return new CloudTrailClient({
    region,
    endpoint: context.endpoints?.cloudtrail || undefined,
    credentials: credentialsFor(context),
    maxAttempts: context.maxAttempts ?? 5,
    retryMode: 'adaptive',
  });
}
