// The Investigation view's webview: a header, the timeline, facet panels, filter chips, a search box
// and a virtual table (or the summary). It owns the view state (selection, stack-by facet, sort,
// scroll row), asks the host for counts and rows by message, and ignores replies a newer request has
// superseded. The host does every query; this side only draws and asks.
import type { FacetKey, Overview, Selection, TableColumn } from '../../core/store/selection';
import type { HostMessage, InvestigationInfo, ViewState, WebviewMessage } from '../../extension/investigation/protocol';
import { el, replaceChildren } from './dom';
import { FacetsView } from './facets';
import {
  chipsOf,
  clearFacet,
  formatCount,
  formatMs,
  formatRange,
  includeValue,
  isEmptySelection,
  nextSort,
  plural,
  removeChip,
  restoreViewState,
  sameSelection,
  setSearch,
  setTimeWindow,
  toggleValue,
  type FilterMode,
} from './model';
import { SummaryView } from './summary';
import { TableView } from './table';
import { TimelineView } from './timeline';
import { escapeControl } from '../../core/text/safeText';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: ViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const SEARCH_DEBOUNCE_MS = 400;
const STATE_DEBOUNCE_MS = 250;

type RequestKind = 'overview' | 'rows' | 'summary';

class InvestigationApp {
  private readonly vscode: VsCodeApi;
  private state: ViewState;
  private info: InvestigationInfo | undefined;
  private overview: Overview | undefined;
  private nextId = 1;
  /** The latest request of each kind; a reply with another id is stale. */
  private readonly latest: Record<RequestKind, number> = { overview: 0, rows: 0, summary: 0 };
  /** The first rows request for the current selection and sort: older replies hold other rows. */
  private rowsGeneration = 0;
  private readonly timings: Partial<Record<RequestKind, number>> = {};
  private tab: 'events' | 'summary' = 'events';
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private stateTimer: ReturnType<typeof setTimeout> | undefined;
  private errors: string[] = [];

  private readonly root: HTMLElement;
  private readonly header: HTMLElement;
  private readonly errorBar: HTMLElement;
  private readonly unavailable: HTMLElement;
  private readonly content: HTMLElement;
  private readonly chips: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly selectedCount: HTMLElement;
  private readonly selectedOf: HTMLElement;
  private readonly openSelected: HTMLButtonElement;
  private readonly openAll: HTMLButtonElement;
  private readonly tabEvents: HTMLButtonElement;
  private readonly tabSummary: HTMLButtonElement;
  private readonly busy: HTMLElement;
  private readonly timing: HTMLElement;
  private readonly timeline: TimelineView;
  private readonly facets: FacetsView;
  private readonly table: TableView;
  private readonly summary: SummaryView;

