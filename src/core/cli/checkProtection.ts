// `cloudtrail-lens check-protection`: is each trail set up so that its logs can be trusted and kept?
import { describeAwsError } from '../aws/awsErrors';
import { createCloudTrailClient, type AwsContext } from '../aws/clients';
import { listTrails } from '../aws/trailCatalog';
import { SdkTrailApi, type TrailSummary } from '../aws/trailApi';
import { checkMonitoring, type MonitoringReport } from '../monitoring/checkMonitoring';
import { SdkMonitoringReader } from '../monitoring/monitoringReader';
import { monitoringJson, renderMonitoringText } from '../monitoring/report';
import { createMonitoringClients } from '../protection/clients';
import { escapeControl, safeJsonStringify } from '../text/safeText';
import { checkTrailProtection, DEFAULT_RETENTION_DAYS, renderCisText, renderProtectionText, SdkProtectionReader, type ProtectionClients, type ProtectionReport } from '../protection';

export const CHECK_PROTECTION_USAGE = `Usage: cloudtrail-lens check-protection [--trail-arn ARN ...] [--region R ...] [options]

Checks, with read-only calls, whether each trail is set up so that its logs can be trusted and
kept: logging, regions, validation and digests, deliveries, management and S3 data events, the KMS
key (state, rotation, policy), notifications, Insights; its bucket's public access, ACLs, policy,
versioning, MFA delete, Object Lock, lifecycle, encryption and access logging; and who may stop the
trail or delete its logs. What lives in another account that this one may not read (an
organization trail's bucket or key seen from a member) is NOT VERIFIABLE, never a failure.

  --trail-arn ARN        check this trail (repeat for more); default: every trail of the regions
  --region R[,R...]      regions whose trails to list (repeatable; default: AWS_REGION or us-east-1)
  --profile NAME         AWS profile (default: the SDK's credential chain)
  --retention-days N     how long logs must be kept, for the lifecycle check (default ${DEFAULT_RETENTION_DAYS})
  --cis                  also print the CIS controls the checks stand for, and check the CIS
                         monitoring controls of each trail (would tampering alert anyone?):
                         PASS, FAIL or NOT VERIFIABLE per control
  --json                 print one JSON object {reports, errors} instead of text (with --cis,
                         also monitoring)

A region where DescribeTrails fails is named on stderr; the trails of the other regions are still
checked. A setting that cannot be read shows as UNKNOWN with the permission it needs.

Exit codes: 0 no check failed, 1 a check (or with --cis a monitoring control) failed (or no trail logs the
regions), 2 usage error or nothing could be read.`;

export interface CheckProtectionIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** For tests and embedding: the AWS context instead of --profile, client overrides, a fixed time. */
export interface CheckProtectionOptions {
  context?: AwsContext;
  clients?: Partial<ProtectionClients>;
  now?: Date;
}

interface Args {
  trailArns: string[];
  regions: string[];
  profile?: string;
  retentionDays: number;
  json: boolean;
  cis: boolean;
}

const TRAIL_ARN = /^arn:[a-z-]+:cloudtrail:([a-z0-9-]+):\d{12}:trail\/[A-Za-z0-9._-]+$/;

function parseArgs(args: string[]): Args | string {
  const parsed: Args = { trailArns: [], regions: [], retentionDays: DEFAULT_RETENTION_DAYS, json: false, cis: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string | undefined => (i + 1 < args.length && !args[i + 1].startsWith('--') ? args[++i] : undefined);
    switch (a) {
      case '--json':
        parsed.json = true;
        break;
      case '--cis':
        parsed.cis = true;
        break;
      case '--trail-arn': {
        const v = value();
        if (!v) return '--trail-arn needs an ARN';
        if (!TRAIL_ARN.test(v)) return `--trail-arn ${v} is not a trail ARN (arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME)`;
        parsed.trailArns.push(v);
        break;
      }
      case '--region': {
        const v = value();
        if (!v) return '--region needs a region';
        parsed.regions.push(...v.split(',').map((r) => r.trim()).filter(Boolean));
        break;
      }
      case '--profile': {
        const v = value();
        if (!v) return '--profile needs a name';
        parsed.profile = v;
        break;
      }
      case '--retention-days': {
        const v = value();
        if (!v || !/^\d+$/.test(v) || Number(v) < 1) return '--retention-days needs a whole number of days, at least 1';
        parsed.retentionDays = Number(v);
        break;
      }
      default:
        return `unknown argument '${a}'`;
    }
  }
  return parsed;
}

interface Found {
  trails: TrailSummary[];
  errors: string[];
  /** Whether any DescribeTrails call answered. */
  answered: boolean;
}

