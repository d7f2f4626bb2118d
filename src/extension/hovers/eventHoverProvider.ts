import * as vscode from 'vscode';
import { hoverAt, type HoverAction } from '../../core/events/hoverText';
import { CommandId } from '../commands/commandIds';
import type { Config } from '../config';
import { decodeEventDocumentUri, isEventDocument } from '../documents/eventDocumentUri';
import { isCloudTrailDocument, type EventIndexCache } from '../documents/eventIndexCache';
import { log } from '../log';

/** The only commands a hover's links may run: VS Code refuses any other `command:` link in it. */
const HOVER_COMMANDS = [CommandId.OpenPivot, CommandId.OpenFiltered, CommandId.InvestigateFilter, CommandId.CopyValue, CommandId.ShowConfigHistory];

function commandLink(label: string, command: CommandId, args: unknown[]): string {
  return `[${label}](command:${command}?${encodeURIComponent(JSON.stringify(args))} "${label}")`;
}

/**
 * The hover's actions as command links. Narrowing is offered only where it differs from pivoting: in
 * an event document that is already filtered.
 */
export function actionLinks(uri: vscode.Uri, actions: readonly HoverAction[]): string {
  const filtered = isEventDocument(uri) && decodeEventDocumentUri(uri).filters.length > 0;
  const links: string[] = [];
  for (const a of actions) {
    if (a.kind === 'copy') links.push(commandLink(a.label, CommandId.CopyValue, [a.value, a.label]));
    else if (a.kind === 'pivot') links.push(commandLink(a.label, CommandId.OpenPivot, [uri.toString(), a.filter]));
    else if (a.kind === 'narrow' && filtered) links.push(commandLink(a.label, CommandId.OpenFiltered, [uri.toString(), a.filter]));
    else if (a.kind === 'investigate') links.push(commandLink(a.label, CommandId.InvestigateFilter, [uri.toString(), a.filter]));
    else if (a.kind === 'configHistory') links.push(commandLink(a.label, CommandId.ShowConfigHistory, [a.arn, a.eventTime, a.region]));
  }
  return links.join(' · ');
}

/**
 * Hovers that explain identities, source IPs, times, actions, errors and ARNs, in event documents
 * and in raw CloudTrail JSON opened as a plain file, with links that act on the hovered value.
 */
export class EventHoverProvider implements vscode.HoverProvider {
  constructor(
    private config: Config,
    private readonly cache: EventIndexCache,
  ) {}

  updateConfig(config: Config): void {
    this.config = config;
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    try {
      if (!isCloudTrailDocument(document, this.config.rawJsonHovers)) return undefined;
      const index = await this.cache.get(document);
      if (token.isCancellationRequested) return undefined;
      const slice = (start: number, end: number): string => document.getText(new vscode.Range(document.positionAt(start), document.positionAt(end)));
      const result = hoverAt(slice, index, document.offsetAt(position));
      if (!result) return undefined;
      const links = actionLinks(document.uri, result.actions);
      // The card's text escapes every value read from the log, so its only links are these.
      // The links go under the card's title line, where a long card does not scroll them away.
      const cut = result.markdown.indexOf('\n\n');
      const text = !links ? result.markdown : cut < 0 ? `${result.markdown}\n\n${links}` : `${result.markdown.slice(0, cut)}\n\n${links}${result.markdown.slice(cut)}`;
      const markdown = new vscode.MarkdownString(text);
      markdown.isTrusted = { enabledCommands: HOVER_COMMANDS };
      return new vscode.Hover(markdown, new vscode.Range(document.positionAt(result.start), document.positionAt(result.end)));
    } catch (error) {
      log.error('Hover failed', error);
      return undefined;
    }
  }
}
