import * as vscode from 'vscode';
import { parseUserTime } from '../../core/events/filters';
import { rangePresets } from '../../core/integrity/rangePresets';

export interface TimeRange {
  start: Date;
  end: Date;
}

const HOUR = 3600_000;

function iso(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}

/**
 * Asks for a time range: recent windows, everything a folder holds, or typed times. In an offline
 * copy the windows count back from `newest` (its newest log or digest), not from now: a copy made
 * last month has nothing in "the last 24 hours" of today.
 */
export async function pickRange(title: string, everything?: TimeRange, newest?: Date): Promise<TimeRange | undefined> {
  const anchor = newest ?? everything?.end;
  const now = anchor ?? new Date();
  const items: (vscode.QuickPickItem & { range?: TimeRange })[] = [];
  if (everything) {
    items.push({ label: 'Everything in the folder', description: `${iso(everything.start)} to ${iso(everything.end)}`, range: everything });
  }
  for (const p of rangePresets(new Date(), anchor)) items.push({ label: p.label, description: p.description, range: { start: p.start, end: p.end } });
  items.push({ label: 'Custom range…' });
  const picked = await vscode.window.showQuickPick(items, { ignoreFocusOut: true, title });
  if (!picked) return undefined;
  if (picked.range) return picked.range;
  const validate = (v: string): string | undefined => (!Number.isNaN(parseUserTime(v)) ? undefined : 'Type a time such as 2026-11-01T10:00Z or 2026-11-01 (UTC unless a zone is given)');
  const start = await vscode.window.showInputBox({ ignoreFocusOut: true, title: `${title}: from`, value: iso(everything?.start ?? new Date(now.getTime() - 24 * HOUR)), validateInput: validate });
  if (start === undefined) return undefined;
  const end = await vscode.window.showInputBox({ ignoreFocusOut: true, title: `${title}: to`, value: iso(everything?.end ?? now), validateInput: validate });
  if (end === undefined) return undefined;
  const range = { start: new Date(parseUserTime(start)), end: new Date(parseUserTime(end)) };
  if (range.end <= range.start) {
    void vscode.window.showErrorMessage('The end of the range must come after its start.');
    return undefined;
  }
  return range;
}

/** Asks which regions to check, all preselected. */
export async function pickRegions(title: string, regions: string[]): Promise<string[] | undefined> {
  if (regions.length <= 1) return regions;
  const picked = await vscode.window.showQuickPick(
    regions.map((r) => ({ label: r, picked: true })),
    { ignoreFocusOut: true, title, canPickMany: true, placeHolder: 'Every region of a multi-region trail has its own digests' },
  );
  if (!picked || picked.length === 0) return undefined;
  return picked.map((p) => p.label);
}
