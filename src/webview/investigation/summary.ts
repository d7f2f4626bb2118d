// The Summary panel: the tables of InvestigationSummary, what a responder asks first. A caller
// is a link that includes it in the caller facet.
import type { InvestigationSummary } from '../../core/store/selection';
import { el, replaceChildren } from './dom';
import { displayValue, formatCount, formatIsoTime } from './model';

export interface SummaryCallbacks {
  onCaller(caller: string): void;
}

type Cell = string | number | { caller: string };

export class SummaryView {
  readonly element: HTMLElement;
  private readonly body: HTMLDivElement;

  constructor(private readonly callbacks: SummaryCallbacks) {
    this.body = el('div', { class: 'summary-body' });
    this.element = el('section', { class: 'summary', attrs: { 'data-testid': 'summary', 'aria-label': 'Summary' } }, this.body);
  }

  loading(): void {
    replaceChildren(this.body, el('div', { class: 'empty-state', text: 'Summarizing the selection…' }));
  }

  render(summary: InvestigationSummary): void {
    const sections = [
      this.table(
        'Findings by rule',
        'Detection rules that matched events of the selection (run when the events were read), highest level first.',
        ['Rule', 'Level', 'Findings', 'Events', 'First seen'],
        (summary.findingsByRule ?? []).map((r) => [r.title, r.level, r.findings, r.events, formatIsoTime(r.first)]),
      ),
      this.table(
        'Who did what from where',
        'Callers of sensitive actions, by source IP.',
        ['Caller', 'Action', 'Source IP', 'Events', 'First seen', 'Last seen'],
        summary.whoWhatWhere.map((r) => [{ caller: r.caller }, r.action, r.ip, r.count, formatIsoTime(r.first), formatIsoTime(r.last)]),
      ),
      this.table(
        'Callers',
        'Every caller of the selection, first and last seen.',
        ['Caller', 'Events', 'First seen', 'Last seen'],
        summary.callers.map((r) => [{ caller: r.caller }, r.count, formatIsoTime(r.first), formatIsoTime(r.last)]),
      ),
      this.table(
        'New access keys',
        'Access keys first seen in the selection (created or first used).',
        ['Access key', 'Caller', 'First seen', 'Via'],
        summary.newAccessKeys.map((r) => [r.accessKey, { caller: r.caller }, formatIsoTime(r.first), r.via]),
      ),
      this.table(
        'Failed calls by caller',
        'Callers whose calls failed, with their most frequent error.',
        ['Caller', 'Errors', 'Top error'],
        summary.failedByCaller.map((r) => [{ caller: r.caller }, r.errors, r.topError]),
      ),
    ];
    replaceChildren(this.body, ...sections);
  }

  private table(title: string, description: string, headers: string[], rows: Cell[][]): HTMLElement {
    const section = el('section', { class: 'summary-section' }, el('h3', { text: title }), el('p', { class: 'description', text: description }));
    if (rows.length === 0) {
      section.appendChild(el('div', { class: 'empty-state small', text: 'None in this selection.' }));
      return section;
    }
    const numeric = rows[0].map((cell) => typeof cell === 'number');
    const thead = el('thead', {}, el('tr', {}, ...headers.map((h, i) => el('th', { text: h, class: numeric[i] ? 'num' : undefined, attrs: { scope: 'col' } }))));
    const tbody = el('tbody');
    for (const row of rows) {
      const tr = el('tr');
      for (const cell of row) {
        if (typeof cell === 'number') {
          tr.appendChild(el('td', { class: 'num', text: formatCount(cell) }));
        } else if (typeof cell === 'string') {
          tr.appendChild(el('td', { text: displayValue(cell) }));
        } else {
          const link = el('button', {
            class: 'link-button caller-link',
            text: displayValue(cell.caller),
            attrs: { type: 'button', title: `Include ${displayValue(cell.caller)} in the Caller filter`, 'data-testid': 'summary-caller', 'data-value': cell.caller },
            on: { click: () => this.callbacks.onCaller(cell.caller) },
          });
          tr.appendChild(el('td', {}, link));
        }
      }
      tbody.appendChild(tr);
    }
    section.appendChild(el('table', { class: 'summary-table' }, thead, tbody));
    return section;
  }
}
