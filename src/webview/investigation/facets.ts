// The facet panels: for each facet, its top values over the selection with counts and a bar. A
// click includes a value, Alt+click excludes it; values of the selection stay listed even when the
// counts no longer hold them. Each list is one tab stop (roving tabindex, Up/Down inside it).
import { FACETS, FACET_LABELS } from '../../core/store/selection';
import type { FacetKey, FacetValue, Selection } from '../../core/store/selection';
import { averageCharWidth, el, replaceChildren } from './dom';
import { displayValue, facetEntries, facetHasFilter, formatCount, middleEllipsis, type FacetEntry, type FilterMode } from './model';

export interface FacetCallbacks {
  onToggle(key: FacetKey, value: string, mode: FilterMode): void;
  onClear(key: FacetKey): void;
}

/** Values a panel lists before "Show more". */
const COLLAPSED = 8;
/** Room a value's count takes beside it, in px. */
const COUNT_PX = 64;

export class FacetsView {
  readonly element: HTMLElement;
  private readonly panels = new Map<FacetKey, { root: HTMLElement; list: HTMLElement; clear: HTMLButtonElement; more: HTMLButtonElement }>();
  private readonly expanded = new Set<FacetKey>();
  private facets: Record<FacetKey, FacetValue[]> | undefined;
  private selected = 0;
  private selection: Selection = {};
  /** Which value has the list's tab stop, per facet. */
  private readonly active = new Map<FacetKey, string>();
  /** How many characters of a value fit beside its count. */
  private labelChars = 26;

  constructor(private readonly callbacks: FacetCallbacks) {
    this.element = el('aside', { class: 'facets', attrs: { 'aria-label': 'Facets' } });
    for (const key of FACETS) {
      const clear = el('button', {
        class: 'link-button facet-clear',
        text: 'clear',
        attrs: { type: 'button', 'aria-label': `Clear the ${FACET_LABELS[key]} filter`, 'data-testid': 'facet-clear' },
        on: { click: () => this.callbacks.onClear(key) },
      });
      const more = el('button', {
        class: 'link-button facet-more',
        attrs: { type: 'button' },
        on: {
          click: () => {
            if (this.expanded.has(key)) this.expanded.delete(key);
            else this.expanded.add(key);
            this.renderPanel(key);
          },
        },
      });
      const list = el('div', { class: 'facet-list', attrs: { role: 'group', 'aria-label': `${FACET_LABELS[key]} values. Enter includes a value, Alt+Enter excludes it.` } });
      list.addEventListener('keydown', (e) => this.onListKey(key, e));
      const root = el(
        'section',
        { class: 'facet', attrs: { 'data-testid': `facet-${key}`, 'aria-label': FACET_LABELS[key] } },
        el('div', { class: 'facet-header' }, el('h3', { text: FACET_LABELS[key] }), clear),
        list,
        more,
      );
      this.panels.set(key, { root, list, clear, more });
      this.element.appendChild(root);
    }
  }

  update(facets: Record<FacetKey, FacetValue[]>, selected: number, selection: Selection): void {
    const list = this.panels.get('caller')?.list;
    if (list && list.clientWidth > 0) this.labelChars = Math.max(8, Math.floor((list.clientWidth - COUNT_PX) / (averageCharWidth(list) * 1.04)));
    this.facets = facets;
    this.selected = selected;
    this.selection = selection;
    for (const key of FACETS) this.renderPanel(key);
  }

  /** The selection changed before its counts came: mark values now, counts follow. */
  setSelection(selection: Selection): void {
    this.selection = selection;
    for (const key of FACETS) this.renderPanel(key);
  }

