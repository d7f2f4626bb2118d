// The virtual table: millions of rows in a scroll container whose content is total × ROW_HEIGHT
// tall (squeezed past the browser's element height limit, see model.scrollGeometry), rendering only
// the visible rows and asking the host for windows of rows as the user scrolls.
import { TABLE_COLUMNS } from '../../core/store/selection';
import type { TableColumn, TableRow, TableSort } from '../../core/store/selection';
import { averageCharWidth, el, isToggleModifier, replaceChildren } from './dom';
import {
  RowCache,
  clamp,
  formatCount,
  formatIsoTime,
  middleEllipsis,
  missingRange,
  rowsPerPage,
  scrollFromVirtualTop,
  scrollGeometry,
  virtualTopFromScroll,
  virtualTopToShow,
  visibleRows,
  type ScrollGeometry,
} from './model';
import { escapeControl } from '../../core/text/safeText';

export const ROW_HEIGHT = 22;
export const WINDOW_ROWS = 200;
const OVERSCAN = 12;
/** Levels a detection badge is coloured by (anything else shows as medium). */
const LEVEL_NAMES = new Set(['informational', 'low', 'medium', 'high', 'critical']);
const FETCH_DEBOUNCE_MS = 50;
const COLUMN_LABELS: Record<TableColumn, string> = {
  time: 'Time (UTC)',
  caller: 'Caller',
  action: 'Action',
  source: 'Source',
  ip: 'Source IP',
  outcome: 'Outcome',
  region: 'Region',
};

export interface TableCallbacks {
  requestRows(offset: number, limit: number): void;
  onSort(column: TableColumn): void;
  /** Opens rows (by store row id) as an event document. */
  onOpen(rowIds: number[]): void;
  /** The first visible row changed (saved in the view state). */
  onScrollRow(row: number): void;
  /** The multi-selection changed. */
  onSelectionChange(count: number): void;
}

export class TableView {
  readonly element: HTMLElement;
  private readonly header: HTMLDivElement;
  private readonly viewport: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly layer: HTMLDivElement;
  private readonly empty: HTMLDivElement;
  private readonly headerCells = new Map<TableColumn, HTMLElement>();
  private readonly cache = new RowCache(WINDOW_ROWS);
  /** Rows in the result; undefined until the host has said. */
  private total: number | undefined;
  private geometry: ScrollGeometry = scrollGeometry(0, ROW_HEIGHT, 0);
  /** The top of the viewport in row space (px); the scroll position is this over geometry.factor. */
  private virtualTop = 0;
  /** The scrollTop this view last set, to tell its own scrolls from the user's scrollbar drags. */
  private ownScrollTop = -1;
  private pending: { offset: number; limit: number } | undefined;
  private failed: { offset: number; limit: number } | undefined;
  private fetchTimer: ReturnType<typeof setTimeout> | undefined;
  private frame = 0;
  /** The keyboard cursor (a row index), the Shift+click anchor, and the selected row ids. */
  private cursor = -1;
  private anchor = -1;
  private readonly selectedIds = new Set<number>();
  private lastScrollRow = -1;
  private callerChars = 30;
  /** The row elements on screen, by row index, with the row each shows (undefined: a placeholder). */
  private rendered = new Map<number, { element: HTMLElement; row: TableRow | undefined; callerChars: number }>();
  /** The cursor moved onto a row still loading: select it once it comes. */
  private selectCursorOnLoad = false;

