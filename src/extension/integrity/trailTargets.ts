import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ObjectStore } from '../../core/aws/objectStore';
import { trailAccount } from '../../core/aws/trailCatalog';
import type { TrailSummary } from '../../core/aws/trailApi';
import { parseDigestKey } from '../../core/integrity';
import { accountFolders } from '../../core/integrity/localTrail';
import { escapeControl } from '../../core/text/safeText';

/** An account's digest folders in a trail bucket: which account (and organization) and which regions. */
export interface AccountDigests {
  accountId: string;
  organizationId?: string;
  regions: string[];
}

/** Lists `{prefix/}AWSLogs/[o-id/]{account}/CloudTrail-Digest/{region}/` folders. */
export async function digestAccounts(store: ObjectStore, prefix: string | undefined, signal?: AbortSignal): Promise<AccountDigests[]> {
  const root = prefix ? `${prefix.replace(/^\/+|\/+$/g, '')}/` : '';
  const found: AccountDigests[] = [];
  for (const folder of await accountFolders(store, root, signal)) {
    // `AWSLogs/111122223333/` or `AWSLogs/o-abc…/111122223333/`
    const parts = folder.slice(`${root}AWSLogs/`.length, -1).split('/');
    const digestRoot = `${folder}CloudTrail-Digest/`;
    const regions = (await store.listPrefixes(digestRoot, { signal })).map((p) => p.slice(digestRoot.length, -1)).sort();
    found.push({ accountId: parts[parts.length - 1], organizationId: parts.length > 1 ? parts[0] : undefined, regions });
  }
  return found;
}

/** Picks the account to check: the only one, the one asked for, the trail's own, or the user's choice. */
export async function pickAccount(accounts: AccountDigests[], trail: TrailSummary | undefined, requested?: string): Promise<AccountDigests | undefined> {
  const withDigests = accounts.filter((a) => a.regions.length > 0);
  if (requested) return withDigests.find((a) => a.accountId === requested);
  if (withDigests.length <= 1) return withDigests[0];
  const own = trail ? trailAccount(trail.arn) : undefined;
  const picked = await vscode.window.showQuickPick(
    withDigests.map((a) => ({ label: escapeControl(a.accountId), description: `${a.organizationId ? `${escapeControl(a.organizationId)} · ` : ''}${a.regions.length} region(s)${a.accountId === own ? ' · the trail’s account' : ''}`, account: a })),
    { ignoreFocusOut: true, title: 'Which account’s logs? (an organization trail holds every member account)' },
  );
  return picked?.account;
}

/** The earliest and latest digest times of the given regions (a local folder's whole span). */
export async function digestSpan(store: ObjectStore, account: AccountDigests, prefix: string | undefined, regions: string[]): Promise<{ start: Date; end: Date } | undefined> {
  const base = `${prefix ? `${prefix}/` : ''}AWSLogs/${account.organizationId ? `${account.organizationId}/` : ''}${account.accountId}/CloudTrail-Digest/`;
  let min = Infinity;
  let max = -Infinity;
  for (const region of regions) {
    for await (const o of store.list(`${base}${region}/`)) {
      const parts = parseDigestKey(o.key);
      if (!parts) continue;
      min = Math.min(min, parts.endMs);
      max = Math.max(max, parts.endMs);
    }
  }
  // A digest covers the hour before its time: start one hour earlier so the first one counts.
  return Number.isFinite(min) ? { start: new Date(min - 3600_000), end: new Date(max) } : undefined;
}

export function folderLabel(dir: string): string {
  return path.basename(path.resolve(dir));
}
