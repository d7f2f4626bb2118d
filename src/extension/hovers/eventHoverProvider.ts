import * as vscode from 'vscode';
import { hoverAt } from '../../core/events/hoverText';
import type { Config } from '../config';
import { isCloudTrailDocument, type EventIndexCache } from '../documents/eventIndexCache';
import { log } from '../log';

/**
 * Hovers that explain identities, source IPs, times, actions, errors and ARNs, in event documents
 * and in raw CloudTrail JSON opened as a plain file.
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
      const markdown = new vscode.MarkdownString(result.markdown);
      return new vscode.Hover(markdown, new vscode.Range(document.positionAt(result.start), document.positionAt(result.end)));
    } catch (error) {
      log.error('Hover failed', error);
      return undefined;
    }
  }
}
