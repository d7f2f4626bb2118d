// `cloudtrail-lens validate`: aws cloudtrail validate-logs' arguments, output lines and exit codes,
// stricter checks, every region of the trail, parallel downloads, and local folders.
import { promises as fs } from 'node:fs';
import { describeAwsError } from '../aws/awsErrors';
import { createCloudTrailClient, createS3Client, type AwsContext } from '../aws/clients';
import type { ObjectStore } from '../aws/objectStore';
import { bucketRegion, S3ObjectStore } from '../aws/s3ObjectStore';
import { publicKeysFromJson, SdkTrailApi, type TrailApi } from '../aws/trailApi';
import { findingLine, startupText, summaryText } from '../integrity/awsCliOutput';
import type { Finding } from '../integrity/findings';
import { discoverTrails, openLocalTrail } from '../integrity/localTrail';
import { fixedKeySource, trailApiKeySource, type PublicKeySource } from '../integrity/publicKeys';
import { renderReport } from '../integrity/report';
import { isoSeconds, parseUserTime } from '../integrity/time';
import { validateTrail, type TrailStatusLike, type ValidateTrailOptions } from '../integrity/validateTrail';
import { escapeControl, safeJsonStringify } from '../text/safeText';
import { version } from '../../../package.json';

export const VALIDATE_USAGE = `Usage: cloudtrail-lens validate --trail-arn ARN --start-time TIME [options]
       cloudtrail-lens validate --local DIR --start-time TIME [options]

Validates CloudTrail digest and log files like "aws cloudtrail validate-logs", with stricter checks
(chain hashes and signatures, every missing digest, deleted newest digests, algorithms, account,
log files no digest lists, every region of the trail) and parallel downloads.

  --trail-arn ARN        the trail (its bucket and prefix come from DescribeTrails unless given)
  --start-time TIME      validate log files delivered from TIME (ISO 8601, UTC unless a zone is given)
  --end-time TIME        ... until TIME (default: now)
  --s3-bucket NAME       the bucket, instead of DescribeTrails
  --s3-prefix PREFIX     the key prefix, instead of DescribeTrails
  --account-id ID        the account whose files are validated (required for organization trails)
  --organization-id ID   the organization of an organization trail (default: found in the bucket)
  --region R[,R...]      validate only these regions (default: every region with digests of the trail)
  --profile NAME         AWS profile (default: the SDK's credential chain)
  --endpoint-url URL     CloudTrail endpoint (as aws-cli); AWS_ENDPOINT_URL_S3/_CLOUDTRAIL also apply
  --local DIR            validate a folder laid out as "aws s3 sync" writes the bucket
  --public-keys FILE     public keys from a saved ListPublicKeys answer instead of ListPublicKeys
  --concurrency N        parallel downloads (default 16)
  --verbose              print valid files too
  --json                 one JSON object per finding per line, then a summary object
  --report FILE          also write a Markdown report for an auditor

Exit codes: 0 everything valid, 1 findings (invalid, or files that could not be verified),
2 usage or input error.`;

export interface ValidateIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

interface Args {
  trailArn?: string;
  startTime?: string;
  endTime?: string;
  s3Bucket?: string;
  s3Prefix?: string;
  accountId?: string;
  organizationId?: string;
  regions: string[];
  profile?: string;
  endpointUrl?: string;
  local?: string;
  publicKeys?: string;
  concurrency: number;
  verbose: boolean;
  json: boolean;
  report?: string;
  help: boolean;
}

class UsageError extends Error {}

const VALUE_OPTIONS: Record<string, keyof Args> = {
  '--trail-arn': 'trailArn',
  '--start-time': 'startTime',
  '--end-time': 'endTime',
  '--s3-bucket': 's3Bucket',
  '--s3-prefix': 's3Prefix',
  '--account-id': 'accountId',
  '--organization-id': 'organizationId',
  '--profile': 'profile',
  '--endpoint-url': 'endpointUrl',
  '--local': 'local',
  '--public-keys': 'publicKeys',
  '--report': 'report',
};

export function parseValidateArgs(argv: string[]): Args {
  const args: Args = { regions: [], concurrency: 16, verbose: false, json: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const name = eq > 0 ? raw.slice(0, eq) : raw;
    const value = (): string => {
      const v = eq > 0 ? raw.slice(eq + 1) : argv[++i];
      if (v === undefined || (eq < 0 && v.startsWith('--'))) throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (name === '--verbose') args.verbose = true;
    else if (name === '--json') args.json = true;
    else if (name === '--help' || name === '-h') args.help = true;
    else if (name === '--region') args.regions.push(...value().split(',').map((r) => r.trim()).filter(Boolean));
    else if (name === '--concurrency') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError('--concurrency takes a whole number from 1 to 256');
      args.concurrency = n;
    } else if (VALUE_OPTIONS[name]) (args as unknown as Record<string, string>)[VALUE_OPTIONS[name]] = value();
    else throw new UsageError(`unknown option ${raw}`);
  }
  return args;
}