async function findTrails(args: Args, context: AwsContext, regions: string[]): Promise<Found> {
  const made: { destroy(): void }[] = [];
  const api = (region: string) => {
    const client = createCloudTrailClient(context, region);
    made.push(client);
    return new SdkTrailApi(client, region);
  };
  try {
    if (args.trailArns.length === 0) {
      const catalog = await listTrails(regions.map(api));
      const errors = catalog.failures.map((f) => describeAwsError(f.error, 'DescribeTrails', f.region, context.profile).message);
      return { trails: catalog.trails, errors, answered: catalog.failures.length < regions.length };
    }
    // Each ARN is looked up in its home region, where DescribeTrails always lists it.
    const homes = [...new Set(args.trailArns.map((arn) => TRAIL_ARN.exec(arn)?.[1] ?? ''))];
    const catalog = await listTrails(homes.map(api));
    const errors = catalog.failures.map((f) => describeAwsError(f.error, 'DescribeTrails', f.region, context.profile).message);
    const trails: TrailSummary[] = [];
    for (const arn of args.trailArns) {
      const trail = catalog.trails.find((t) => t.arn === arn);
      if (trail) trails.push(trail);
      else if (!catalog.failures.some((f) => f.region === TRAIL_ARN.exec(arn)?.[1])) errors.push(`Trail ${arn} was not found in its home region.`);
    }
    return { trails, errors, answered: catalog.failures.length < homes.length };
  } finally {
    for (const c of made) c.destroy();
  }
}

/** The monitoring checks of one trail, in its home region. */
async function monitoringOf(trail: TrailSummary, context: AwsContext, retentionDays: number, now?: Date): Promise<MonitoringReport> {
  const clients = createMonitoringClients(context, trail.homeRegion);
  const cloudtrail = createCloudTrailClient(context, trail.homeRegion);
  try {
    const status = await new SdkTrailApi(cloudtrail, trail.homeRegion).getTrailStatus(trail.arn).catch(() => undefined);
    return await checkMonitoring({ trail, status, reader: new SdkMonitoringReader(clients), retentionDays, profile: context.profile, now });
  } finally {
    for (const c of Object.values(clients)) c.destroy();
    cloudtrail.destroy();
  }
}

export async function checkProtectionCommand(argv: string[], io: CheckProtectionIo, options: CheckProtectionOptions = {}): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(CHECK_PROTECTION_USAGE + '\n');
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.err(`cloudtrail-lens check-protection: ${escapeControl(args)}\n${CHECK_PROTECTION_USAGE}\n`);
    return 2;
  }
  const context: AwsContext = options.context ?? (args.profile ? { profile: args.profile } : {});
  const regions = args.regions.length > 0 ? [...new Set(args.regions)] : [process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1'];
  const found = await findTrails(args, context, regions);
  for (const e of found.errors) io.err(`cloudtrail-lens check-protection: ${escapeControl(e)}\n`);
  if (!found.answered) {
    io.err('cloudtrail-lens check-protection: no trail could be read.\n');
    if (args.json) io.out(safeJsonStringify({ reports: [], errors: found.errors }, 2) + '\n');
    return 2;
  }

  const reader = new SdkProtectionReader(context, options.clients);
  let reports: ProtectionReport[];
  try {
    reports = await Promise.all(found.trails.map((trail) => checkTrailProtection({ trail, reader, retentionDays: args.retentionDays, now: options.now })));
  } finally {
    reader.destroy();
  }

  const monitoring = args.cis ? await Promise.all(found.trails.map((trail) => monitoringOf(trail, context, args.retentionDays, options.now))) : [];

  if (args.json) {
    io.out(safeJsonStringify({ reports, ...(args.cis ? { monitoring: monitoring.map(monitoringJson) } : {}), errors: found.errors }, 2) + '\n');
  } else if (reports.length === 0 && args.trailArns.length === 0) {
    io.out(`No trail found in ${escapeControl(regions.join(', '))}: nothing records API activity there.\n`);
  } else {
    io.out(renderProtectionText(reports));
    if (args.cis) io.out(`\n${renderCisText(reports)}\n${renderMonitoringText(monitoring, escapeControl)}`);
  }
  if (reports.length === 0) return found.errors.length > 0 && args.trailArns.length > 0 ? 2 : 1;
  const monitoringFailed = monitoring.some((m) => m.controls.some((c) => c.result === 'fail') || m.logChecks.some((c) => c.result === 'fail'));
  return reports.some((r) => r.summary.fail > 0) || monitoringFailed ? 1 : 0;
}