  constructor(private readonly callbacks: TableCallbacks) {
    this.header = el('div', { class: 'thead', attrs: { role: 'row', 'aria-rowindex': 1 } });
    this.header.appendChild(el('div', { class: 'cell marker', attrs: { role: 'columnheader', 'aria-label': 'Marks' } }));
    for (const column of TABLE_COLUMNS) {
      const button = el('button', {
        class: 'sort-button',
        attrs: { type: 'button', 'data-testid': `sort-${column}` },
        on: { click: () => this.callbacks.onSort(column) },
      });
      const cell = el('div', { class: `cell col-${column}`, attrs: { role: 'columnheader', 'aria-sort': 'none' } }, button);
      this.headerCells.set(column, cell);
      this.header.appendChild(cell);
    }
    this.spacer = el('div', { class: 'spacer-rows' });
    this.layer = el('div', { class: 'rows-layer', attrs: { role: 'rowgroup' } });
    this.empty = el('div', { class: 'table-empty', attrs: { 'data-testid': 'table-empty' } });
    this.empty.hidden = true;
    this.viewport = el(
      'div',
      {
        class: 'viewport',
        attrs: {
          tabindex: 0,
          role: 'rowgroup',
          'aria-label': 'Events. Up, Down, Page Up, Page Down, Home and End move; Enter opens the row; Ctrl or Cmd+click and Shift+click select several.',
        },
      },
      this.spacer,
      this.layer,
    );
    this.element = el('div', { class: 'table', attrs: { role: 'grid', 'aria-label': 'Events', 'aria-rowcount': -1, 'data-testid': 'table' } }, this.header, this.viewport, this.empty);
    this.viewport.addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.viewport.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.viewport.addEventListener('click', (e) => this.onClick(e));
    this.viewport.addEventListener('dblclick', (e) => this.onDoubleClick(e));
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
  }

  setSort(sort: TableSort): void {
    for (const [column, cell] of this.headerCells) {
      const active = sort.column === column;
      cell.setAttribute('aria-sort', active ? (sort.descending ? 'descending' : 'ascending') : 'none');
      const button = cell.firstElementChild as HTMLButtonElement;
      button.textContent = COLUMN_LABELS[column] + (active ? (sort.descending ? ' ▼' : ' ▲') : '');
      button.setAttribute('aria-label', `${COLUMN_LABELS[column]}${active ? (sort.descending ? ', sorted descending' : ', sorted ascending') : ''}. Click to sort.`);
    }
  }

  /** A new result (selection or sort changed): forget every row, start at `scrollRow`. */
  reset(scrollRow: number, totalHint: number | undefined): void {
    this.cache.clear();
    this.rendered.clear();
    this.pending = undefined;
    this.failed = undefined;
    this.total = totalHint;
    this.selectedIds.clear();
    this.cursor = -1;
    this.anchor = -1;
    this.selectCursorOnLoad = false;
    this.callbacks.onSelectionChange(0);
    this.updateGeometry();
    this.virtualTop = clamp(scrollRow * ROW_HEIGHT, 0, Math.max(0, this.geometry.contentHeight - this.geometry.viewportHeight));
    this.applyScroll();
    this.render();
    this.fetchNow();
  }

  /** The overview's count came before the first rows: size the scrollbar with it. */
  hintTotal(total: number): void {
    if (this.total !== undefined) return;
    this.total = total;
    this.schedule();
  }

  receive(offset: number, rows: TableRow[], total: number): void {
    if (this.pending && this.pending.offset === offset) this.pending = undefined;
    this.failed = undefined;
    const changed = this.total !== total;
    this.total = total;
    this.cache.put(offset, rows, total);
    const cursorRow = this.selectCursorOnLoad ? this.cache.get(this.cursor) : undefined;
    if (cursorRow) {
      this.selectCursorOnLoad = false;
      this.selectedIds.add(cursorRow.id);
      this.callbacks.onSelectionChange(this.selectedIds.size);
    }
    if (changed) {
      this.updateGeometry();
      this.applyScroll();
    }
    this.render();
    // The viewport may have moved on while this window was on its way.
    this.scheduleFetch();
  }

  /** The latest rows request failed: show it in the placeholders and stop asking for that window. */
  requestFailed(): void {
    this.failed = this.pending;
    this.pending = undefined;
    this.rendered.clear();
    this.render();
  }

  get selectedRowIds(): number[] {
    return [...this.selectedIds];
  }

  focus(): void {
    this.viewport.focus();
  }

  private updateGeometry(): void {
    this.geometry = scrollGeometry(this.total ?? 0, ROW_HEIGHT, this.viewport.clientHeight);
    this.spacer.style.height = `${this.geometry.innerHeight}px`;
    this.element.setAttribute('aria-rowcount', String(this.total === undefined ? -1 : this.total + 1));
    // Rows are narrower than the header by the scrollbar's width.
    this.header.style.paddingRight = `${this.viewport.offsetWidth - this.viewport.clientWidth}px`;
  }

