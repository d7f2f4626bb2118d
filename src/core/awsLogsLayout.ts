import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** One account found under a local `AWSLogs/` folder, as `aws s3 sync` lays a trail bucket out. */
export interface LocalAccountLayout {
  accountId: string;
  /** Set when the account sits under an organization trail's `AWSLogs/o-xxxx/` folder. */
  organizationId?: string;
  /** Absolute path of the account folder (`.../AWSLogs/[o-id/]acct`). */
  folder: string;
  /** Regions with event log files (`CloudTrail/{region}`), sorted. */
  logRegions: string[];
  /** Regions with digest files (`CloudTrail-Digest/{region}`), sorted. */
  digestRegions: string[];
}

export interface LocalTrailLayout {
  /** The folder that holds `AWSLogs/` (after any S3 key prefix folders). */
  root: string;
  accounts: LocalAccountLayout[];
}

const ACCOUNT_ID = /^\d{12}$/;
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

async function subfolders(folder: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(folder, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

async function describeAccount(folder: string, accountId: string, organizationId?: string): Promise<LocalAccountLayout> {
  const [logRegions, digestRegions] = await Promise.all([
    subfolders(path.join(folder, 'CloudTrail')),
    subfolders(path.join(folder, 'CloudTrail-Digest')),
  ]);
  return { accountId, organizationId, folder, logRegions, digestRegions };
}

/**
 * Reads the `AWSLogs/` layout directly under `root`, or returns undefined when there is none.
 * Folder names that are neither account ids nor organization ids are ignored: a bucket may hold
 * other things, and this only describes what looks like CloudTrail's own layout.
 */
export async function describeAwsLogsFolder(root: string): Promise<LocalTrailLayout | undefined> {
  const awsLogs = path.join(root, 'AWSLogs');
  const top = await subfolders(awsLogs);
  if (top.length === 0) {
    return undefined;
  }
  const accounts: LocalAccountLayout[] = [];
  for (const name of top) {
    if (ACCOUNT_ID.test(name)) {
      accounts.push(await describeAccount(path.join(awsLogs, name), name));
    } else if (ORGANIZATION_ID.test(name)) {
      for (const member of await subfolders(path.join(awsLogs, name))) {
        if (ACCOUNT_ID.test(member)) {
          accounts.push(await describeAccount(path.join(awsLogs, name, member), member, name));
        }
      }
    }
  }
  return accounts.length > 0 ? { root, accounts } : undefined;
}

/**
 * Finds folders holding an `AWSLogs/` layout at `folder` or up to `depth` levels below it (an S3 key
 * prefix becomes folders above `AWSLogs/`). Stops descending into a folder once it has found one.
 */
export async function findAwsLogsFolders(folder: string, depth = 2): Promise<LocalTrailLayout[]> {
  const here = await describeAwsLogsFolder(folder);
  if (here) {
    return [here];
  }
  if (depth <= 0) {
    return [];
  }
  const found: LocalTrailLayout[] = [];
  for (const name of await subfolders(folder)) {
    if (name.startsWith('.') || name === 'node_modules') {
      continue;
    }
    found.push(...(await findAwsLogsFolders(path.join(folder, name), depth - 1)));
  }
  return found;
}
