// What the editor shows, asked the way a user's VS Code asks the extension's providers.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** Where the harness answers probes; unset under a runner without a browser page. */
export const probesDir = process.env.CLOUDTRAIL_LENS_PROBES;

/** Asks the harness to read or click in the page (scripts/vscode/probes.mjs) and waits for the answer. */
export async function probe<T>(name: string, args?: unknown): Promise<T> {
  if (!probesDir) throw new Error('no probes: this runner has no browser page');
  const id = `${name}:${Date.now()}`;
  console.log(`[suite] [probe] ${id}${args === undefined ? '' : ` ${JSON.stringify(args)}`}`);
  const file = path.join(probesDir, `${id.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
  for (let i = 0; i < 300 && !existsSync(file); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  const answer = JSON.parse(readFileSync(file, 'utf8')) as { ok: boolean; value: T; error?: string };
  if (!answer.ok) throw new Error(`probe ${name}: ${answer.error}`);
  return answer.value;
}

export interface ShownNotification {
  message: string;
  buttons: string[];
  /** A progress notification still running. */
  progress: boolean;
}

/**
 * Every notification a user would find in the notification center, newest first, once progress
 * notifications of finished work have gone (VS Code takes a moment to close them); one still
 * there after 5 s is stale and is returned.
 */
export async function notifications(): Promise<ShownNotification[]> {
  await vscode.commands.executeCommand('notifications.showList');
  try {
    let shown: ShownNotification[] = [];
    for (let i = 0; i < 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      shown = await probe<ShownNotification[]>('read-notifications');
      if (!shown.some((n) => n.progress)) break;
    }
    return shown;
  } finally {
    await vscode.commands.executeCommand('notifications.hideList');
  }
}

export async function clearNotifications(): Promise<void> {
  await vscode.commands.executeCommand('notifications.clearAll');
}

/** The text of every hover at a position, joined. */
export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

export interface HoverLink {
  label: string;
  command: string;
  args: unknown[];
}

/** The command links of a hover's text, with their arguments decoded as VS Code does on a click. */
export function hoverLinks(markdown: string): HoverLink[] {
  return [...markdown.matchAll(/\[([^\]]+)\]\(command:([\w.]+)\?([^ )]+)/g)].map((m) => ({ label: m[1], command: m[2], args: JSON.parse(decodeURIComponent(m[3])) as unknown[] }));
}

/** Runs a hover link's command as a click would. */
export function runLink<T>(link: HoverLink | undefined, ...extra: unknown[]): Thenable<T> {
  if (!link) throw new Error('the hover has no such link');
  return vscode.commands.executeCommand<T>(link.command, ...link.args, ...extra);
}