  constructor(root: HTMLElement) {
    this.root = root;
    this.vscode = acquireVsCodeApi();
    this.state = restoreViewState(this.vscode.getState());

    this.header = el('header', { class: 'header', attrs: { 'aria-label': 'Investigation' } });
    this.errorBar = el('div', { class: 'error-bar', attrs: { role: 'alert', 'data-testid': 'error' } });
    this.errorBar.hidden = true;
    this.unavailable = el('div', { class: 'unavailable', attrs: { role: 'alert', 'data-testid': 'unavailable' } });
    this.unavailable.hidden = true;

    this.timeline = new TimelineView({
      onWindow: (start, end) => this.changeSelection(setTimeWindow(this.state.selection, start, end)),
      onClearTime: () => this.changeSelection(setTimeWindow(this.state.selection, undefined, undefined)),
      onStackBy: (key) => this.changeStackBy(key),
    });
    this.facets = new FacetsView({
      onToggle: (key, value, mode) => this.toggle(key, value, mode),
      onClear: (key) => this.changeSelection(clearFacet(this.state.selection, key)),
    });
    this.table = new TableView({
      requestRows: (offset, limit) => this.requestRows(offset, limit),
      onSort: (column) => this.changeSort(column),
      onOpen: (rowIds) => this.post({ type: 'openSlice', selection: this.state.selection, sort: this.state.sort, rowIds }),
      onScrollRow: (row) => {
        this.state.scrollRow = row;
        this.saveStateSoon();
      },
      onSelectionChange: (count) => this.updateOpenButtons(count),
    });
    this.summary = new SummaryView({
      onCaller: (caller) => this.changeSelection(includeValue(this.state.selection, 'caller', caller)),
    });

    this.chips = el('div', { class: 'chips', attrs: { 'aria-label': 'Active filters', role: 'list' } });
    this.search = el('input', {
      class: 'search',
      attrs: { type: 'search', placeholder: 'Search event text', 'aria-label': 'Search the events’ text (Enter to apply)', spellcheck: 'false', 'data-testid': 'search' },
    });
    this.search.addEventListener('input', () => {
      if (this.searchTimer !== undefined) clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.applySearch(), SEARCH_DEBOUNCE_MS);
    });
    this.search.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.applySearch();
      }
    });
    this.selectedCount = el('span', { class: 'selected-count', attrs: { 'data-testid': 'selected-count' } });
    this.selectedOf = el('span', { class: 'selected-of' });
    this.openSelected = el('button', {
      class: 'button secondary',
      attrs: { type: 'button', 'data-testid': 'open-selected' },
      on: { click: () => this.post({ type: 'openSlice', selection: this.state.selection, sort: this.state.sort, rowIds: this.table.selectedRowIds }) },
    });
    this.openAll = el('button', {
      class: 'button',
      text: 'Open selection in editor',
      attrs: { type: 'button', 'data-testid': 'open-selection', title: 'Open every event of the selection as an event document (the host caps how many)' },
      on: { click: () => this.post({ type: 'openSlice', selection: this.state.selection, sort: this.state.sort }) },
    });
    this.tabEvents = el('button', { class: 'tab', text: 'Events', attrs: { type: 'button', role: 'tab', 'data-testid': 'tab-events' }, on: { click: () => this.showTab('events') } });
    this.tabSummary = el('button', { class: 'tab', text: 'Summary', attrs: { type: 'button', role: 'tab', 'data-testid': 'tab-summary' }, on: { click: () => this.showTab('summary') } });
    this.busy = el('span', { class: 'busy', attrs: { role: 'status', 'data-testid': 'busy' } });
    this.timing = el('span', { class: 'timing', attrs: { 'data-testid': 'timing' } });

    const main = el(
      'main',
      { class: 'main' },
      el('div', { class: 'filters' }, this.chips, this.search),
      el(
        'div',
        { class: 'main-toolbar' },
        el('div', { class: 'tabs', attrs: { role: 'tablist', 'aria-label': 'View' } }, this.tabEvents, this.tabSummary),
        el('span', { class: 'count-line' }, this.selectedCount, this.selectedOf),
        el('span', { class: 'spacer' }),
        this.openSelected,
        this.openAll,
      ),
      el('div', { class: 'main-panel' }, this.table.element, this.summary.element),
    );
    this.content = el('div', { class: 'content' }, this.timeline.element, el('div', { class: 'body' }, this.facets.element, main));
    this.content.hidden = true;
    const status = el('footer', { class: 'status' }, this.busy, el('span', { class: 'spacer' }), this.timing);
    replaceChildren(this.root, this.header, this.errorBar, this.unavailable, this.content, status);
    this.renderHeader();
    this.showTab('events', false);
    this.updateOpenButtons(0);

    window.addEventListener('message', (event: MessageEvent) => {
      const message = event.data as HostMessage | undefined;
      if (message && typeof message === 'object' && typeof message.type === 'string') this.onMessage(message);
    });
    window.addEventListener('keydown', (e) => {
      // "/" jumps to the search box, as in many log viewers, unless typing somewhere already.
      const target = e.target as HTMLElement | null;
      if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !(target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA'))) {
        e.preventDefault();
        this.search.focus();
      }
    });
    this.post({ type: 'ready' });
  }

  private post(message: WebviewMessage): void {
    this.vscode.postMessage(message);
  }

  private onMessage(message: HostMessage): void {
    switch (message.type) {
      case 'init':
        this.info = message.info;
        if (message.select) this.state = { ...this.state, selection: message.select, scrollRow: 0 };
        this.unavailable.hidden = true;
        this.content.hidden = false;
        this.renderHeader();
        this.refresh(true);
        break;
      case 'unavailable':
        this.showUnavailable(message.message);
        break;
      case 'overview':
        if (message.id !== this.latest.overview) return;
        this.overview = message.overview;
        this.timings.overview = message.ms;
        this.renderOverview();
        break;
      case 'rows':
        // A reply to an older request of the same selection and sort still holds valid rows.
        if (message.id < this.rowsGeneration || message.id > this.latest.rows) return;
        this.timings.rows = message.ms;
        this.table.receive(message.offset, message.rows, message.total);
        this.renderTimings();
        break;
      case 'summary':
        if (message.id !== this.latest.summary) return;
        this.timings.summary = message.ms;
        this.summary.render(message.summary);
        this.renderTimings();
        break;
      case 'error':
        if (message.id !== undefined) {
          const kind = (Object.keys(this.latest) as RequestKind[]).find((k) => this.latest[k] === message.id);
          if (!kind) return; // a superseded request: its failure does not matter any more
          if (kind === 'rows') this.table.requestFailed();
        }
        this.showError(message.message);
        break;
      case 'busy':
        this.busy.textContent = message.message ? escapeControl(message.message) : '';
        this.busy.classList.toggle('active', Boolean(message.message));
        break;
    }
  }

  // -- State changes ----------------------------------------------------------------------------

  private toggle(key: FacetKey, value: string, mode: FilterMode): void {
    this.changeSelection(toggleValue(this.state.selection, key, value, mode));
  }

  private changeSelection(selection: Selection): void {
    if (sameSelection(selection, this.state.selection)) return;
    this.state = { ...this.state, selection, scrollRow: 0 };
    this.refresh(false);
  }

  private changeStackBy(key: FacetKey | undefined): void {
    if (key === this.state.stackBy) return;
    this.state = { ...this.state, stackBy: key };
    if (key === undefined) delete this.state.stackBy;
    this.saveState();
    this.requestOverview();
  }

  private changeSort(column: TableColumn): void {
    this.state = { ...this.state, sort: nextSort(this.state.sort, column), scrollRow: 0 };
    this.saveState();
    this.table.setSort(this.state.sort);
    this.rowsGeneration = this.nextId;
    this.table.reset(0, this.overview?.selected);
  }

  private applySearch(): void {
    if (this.searchTimer !== undefined) clearTimeout(this.searchTimer);
    this.searchTimer = undefined;
    this.changeSelection(setSearch(this.state.selection, this.search.value));
  }

  /** Asks for everything again: a new selection (or the first one after init). */
  private refresh(first: boolean): void {
    this.saveState();
    this.renderSelection();
    this.requestOverview();
    this.table.setSort(this.state.sort);
    this.rowsGeneration = this.nextId;
    this.table.reset(first ? this.state.scrollRow : 0, undefined);
    if (this.tab === 'summary') this.requestSummary();
  }

  private requestOverview(): void {
    const id = this.nextId++;
    this.latest.overview = id;
    const message: WebviewMessage = { type: 'overview', id, selection: this.state.selection };
    if (this.state.stackBy) message.stackBy = this.state.stackBy;
    this.post(message);
  }

  private requestRows(offset: number, limit: number): void {
    if (!this.info) return;
    const id = this.nextId++;
    this.latest.rows = id;
    this.post({ type: 'rows', id, selection: this.state.selection, sort: this.state.sort, offset, limit });
  }

  private requestSummary(): void {
    const id = this.nextId++;
    this.latest.summary = id;
    this.summary.loading();
    this.post({ type: 'summary', id, selection: this.state.selection });
  }

  private saveState(): void {
    if (this.stateTimer !== undefined) clearTimeout(this.stateTimer);
    this.stateTimer = undefined;
    this.vscode.setState(this.state);
  }

  private saveStateSoon(): void {
    if (this.stateTimer !== undefined) return;
    this.stateTimer = setTimeout(() => this.saveState(), STATE_DEBOUNCE_MS);
  }

  // -- Rendering ------------------------------------------------------------------------------------

  private renderHeader(): void {
    const info = this.info;
    if (!info) {
      replaceChildren(this.header, el('h1', { text: 'Investigation' }), el('span', { class: 'muted', text: 'Opening…' }));
      return;
    }
    const parts: Node[] = [
      el('h1', { text: escapeControl(info.name), attrs: { title: escapeControl(info.name) } }),
      el('span', { class: 'header-item' }, el('span', { class: 'strong', text: formatCount(info.events), attrs: { 'data-testid': 'header-count', 'data-count': info.events } }), info.events === 1 ? ' event' : ' events'),
    ];
    if (info.first !== undefined && info.last !== undefined) {
      parts.push(el('span', { class: 'header-item muted', text: formatRange(info.first, info.last + 1000) }));
    }
    const sources = el('details', { class: 'header-item sources' }, el('summary', { text: plural(info.sources.length, 'source') }));
    const list = el('ul', { class: 'source-list' });
    for (const s of info.sources) list.appendChild(el('li', {}, el('span', { class: 'mono', text: escapeControl(s.name) }), el('span', { class: 'muted', text: ` ${plural(s.events, 'event')}` })));
    sources.appendChild(list);
    parts.push(sources);
    if (info.refused.length > 0) {
      const refused = el('details', { class: 'header-item refused', attrs: { 'data-testid': 'refused' } }, el('summary', { class: 'warning', text: `${plural(info.refused.length, 'file')} refused` }));
      const items = el('ul', { class: 'source-list' });
      for (const r of info.refused) items.appendChild(el('li', {}, el('span', { class: 'mono', text: escapeControl(r.name) }), el('span', { class: 'muted', text: ` — ${escapeControl(r.reason)}` })));
      refused.appendChild(items);
      parts.push(refused);
    }
    if (info.conflicts > 0) {
      parts.push(
        el('span', {
          class: 'header-item badge warning-badge',
          text: plural(info.conflicts, 'conflicting duplicate'),
          attrs: { title: 'Events with the same eventID but different content: one of the sources may have been altered.', 'data-testid': 'conflicts' },
        }),
      );
    }
    parts.push(el('span', { class: 'spacer' }));
    parts.push(el('button', { class: 'button secondary', text: 'Add sources…', attrs: { type: 'button', 'data-testid': 'add-sources' }, on: { click: () => this.post({ type: 'addSources' }) } }));
    replaceChildren(this.header, ...parts);
  }

  private renderSelection(): void {
    const selection = this.state.selection;
    const chips = chipsOf(selection).map((chip) =>
      el(
        'span',
        { class: `chip ${chip.kind}`, attrs: { role: 'listitem', 'data-testid': 'chip' } },
        el('span', { class: 'chip-label', text: chip.label, attrs: { title: chip.title } }),
        el('button', {
          class: 'chip-remove',
          text: '×',
          attrs: { type: 'button', 'aria-label': `Remove filter ${chip.title}`, title: 'Remove this filter' },
          on: { click: () => this.changeSelection(removeChip(this.state.selection, chip)) },
        }),
      ),
    );
    if (chips.length > 0) {
      chips.push(el('button', { class: 'link-button', text: 'Clear all', attrs: { type: 'button', 'data-testid': 'clear-all' }, on: { click: () => this.changeSelection({}) } }));
    } else {
      chips.push(el('span', { class: 'muted', text: 'All events. Click a facet value to filter, Alt+click to exclude it; drag across the timeline to select a time window.' }));
    }
    replaceChildren(this.chips, ...chips);
    if (document.activeElement !== this.search) this.search.value = selection.search ?? '';
    this.facets.setSelection(selection);
    this.timeline.setSelection(selection, this.state.stackBy);
    this.chips.classList.toggle('empty', isEmptySelection(selection));
  }

  private renderOverview(): void {
    const overview = this.overview;
    if (!overview) return;
    this.timeline.update(overview.timeline, this.state.selection, this.state.stackBy);
    this.facets.update(overview.facets, overview.selected, this.state.selection);
    this.table.hintTotal(overview.selected);
    this.selectedCount.textContent = formatCount(overview.selected);
    this.selectedCount.dataset.count = String(overview.selected);
    this.selectedOf.textContent = overview.selected === overview.total ? ' events' : ` of ${formatCount(overview.total)} events`;
    this.renderTimings();
  }

  private renderTimings(): void {
    const parts: string[] = [];
    if (this.timings.overview !== undefined) parts.push(`counted in ${formatMs(this.timings.overview)}`);
    if (this.timings.rows !== undefined) parts.push(`rows in ${formatMs(this.timings.rows)}`);
    if (this.tab === 'summary' && this.timings.summary !== undefined) parts.push(`summary in ${formatMs(this.timings.summary)}`);
    this.timing.textContent = parts.join(' · ');
  }

  private updateOpenButtons(count: number): void {
    this.openSelected.textContent = count > 0 ? `Open ${formatCount(count)} selected in editor` : 'Open selected in editor';
    this.openSelected.disabled = count === 0;
  }

  private showTab(tab: 'events' | 'summary', request = true): void {
    this.tab = tab;
    this.tabEvents.setAttribute('aria-selected', String(tab === 'events'));
    this.tabSummary.setAttribute('aria-selected', String(tab === 'summary'));
    this.table.element.hidden = tab !== 'events';
    this.summary.element.hidden = tab !== 'summary';
    this.openSelected.hidden = tab !== 'events';
    if (tab === 'summary' && request && this.info) this.requestSummary();
    if (tab === 'events') this.table.focus();
    this.renderTimings();
  }

  private showError(message: string): void {
    this.errors.push(escapeControl(message));
    const dismiss = el('button', {
      class: 'icon-button',
      text: '×',
      attrs: { type: 'button', 'aria-label': 'Dismiss the error', title: 'Dismiss', 'data-testid': 'error-dismiss' },
      on: {
        click: () => {
          this.errors = [];
          this.errorBar.hidden = true;
        },
      },
    });
    const more = this.errors.length > 1 ? el('span', { class: 'muted', text: ` (${this.errors.length - 1} earlier)` }) : null;
    replaceChildren(this.errorBar, el('span', { class: 'error-text', text: this.errors[this.errors.length - 1] }), more, el('span', { class: 'spacer' }), dismiss);
    this.errorBar.hidden = false;
  }

  private showUnavailable(message: string): void {
    this.content.hidden = true;
    this.errorBar.hidden = true;
    replaceChildren(this.header);
    replaceChildren(this.unavailable, el('h2', { text: 'The Investigation view is not available' }), el('p', { text: escapeControl(message) }));
    this.unavailable.hidden = false;
  }
}

function start(): void {
  const root = document.getElementById('app') ?? document.body;
  new InvestigationApp(root);
  root.removeAttribute('aria-busy');
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
