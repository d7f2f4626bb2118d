import * as vscode from 'vscode';
import type { IndexedEvent } from '../../core/events/eventIndex';
import { escapeControl } from '../../core/text/safeText';
import type { EventIndexCache } from './eventIndexCache';
import { log } from '../log';

/** `2026-11-01T10:00:00Z · alice · 198.51.100.7 · AccessDenied`, controls escaped (the log's text). */
export function eventDetail(event: IndexedEvent): string {
  return escapeControl([event.eventTime ?? 'no time', event.caller.label, event.sourceIp, event.errorCode].filter((p) => p !== undefined && p !== '').join(' · '));
}

/** The outline of an event document: one symbol per event, named by its action. */
export class EventOutlineProvider implements vscode.DocumentSymbolProvider {
  constructor(private readonly cache: EventIndexCache) {}

  async provideDocumentSymbols(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.DocumentSymbol[]> {
    try {
      const index = await this.cache.get(document);
      if (token.isCancellationRequested) return [];
      return index.events.map((event) => {
        const range = new vscode.Range(event.line, 0, event.endLine, document.lineAt(Math.min(event.endLine, document.lineCount - 1)).text.length);
        const selection = new vscode.Range(event.line, 0, event.line, document.lineAt(Math.min(event.line, document.lineCount - 1)).text.length);
        return new vscode.DocumentSymbol(escapeControl(event.eventName ?? 'event'), eventDetail(event), vscode.SymbolKind.Event, range, selection);
      });
    } catch (error) {
      log.error('Outline failed', error);
      return [];
    }
  }
}
