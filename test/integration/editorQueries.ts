// What the editor shows, asked the way a user's VS Code asks the extension's providers.
import * as vscode from 'vscode';

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