  private applyScroll(): void {
    const target = scrollFromVirtualTop(this.virtualTop, this.geometry);
    if (Math.abs(this.viewport.scrollTop - target) >= 0.5) this.viewport.scrollTop = target;
    this.ownScrollTop = this.viewport.scrollTop;
  }

  private onScroll(): void {
    const top = this.viewport.scrollTop;
    // A scroll this view did not make (scrollbar drag, touchpad): take the position from it.
    if (Math.abs(top - this.ownScrollTop) >= 1) {
      this.virtualTop = virtualTopFromScroll(top, this.geometry);
      this.ownScrollTop = top;
    }
    this.schedule();
    this.scheduleFetch();
  }

  /**
   * When the content is squeezed, one scroll pixel is several rows' worth: the wheel then moves the
   * virtual top by its own delta, so it scrolls at the usual speed however many rows there are.
   */
  private onWheel(e: WheelEvent): void {
    if (this.geometry.factor <= 1 || e.ctrlKey || e.deltaY === 0) return;
    e.preventDefault();
    const unit = e.deltaMode === 1 ? ROW_HEIGHT : e.deltaMode === 2 ? this.geometry.viewportHeight : 1;
    this.scrollToVirtualTop(this.virtualTop + e.deltaY * unit);
  }

  private scrollToVirtualTop(virtualTop: number): void {
    this.virtualTop = clamp(virtualTop, 0, Math.max(0, this.geometry.contentHeight - this.geometry.viewportHeight));
    this.applyScroll();
    this.schedule();
    this.scheduleFetch();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private scheduleFetch(): void {
    if (this.fetchTimer !== undefined) clearTimeout(this.fetchTimer);
    this.fetchTimer = setTimeout(() => {
      this.fetchTimer = undefined;
      this.fetchNow();
    }, FETCH_DEBOUNCE_MS);
  }

  private fetchNow(): void {
    const g = scrollGeometry(this.total ?? 0, ROW_HEIGHT, this.viewport.clientHeight);
    // Before the host has told the total, ask for the window at the scroll position anyway.
    const visible =
      this.total === undefined
        ? { first: Math.floor(this.virtualTop / ROW_HEIGHT), end: Math.floor(this.virtualTop / ROW_HEIGHT) + 1 }
        : visibleRows(this.virtualTop, g, OVERSCAN);
    const need = missingRange(visible.first, visible.end, WINDOW_ROWS, (offset) => this.cache.has(offset));
    if (!need) return;
    const same = (a: { offset: number; limit: number } | undefined) => a !== undefined && a.offset === need.offset && a.limit === need.limit;
    if (same(this.pending) || same(this.failed)) return;
    this.pending = need;
    this.callbacks.requestRows(need.offset, need.limit);
  }

  private render(): void {
    this.updateGeometry();
    const g = this.geometry;
    if (this.total === 0) {
      this.empty.hidden = false;
      this.empty.textContent = 'No events match this selection.';
      this.rendered.clear();
      replaceChildren(this.layer);
      return;
    }
    this.empty.hidden = true;
    this.virtualTop = clamp(this.virtualTop, 0, Math.max(0, g.contentHeight - g.viewportHeight));
    const visible = visibleRows(this.virtualTop, g, OVERSCAN);
    const scrollTop = this.viewport.scrollTop;
    this.layer.style.transform = `translateY(${scrollTop + visible.offsetPx}px)`;
    // Callers are mostly ARNs: cut their middle, not their end (the name is at the end).
    const callerHeader = this.headerCells.get('caller');
    const sampleRow = this.layer.querySelector('.row .col-caller');
    if (callerHeader && sampleRow) this.callerChars = Math.max(8, Math.floor((callerHeader.clientWidth - 12) / (averageCharWidth(sampleRow) * 1.04)));
    for (let offset = Math.floor(visible.first / WINDOW_ROWS) * WINDOW_ROWS; offset < visible.end; offset += WINDOW_ROWS) this.cache.touch(offset);
    // Rows already on screen keep their element (a double-click needs the element it began on);
    // only their selection state is brought up to date.
    const previous = this.rendered;
    this.rendered = new Map();
    const rows: HTMLElement[] = [];
    let same = previous.size === visible.end - visible.first;
    for (let i = visible.first; i < visible.end; i++) {
      const row = this.cache.get(i);
      const kept = previous.get(i);
      let element: HTMLElement;
      if (kept && kept.row === row && kept.callerChars === this.callerChars) {
        element = kept.element;
        if (row) this.updateRowState(element, i, row);
      } else {
        element = row ? this.rowElement(i, row) : this.placeholder(i);
        same = false;
      }
      this.rendered.set(i, { element, row, callerChars: this.callerChars });
      rows.push(element);
    }
    if (!same) replaceChildren(this.layer, ...rows);
    const cursorRow = this.cursor >= visible.first && this.cursor < visible.end ? `row-${this.cursor}` : undefined;
    if (cursorRow) this.viewport.setAttribute('aria-activedescendant', cursorRow);
    else this.viewport.removeAttribute('aria-activedescendant');
    const scrollRow = Math.floor(this.virtualTop / ROW_HEIGHT);
    if (scrollRow !== this.lastScrollRow) {
      this.lastScrollRow = scrollRow;
      this.callbacks.onScrollRow(scrollRow);
    }
  }

  private updateRowState(element: HTMLElement, index: number, row: TableRow): void {
    const selected = this.selectedIds.has(row.id);
    element.classList.toggle('selected', selected);
    element.classList.toggle('cursor', index === this.cursor);
    element.setAttribute('aria-selected', selected ? 'true' : 'false');
  }

  private rowElement(index: number, row: TableRow): HTMLElement {
    const failed = row.outcome !== 'success';
    const selected = this.selectedIds.has(row.id);
    const classes = ['row', index % 2 ? 'odd' : 'even'];
    if (failed) classes.push('failed');
    if (row.sensitive) classes.push('sensitive');
    if (row.detection) classes.push('detection');
    if (selected) classes.push('selected');
    if (index === this.cursor) classes.push('cursor');
    const marker = el('div', { class: 'cell marker', attrs: { role: 'gridcell' } });
    if (row.detection) {
      const level = LEVEL_NAMES.has(row.detectionLevel ?? '') ? row.detectionLevel! : 'medium';
      const text = `Detection (${level}): ${escapeControl(row.detection)}`;
      marker.appendChild(el('span', { class: `detection-mark level-${level}`, text: '◆', attrs: { title: text, 'aria-label': text, 'data-testid': 'detection-mark', 'data-level': level } }));
    }
    if (row.sensitive) {
      marker.appendChild(el('span', { class: 'sensitive-mark', text: '▼', attrs: { title: `Sensitive action: ${escapeControl(row.sensitive)}`, 'aria-label': `Sensitive: ${escapeControl(row.sensitive)}` } }));
    }
    const element = el('div', {
      class: classes.join(' '),
      attrs: {
        id: `row-${index}`,
        role: 'row',
        'aria-rowindex': index + 2,
        'aria-selected': selected ? 'true' : 'false',
        'data-testid': 'table-row',
        'data-id': row.id,
        'data-index': index,
      },
    });
    element.appendChild(marker);
    for (const column of TABLE_COLUMNS) {
      const raw = row[column];
      const text = column === 'time' ? formatIsoTime(raw) : escapeControl(raw);
      const shown = column === 'caller' ? middleEllipsis(text, this.callerChars) : text;
      const cell = el('div', { class: `cell col-${column}${raw === '' ? ' blank' : ''}`, attrs: { role: 'gridcell' }, text: raw === '' ? '—' : shown });
      if (column !== 'time' && text.length > 16) cell.title = text;
      element.appendChild(cell);
    }
    return element;
  }

  private placeholder(index: number): HTMLElement {
    const failed = this.failed !== undefined && index >= this.failed.offset && index < this.failed.offset + this.failed.limit;
    const element = el('div', { class: `row placeholder${index % 2 ? ' odd' : ' even'}`, attrs: { role: 'row', 'aria-rowindex': index + 2, 'aria-busy': failed ? undefined : 'true', 'data-index': index } });
    element.appendChild(el('div', { class: 'cell marker' }));
    element.appendChild(el('div', { class: 'cell col-time', text: failed ? 'Could not load these rows' : 'Loading…' }));
    return element;
  }

  private rowIndexOf(e: Event): number {
    const target = e.target instanceof Element ? e.target.closest<HTMLElement>('.row') : null;
    if (!target || target.classList.contains('placeholder')) return -1;
    return Number(target.dataset.index);
  }

  private onClick(e: MouseEvent): void {
    const index = this.rowIndexOf(e);
    if (index < 0) return;
    const row = this.cache.get(index);
    if (!row) return;
    if (e.shiftKey && this.anchor >= 0) {
      if (!isToggleModifier(e)) this.selectedIds.clear();
      const [a, b] = [Math.min(this.anchor, index), Math.max(this.anchor, index)];
      for (let i = a; i <= b; i++) {
        const r = this.cache.get(i);
        if (r) this.selectedIds.add(r.id);
      }
    } else if (isToggleModifier(e)) {
      if (this.selectedIds.has(row.id)) this.selectedIds.delete(row.id);
      else this.selectedIds.add(row.id);
      this.anchor = index;
    } else {
      this.selectedIds.clear();
      this.selectedIds.add(row.id);
      this.anchor = index;
    }
    this.cursor = index;
    this.callbacks.onSelectionChange(this.selectedIds.size);
    this.render();
  }

  private onDoubleClick(e: MouseEvent): void {
    const index = this.rowIndexOf(e);
    const row = index >= 0 ? this.cache.get(index) : undefined;
    if (row) this.callbacks.onOpen([row.id]);
  }

  private onKey(e: KeyboardEvent): void {
    const total = this.total ?? 0;
    if (total === 0) return;
    const page = rowsPerPage(this.geometry);
    const from = this.cursor < 0 ? Math.floor(this.virtualTop / ROW_HEIGHT) - 1 : this.cursor;
    let to: number;
    switch (e.key) {
      case 'ArrowDown':
        to = from + 1;
        break;
      case 'ArrowUp':
        to = this.cursor < 0 ? from + 1 : from - 1;
        break;
      case 'PageDown':
        to = from + page;
        break;
      case 'PageUp':
        to = from - page;
        break;
      case 'Home':
        to = 0;
        break;
      case 'End':
        to = total - 1;
        break;
      case 'Enter': {
        const row = this.cursor >= 0 ? this.cache.get(this.cursor) : undefined;
        if (row) this.callbacks.onOpen([row.id]);
        e.preventDefault();
        return;
      }
      case ' ': {
        const row = this.cursor >= 0 ? this.cache.get(this.cursor) : undefined;
        if (row) {
          if (this.selectedIds.has(row.id)) this.selectedIds.delete(row.id);
          else this.selectedIds.add(row.id);
          this.anchor = this.cursor;
          this.callbacks.onSelectionChange(this.selectedIds.size);
          this.render();
        }
        e.preventDefault();
        return;
      }
      case 'Escape':
        if (this.selectedIds.size === 0) return;
        this.selectedIds.clear();
        this.callbacks.onSelectionChange(0);
        this.render();
        e.preventDefault();
        return;
      default:
        return;
    }
    e.preventDefault();
    this.moveCursor(clamp(to, 0, total - 1), e.shiftKey);
  }

  private moveCursor(index: number, extend: boolean): void {
    this.cursor = index;
    const row = this.cache.get(index);
    if (extend) {
      if (this.anchor < 0) this.anchor = index;
      const [a, b] = [Math.min(this.anchor, index), Math.max(this.anchor, index)];
      this.selectedIds.clear();
      for (let i = a; i <= b; i++) {
        const r = this.cache.get(i);
        if (r) this.selectedIds.add(r.id);
      }
    } else {
      this.anchor = index;
      this.selectedIds.clear();
      if (row) this.selectedIds.add(row.id);
    }
    this.selectCursorOnLoad = !extend && !row;
    this.callbacks.onSelectionChange(this.selectedIds.size);
    this.scrollToVirtualTop(virtualTopToShow(index, this.virtualTop, this.geometry));
    this.render();
  }

  /** For the status line: how many rows the table holds. */
  describe(): string {
    return this.total === undefined ? '' : `${formatCount(this.total)} rows`;
  }
}
