// What the Athena table of a trail bucket has to project, read from the bucket's own folders:
// AWSLogs/[o-id/]account/CloudTrail/region/yyyy/MM/dd/. The table's DDL (athenaDdl.ts) needs the
// organization id and member accounts (or the one account), the regions and the first day; listing
// a few folders (never the log files) finds them, with a bounded number of calls.
import type { ObjectStore } from '../aws/objectStore';
import type { AthenaTableInput } from './athenaDdl';

const ACCOUNT = /^\d{12}$/;
const ORGANIZATION = /^o-[a-z0-9]{10,32}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** Accounts whose region folders are listed; an organization's other accounts share the projection's regions. */
const ACCOUNTS_FOR_REGIONS = 25;

export interface BucketLayoutRequest {
  bucket: string;
  /** The trail's S3 key prefix; empty or undefined for none. */
  prefix?: string;
  table: string;
  database?: string;
  /** The trail's own account (from its ARN), preferred when a bucket holds several accounts' folders. */
  ownAccount?: string;
  /** Regions to project when the bucket has no region folder yet. */
  fallbackRegions: string[];
  /** The first day when no day folder exists yet, 'yyyy/MM/dd'. */
  fallbackDay: string;
  signal?: AbortSignal;
}

export interface BucketLayout {
  input: AthenaTableInput;
  /** What the user should know about the choice made (several organizations, several accounts…). */
  notes: string[];
}

function name(folder: string, parent: string): string {
  return folder.slice(parent.length).replace(/\/$/, '');
}

/** The smallest child folder name matching `pattern`, or undefined. */
async function firstChild(store: ObjectStore, folder: string, pattern: RegExp, signal?: AbortSignal): Promise<string | undefined> {
  const names = (await store.listPrefixes(folder, { signal })).map((f) => name(f, folder)).filter((n) => pattern.test(n));
  return names.sort()[0];
}

/**
 * Reads the layout of a trail bucket into the DDL's input. Throws an Error saying where it looked
 * when the bucket has no AWSLogs/ account folder under the prefix.
 */
export async function bucketLayout(store: ObjectStore, request: BucketLayoutRequest): Promise<BucketLayout> {
  const { signal } = request;
  const prefix = (request.prefix ?? '').replace(/^\/+|\/+$/g, '');
  const root = `${prefix ? `${prefix}/` : ''}AWSLogs/`;
  const notes: string[] = [];
  const children = (await store.listPrefixes(root, { signal })).map((f) => name(f, root));
  const organizations = children.filter((n) => ORGANIZATION.test(n)).sort();
  let accountFolders: { account: string; folder: string }[];
  let organizationId: string | undefined;
  if (organizations.length > 0) {
    organizationId = organizations[0];
    if (organizations.length > 1) notes.push(`The bucket holds logs of ${organizations.length} organizations (${organizations.join(', ')}); the table covers ${organizationId}.`);
    const orgRoot = `${root}${organizationId}/`;
    accountFolders = (await store.listPrefixes(orgRoot, { signal }))
      .map((f) => ({ account: name(f, orgRoot), folder: f }))
      .filter((a) => ACCOUNT.test(a.account))
      .sort((a, b) => a.account.localeCompare(b.account));
  } else {
    const accounts = children.filter((n) => ACCOUNT.test(n)).sort();
    const chosen = request.ownAccount && accounts.includes(request.ownAccount) ? request.ownAccount : accounts[0];
    if (accounts.length > 1) notes.push(`The bucket holds the logs of ${accounts.length} accounts outside an organization folder; the table covers ${chosen}. Run the command again with another trail for the others.`);
    accountFolders = chosen ? [{ account: chosen, folder: `${root}${chosen}/` }] : [];
  }
  if (accountFolders.length === 0) {
    throw new Error(`s3://${request.bucket}/${root} has no account folder (AWSLogs/<account>/ or AWSLogs/<o-id>/<account>/): has the trail delivered any logs there yet?`);
  }

  const regions = new Set<string>();
  const days: string[] = [];
  for (const { folder } of accountFolders.slice(0, ACCOUNTS_FOR_REGIONS)) {
    const regionRoot = `${folder}CloudTrail/`;
    for (const regionFolder of await store.listPrefixes(regionRoot, { signal })) {
      const region = name(regionFolder, regionRoot);
      if (!REGION.test(region)) continue;
      regions.add(region);
      const year = await firstChild(store, regionFolder, /^\d{4}$/, signal);
      const month = year && (await firstChild(store, `${regionFolder}${year}/`, /^(0[1-9]|1[0-2])$/, signal));
      const day = month && (await firstChild(store, `${regionFolder}${year}/${month}/`, /^(0[1-9]|[12]\d|3[01])$/, signal));
      if (day) days.push(`${year}/${month}/${day}`);
    }
  }
  if (accountFolders.length > ACCOUNTS_FOR_REGIONS) notes.push(`Regions and the first day were read from the first ${ACCOUNTS_FOR_REGIONS} of ${accountFolders.length} accounts.`);
  if (regions.size === 0) {
    for (const r of request.fallbackRegions) regions.add(r);
    notes.push(`No region folder yet; the table projects ${[...regions].join(', ') || 'no region'}.`);
  }
  const startDay = days.sort()[0] ?? request.fallbackDay;
  const input: AthenaTableInput = {
    table: request.table,
    ...(request.database ? { database: request.database } : {}),
    bucket: request.bucket,
    ...(prefix ? { prefix } : {}),
    ...(organizationId ? { organizationId, accountIds: accountFolders.map((a) => a.account) } : { accountId: accountFolders[0].account }),
    regions: [...regions].sort(),
    startDay,
  };
  return { input, notes };
}
