import * as vscode from 'vscode';
import { findingMessage, levelLabel } from '../../core/detections/findingText';
import { levelRank, type Level } from '../../core/detections/types';
import type { EventFinding, EventIndex, IndexedEvent } from '../../core/events/eventIndex';
import type { EventFilter } from '../../core/events/filters';
import { callerLensTitle, sourceLensTitle } from '../../core/events/lensText';
import { escapeControl } from '../../core/text/safeText';
import { CommandId } from '../commands/commandIds';
import { decodeEventDocumentUri, isEventDocument } from '../documents/eventDocumentUri';
import type { Config } from '../config';
import type { EventIndexCache } from '../documents/eventIndexCache';
import type { IntegrityMarks } from '../integrity/integrityMarks';
import { marksOfDocument, marksTitle } from '../integrity/integrityStatus';
import { log } from '../log';

class EventLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly uri: vscode.Uri,
    readonly index: EventIndex,
    readonly event: IndexedEvent,
    readonly kind: 'caller' | 'source' | 'detection' | 'integrity',
    readonly findings: EventFinding[] = [],
  ) {
    super(range);
  }
}

/**
 * A caller lens and a source-IP lens above each event of an event document. Ranges come from the
 * document's index; titles and commands are filled in only for the lenses VS Code shows.
 */
export class EventCodeLensProvider implements vscode.CodeLensProvider<EventLens> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private config: Config,
    private readonly cache: EventIndexCache,
    /** The lowest level a detection lens shows. */
    private readonly minimumLevel: () => Level = () => 'low',
    /** Files the integrity checks found wrong: a document made from one says so on its first line. */
    private readonly marks?: IntegrityMarks,
  ) {
    cache.onDidInvalidate(() => this.changed.fire());
    marks?.onDidChange(() => this.changed.fire());
  }

  updateConfig(config: Config): void {
    const before = this.config.codeLensEnabled;
    this.config = config;
    if (before !== config.codeLensEnabled) this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<EventLens[]> {
    if (!this.config.codeLensEnabled) return [];
    try {
      const index = await this.cache.get(document);
      if (token.isCancellationRequested) return [];
      const lenses: EventLens[] = [];
      const marked = this.marks ? marksOfDocument(this.marks, document.uri) : [];
      if (marked.length > 0) {
        const banner = new EventLens(new vscode.Range(0, 0, 0, 0), document.uri, index, index.events[0], 'integrity');
        banner.command = {
          title: escapeControl(`$(${marked[0].severity === 'error' ? 'error' : 'warning'}) Integrity: ${marksTitle(marked)} · open the report`),
          tooltip: escapeControl(marked.map((m) => m.message).join('\n')),
          command: CommandId.OpenLastReport,
          arguments: [marked[0].report.toString()],
        };
        lenses.push(banner);
      }
      const min = levelRank(this.minimumLevel());
      const byEvent = new Map<number, EventFinding[]>();
      for (const f of index.findings ?? []) {
        if (levelRank(f.finding.level) < min) continue;
        const list = byEvent.get(f.ordinals[0]);
        if (list) list.push(f);
        else byEvent.set(f.ordinals[0], [f]);
      }
      for (const event of index.events) {
        const range = new vscode.Range(event.line, 0, event.line, 0);
        const findings = byEvent.get(event.ordinal);
        if (findings) lenses.push(new EventLens(range, document.uri, index, event, 'detection', findings.sort((a, b) => levelRank(b.finding.level) - levelRank(a.finding.level))));
        lenses.push(new EventLens(range, document.uri, index, event, 'caller'));
        if (event.sourceIp !== undefined) lenses.push(new EventLens(range, document.uri, index, event, 'source'));
      }
      return lenses;
    } catch (error) {
      log.error('CodeLens: could not index the document', error);
      return [];
    }
  }

  resolveCodeLens(lens: EventLens): EventLens {
    if (lens.kind === 'integrity') return lens;
    const { event, index } = lens;
    let filter: EventFilter;
    let title: string;
    let tooltip: string;
    if (lens.kind === 'detection') {
      const [top, ...rest] = lens.findings;
      title = escapeControl(`$(warning) ${levelLabel(top.finding.level)}: ${top.finding.title}${rest.length ? ` (+${rest.length} more)` : ''}`);
      tooltip = lens.findings.map((f) => findingMessage(f.finding)).join('\n');
      lens.command = { title, tooltip, command: CommandId.ShowFindings, arguments: [lens.uri, event.ordinal] };
      return lens;
    }
    // A lens pivots: every event of the caller (or from the address) in the document's sources,
    // not only those this (maybe filtered) document shows; Filter Events… narrows this document.
    const narrowed = isEventDocument(lens.uri) && decodeEventDocumentUri(lens.uri).filters.length > 0;
    const where = narrowed ? 'in the whole source of this document (Filter Events… narrows this one)' : 'in a new document';
    if (lens.kind === 'caller') {
      title = callerLensTitle(event);
      filter = { kind: 'caller', key: event.caller.key, label: event.caller.label };
      tooltip = `Open every event of ${escapeControl(event.caller.label)} ${where}`;
    } else {
      title = sourceLensTitle(index, event) ?? escapeControl(event.sourceIp ?? '');
      filter = { kind: 'source', value: event.sourceIp ?? '' };
      tooltip = `Open every event from ${escapeControl(event.sourceIp ?? '')} ${where}`;
    }
    lens.command = { title, tooltip, command: CommandId.OpenPivot, arguments: [lens.uri, filter] };
    return lens;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