  private renderPanel(key: FacetKey): void {
    const panel = this.panels.get(key);
    if (!panel) return;
    const focused = document.activeElement instanceof HTMLElement && panel.list.contains(document.activeElement) ? document.activeElement.dataset.value : undefined;
    const entries = facetEntries(this.facets?.[key] ?? [], this.selection, key);
    const expanded = this.expanded.has(key);
    const shown = expanded ? entries : entries.filter((e, i) => i < COLLAPSED || e.state !== undefined);
    panel.clear.hidden = !facetHasFilter(this.selection, key);
    panel.more.hidden = entries.length <= COLLAPSED;
    panel.more.textContent = expanded ? 'Show fewer' : `Show ${entries.length - shown.length} more`;
    if (!this.facets) {
      replaceChildren(panel.list, el('div', { class: 'facet-empty', text: 'Counting…' }));
      return;
    }
    if (shown.length === 0) {
      replaceChildren(panel.list, el('div', { class: 'facet-empty', text: 'No values' }));
      return;
    }
    let activeValue = this.active.get(key);
    if (activeValue === undefined || !shown.some((e) => e.value === activeValue)) activeValue = shown[0].value;
    this.active.set(key, activeValue);
    const buttons = shown.map((entry) => this.valueButton(key, entry, entry.value === activeValue));
    replaceChildren(panel.list, ...buttons);
    if (focused !== undefined) buttons.find((b) => b.dataset.value === focused)?.focus();
  }

  private valueButton(key: FacetKey, entry: FacetEntry, tabStop: boolean): HTMLButtonElement {
    // A caller shows its short name; the tooltip and the screen reader also get the full value.
    const label = displayValue(entry.label ?? entry.value);
    const full = entry.label !== undefined ? `${label} (${displayValue(entry.value)})` : label;
    const state = entry.state === 'include' ? ', included' : entry.state === 'exclude' ? ', excluded' : '';
    const bar = el('span', { class: 'facet-bar' });
    const share = this.selected > 0 ? entry.count / this.selected : 0;
    bar.style.width = `${Math.min(100, share * 100)}%`;
    const button = el(
      'button',
      {
        class: `facet-value${entry.state ? ` ${entry.state}` : ''}${entry.value === '' ? ' none' : ''}`,
        attrs: {
          type: 'button',
          tabindex: tabStop ? 0 : -1,
          'data-testid': 'facet-value',
          'data-value': entry.value,
          'data-count': entry.count,
          'aria-pressed': entry.state === 'include' ? 'true' : 'false',
          'aria-label': `${FACET_LABELS[key]} ${full}: ${formatCount(entry.count)} events${state}`,
          title: `${full}\n${formatCount(entry.count)} events\nClick to include, Alt+click to exclude`,
        },
        on: {
          click: (e) => {
            this.active.set(key, entry.value);
            this.callbacks.onToggle(key, entry.value, e.altKey ? 'exclude' : 'include');
          },
        },
      },
      bar,
      el('span', { class: 'facet-label', text: middleEllipsis(label, this.labelChars) }),
      el('span', { class: 'facet-count', text: formatCount(entry.count) }),
    );
    return button;
  }

  private onListKey(key: FacetKey, e: KeyboardEvent): void {
    const panel = this.panels.get(key);
    const target = e.target;
    if (!panel || !(target instanceof HTMLButtonElement) || !target.classList.contains('facet-value')) return;
    if (e.key === 'Enter' && e.altKey) {
      e.preventDefault();
      const value = target.dataset.value ?? '';
      this.active.set(key, value);
      this.callbacks.onToggle(key, value, 'exclude');
      return;
    }
    const buttons = [...panel.list.querySelectorAll<HTMLButtonElement>('button.facet-value')];
    const i = buttons.indexOf(target);
    let next = -1;
    if (e.key === 'ArrowDown') next = Math.min(buttons.length - 1, i + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, i - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = buttons.length - 1;
    if (next < 0) return;
    e.preventDefault();
    for (const b of buttons) b.tabIndex = -1;
    buttons[next].tabIndex = 0;
    buttons[next].focus();
    this.active.set(key, buttons[next].dataset.value ?? '');
  }
}