/** aws-cli's ARN check: arn:PARTITION:cloudtrail:REGION:ACCOUNT:trail/NAME. */
function parseTrailArn(arn: string): { homeRegion: string; accountId: string; trailName: string } {
  const m = /^arn:[^:]+:cloudtrail:([^:]+):(\d{12}):trail\/(.+)$/.exec(arn);
  if (!m) throw new UsageError(`Invalid trail ARN provided: ${arn}`);
  return { homeRegion: m[1], accountId: m[2], trailName: m[3] };
}

function times(args: Args): { start: Date; end: Date } {
  if (!args.startTime) throw new UsageError('--start-time is required');
  const start = parseUserTime(args.startTime);
  if (!start) throw new UsageError(`Unable to parse date value: ${args.startTime}`);
  const end = args.endTime ? parseUserTime(args.endTime) : new Date();
  if (!end) throw new UsageError(`Unable to parse date value: ${args.endTime}`);
  if (start.getTime() > end.getTime()) throw new UsageError('Invalid time range specified: start-time must occur before end-time');
  return { start, end };
}

async function keysFromFile(file: string): Promise<PublicKeySource> {
  const text = await fs.readFile(file, 'utf8').catch((e: Error) => {
    throw new UsageError(`cannot read ${file}: ${e.message}`);
  });
  try {
    return fixedKeySource(publicKeysFromJson(text, file), file);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

type Plan = Omit<ValidateTrailOptions, 'start' | 'end' | 'onFinding' | 'onProgress' | 'concurrency'> & { display: string };

/** The folder, its trail and keys. */
async function localPlan(args: Args): Promise<Plan> {
  const trail = await openLocalTrail(args.local!, { trailArn: args.trailArn, accountId: args.accountId }).catch((e: Error) => {
    throw new UsageError(e.message);
  });
  const regions = args.regions.length ? args.regions : trail.regions;
  return {
    store: trail.store,
    bucket: args.s3Bucket ?? trail.bucket,
    prefix: trail.prefix,
    accountId: trail.accountId,
    organizationId: trail.organizationId,
    trailName: trail.trailName,
    homeRegion: trail.homeRegion,
    trailArn: trail.trailArn,
    regions,
    publicKeys: args.publicKeys ? await keysFromFile(args.publicKeys) : trail.publicKeys,
    trailStatus: trail.trailStatus,
    display: trail.trailArn ?? `${trail.trailName} in ${args.local}`,
  };
}

/** Finds the organization folder holding the account, when the account has no folder of its own. */
async function organizationOf(store: ObjectStore, prefix: string | undefined, accountId: string): Promise<string | undefined> {
  const base = `${prefix ? prefix + '/' : ''}AWSLogs/`;
  for (const p of await store.listPrefixes(base)) {
    const name = p.slice(base.length, -1);
    if (/^o-[a-z0-9]{10,32}$/.test(name) && (await store.listPrefixes(p)).includes(`${p}${accountId}/`)) return name;
  }
  return undefined;
}

async function s3Plan(args: Args, context: AwsContext, io: ValidateIo): Promise<Plan> {
  if (!args.trailArn) throw new UsageError('--trail-arn is required (or --local DIR)');
  const arn = parseTrailArn(args.trailArn);
  const trailApi = (region: string): TrailApi => new SdkTrailApi(createCloudTrailClient(context, region), region);
  let bucket = args.s3Bucket;
  let prefix = args.s3Prefix;
  let isOrganization: boolean | undefined;
  let isMultiRegion: boolean | undefined;
  if (!bucket) {
    let trails;
    try {
      trails = await trailApi(arn.homeRegion).describeTrails();
    } catch (error) {
      throw new InputError(describeAwsError(error, 'DescribeTrails', arn.homeRegion, args.profile).message);
    }
    const t = trails.find((x) => x.arn === args.trailArn);
    if (!t || !t.s3BucketName) throw new InputError(`Trail ${args.trailArn} was not found in ${arn.homeRegion} (DescribeTrails); give --s3-bucket to validate its bucket anyway.`);
    bucket = t.s3BucketName;
    prefix ??= t.s3KeyPrefix;
    isOrganization = t.isOrganizationTrail;
    isMultiRegion = t.isMultiRegion;
  }
  if (isOrganization && !args.accountId) throw new UsageError("Missing required parameter for organization trail: '--account-id'");
  const accountId = args.accountId ?? arn.accountId;
  let client = createS3Client(context, arn.homeRegion, { maxSockets: args.concurrency });
  try {
    const region = await bucketRegion(client, bucket);
    if (region !== arn.homeRegion) client = createS3Client(context, region, { maxSockets: args.concurrency });
  } catch (error) {
    throw new InputError(describeAwsError(error, 'GetBucketLocation', `s3://${bucket}`, args.profile).message);
  }
  const store = new S3ObjectStore(client, bucket);
  let organizationId = args.organizationId;
  let regions = args.regions;
  try {
    if (!organizationId && isOrganization !== false) {
      const own = await store.listPrefixes(`${prefix ? prefix + '/' : ''}AWSLogs/${accountId}/`);
      if (own.length === 0) organizationId = await organizationOf(store, prefix, accountId);
    }
    if (regions.length === 0) {
      if (isMultiRegion === false) regions = [arn.homeRegion];
      else {
        const found = (await discoverTrails(store)).filter((c) => c.trailName === arn.trailName && c.homeRegion === arn.homeRegion && c.accountId === accountId && (c.prefix ?? '') === (prefix ?? '') && c.organizationId === organizationId);
        regions = found.length ? found[0].regions : [arn.homeRegion];
      }
    }
  } catch (error) {
    throw new InputError(describeAwsError(error, 'ListObjectsV2', `s3://${bucket}`, args.profile).message);
  }
  // Asked while digests are read: the answer is needed only for the newest digests.
  const trailStatus: Record<string, Promise<TrailStatusLike>> = {};
  for (const region of regions) {
    trailStatus[region] = trailApi(region)
      .getTrailStatus(args.trailArn!)
      .then(
        (s) => ({ latestDigestDeliveryTime: s.latestDigestDeliveryTime }),
        (error: unknown) => {
          const message = describeAwsError(error, 'GetTrailStatus', `${args.trailArn} in ${region}`, args.profile).message.split('\n')[0];
          if (!args.json) io.err(`Note: ${escapeControl(message)}\n`);
          return { unknownBecause: `GetTrailStatus failed (${message})` };
        },
      );
  }
  return {
    store,
    bucket,
    prefix: prefix || undefined,
    accountId,
    organizationId,
    trailName: arn.trailName,
    homeRegion: arn.homeRegion,
    trailArn: args.trailArn,
    regions,
    publicKeys: args.publicKeys ? await keysFromFile(args.publicKeys) : trailApiKeySource(trailApi),
    trailStatus,
    profile: args.profile,
    display: args.trailArn,
  };
}

/** A problem with what was asked for (trail not found, access denied): exit 2. */
class InputError extends Error {}

/** Prints findings as they come, in aws-cli's layout (or JSON lines). */
function printer(args: Args, io: ValidateIo): { onFinding: (f: Finding) => void; lastDoubleSpace: () => boolean } {
  let doubleSpace = true;
  return {
    onFinding: (f) => {
      if (args.json) {
        io.out(safeJsonStringify({ type: 'finding', ...f }) + '\n');
        return;
      }
      const line = findingLine(f);
      if (line.verboseOnly && !args.verbose) return;
      if (line.stream === 'stderr') {
        io.err(doubleSpace ? `${line.text}\n\n` : `\n${line.text}\n\n`);
        doubleSpace = true;
      } else {
        io.out(`${line.text}\n`);
        doubleSpace = false;
      }
    },
    lastDoubleSpace: () => doubleSpace,
  };
}

export async function validateCommand(argv: string[], io: ValidateIo): Promise<number> {
  let args: Args;
  try {
    args = parseValidateArgs(argv);
    if (args.help) {
      io.out(VALIDATE_USAGE + '\n');
      return 0;
    }
    const { start, end } = times(args);
    const context: AwsContext = { profile: args.profile, endpoints: args.endpointUrl ? { cloudtrail: args.endpointUrl } : undefined };
    const plan = args.local ? await localPlan(args) : await s3Plan(args, context, io);
    const { display, ...options } = plan;
    const out = printer(args, io);
    if (!args.json) io.out(startupText(display, isoSeconds(start.getTime()), isoSeconds(end.getTime())));
    const controller = new AbortController();
    const stop = () => controller.abort(new Error('cancelled'));
    process.once('SIGINT', stop);
    let result;
    try {
      result = await validateTrail({ ...options, start, end, concurrency: args.concurrency, signal: controller.signal, onFinding: out.onFinding });
    } finally {
      process.removeListener('SIGINT', stop);
    }
    if (args.json) {
      io.out(safeJsonStringify({ type: 'summary', ...result.summary, scope: result.scope, limitations: result.limitations }) + '\n');
    } else {
      io.out((out.lastDoubleSpace() ? '' : '\n') + summaryText(result.summary, result.scope.start, result.scope.end));
      if (args.verbose) for (const l of result.limitations) io.out(`Not checked: ${escapeControl(l)}\n`);
    }
    if (args.report) await fs.writeFile(args.report, renderReport(result, { toolVersion: `cloudtrail-lens ${version}` }));
    return result.summary.outcome === 'valid' ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`cloudtrail-lens validate: ${escapeControl(error.message)}\n\n${VALIDATE_USAGE}\n`);
      return 2;
    }
    io.err(`cloudtrail-lens validate: ${escapeControl(error instanceof Error ? error.message : String(error))}\n`);
    return 2;
  }
}
