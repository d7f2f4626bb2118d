import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';

/** How a profile gets its credentials, as the shared config and credentials files say. */
export type ProfileKind = 'static keys' | 'SSO' | 'assume role' | 'credential process' | 'web identity' | 'region only';

export interface ProfileInfo {
  name: string;
  kind: ProfileKind;
  region?: string;
  /** Where it is defined: config, credentials, or both. */
  files: ('config' | 'credentials')[];
  /** For SSO profiles, what `aws sso login` needs. */
  ssoSession?: string;
  sourceProfile?: string;
}

function kindOf(section: Record<string, string | undefined>): ProfileKind {
  if (section.sso_session || section.sso_start_url) return 'SSO';
  if (section.role_arn && section.web_identity_token_file) return 'web identity';
  if (section.role_arn) return 'assume role';
  if (section.credential_process) return 'credential process';
  if (section.aws_access_key_id) return 'static keys';
  return 'region only';
}

/**
 * The profiles of the shared config and credentials files (AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE respected), sorted by name, `default` first. Reads the files anew
 * each time, so profiles added while VS Code runs appear.
 */
export async function listProfiles(): Promise<ProfileInfo[]> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  // The loader also returns `[sso-session x]` and `[services x]` sections as `sso-session.x`…: not profiles.
  const isProfile = (name: string): boolean => !/^(sso-session|services)\./.test(name);
  const names = new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)].filter(isProfile));
  const profiles: ProfileInfo[] = [];
  for (const name of names) {
    const config = configFile[name] ?? {};
    const credentials = credentialsFile[name] ?? {};
    const merged = { ...credentials, ...config };
    const files: ProfileInfo['files'] = [];
    if (configFile[name]) files.push('config');
    if (credentialsFile[name]) files.push('credentials');
    profiles.push({ name, kind: kindOf(merged), region: merged.region, files, ssoSession: merged.sso_session, sourceProfile: merged.source_profile });
  }
  return profiles.sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}

/** The region a profile names in its config, if any. */
export async function profileRegion(profile: string | undefined): Promise<string | undefined> {
  const { configFile } = await loadSharedConfigFiles({ ignoreCache: true });
  return configFile[profile ?? 'default']?.region;
}

/** Commercial regions, for "Select Regions" (others can be typed). */
export const KNOWN_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'af-south-1', 'ap-east-1', 'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ca-central-1', 'ca-west-1',
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1',
  'il-central-1', 'me-south-1', 'me-central-1', 'mx-central-1', 'sa-east-1',
];

export function isRegionName(value: string): boolean {
  return /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(value);
}
