// The query results renderer of CloudTrail query notebooks: a summary line (rows, engine, time, bytes
// scanned and cost), a timeline of the rows when the result has a time column, and a virtual table
// (the Investigation view's window math, so 100,000 rows scroll as 20 do) sortable by any column.
// "Open as Events" and "Load into Investigation" ask the extension through renderer messaging.
// Every value is hostile text: it reaches the page only through textContent and attributes.
import type { ActivationFunction, OutputItem, RendererContext } from 'vscode-notebook-renderer';
import { el, replaceChildren, svg } from '../investigation/dom';
import { scrollGeometry, visibleRows, virtualTopFromScroll, type ScrollGeometry } from '../investigation/model';
import { cellText, sortedOrder, summaryLine, timeBuckets, timeColumn, type SummaryStats } from './resultModel';

interface Payload {
  outputId: string;
  engine: 'local' | 'athena' | 'logs';
  columns: { name: string; type?: string }[];
  rows: unknown[][];
  truncated: boolean;
  stats?: SummaryStats;
}

const ROW_HEIGHT = 22;
const MAX_VIEWPORT = 22 * 16;
const OVERSCAN = 8;
const ENGINE_LABELS = { local: 'local investigation', athena: 'Athena', logs: 'CloudWatch Logs Insights' } as const;

const STYLE = `
.ctl-result { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); }
.ctl-bar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 4px 0 6px; }
.ctl-summary { color: var(--vscode-descriptionForeground); margin-right: auto; }
.ctl-bar button { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); border: 1px solid var(--vscode-button-border, transparent); padding: 2px 8px; cursor: pointer; font: inherit; }
.ctl-bar button:hover { background: var(--vscode-button-secondaryHoverBackground); }
.ctl-bar button:focus-visible, .ctl-viewport:focus-visible, .ctl-head button:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
.ctl-timeline { display: block; width: 100%; height: 44px; }
.ctl-axis { display: flex; justify-content: space-between; color: var(--vscode-descriptionForeground); font-size: 10px; margin-bottom: 6px; }
.ctl-timeline rect { fill: var(--vscode-charts-blue, #3794ff); }
.ctl-table { border: 1px solid var(--vscode-panel-border, rgba(128,128,128,.35)); }
.ctl-head, .ctl-row { display: grid; }
.ctl-head { background: var(--vscode-editorWidget-background); border-bottom: 1px solid var(--vscode-panel-border, rgba(128,128,128,.35)); }
.ctl-head button { all: unset; padding: 2px 6px; font-weight: 600; cursor: pointer; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.ctl-viewport { overflow: auto; position: relative; }
.ctl-layer { position: absolute; left: 0; right: 0; }
.ctl-row { height: ${ROW_HEIGHT}px; line-height: ${ROW_HEIGHT}px; }
.ctl-row:nth-child(odd) { background: var(--vscode-list-hoverBackground, transparent); }
.ctl-cell { padding: 0 6px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-family: var(--vscode-editor-font-family); }
.ctl-null { color: var(--vscode-disabledForeground, gray); font-style: italic; }
.ctl-empty { padding: 6px; color: var(--vscode-descriptionForeground); }
`;

function isPayload(v: unknown): v is Payload {
  const p = v as Payload;
  return typeof p === 'object' && p !== null && Array.isArray(p.columns) && Array.isArray(p.rows) && typeof p.outputId === 'string';
}

function dayTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
}

function timeline(p: Payload, column: number): HTMLElement | undefined {
  const { step, buckets } = timeBuckets(p.rows, column);
  if (buckets.length < 2) return undefined;
  const width = 600;
  const height = 44;
  const top = Math.max(...buckets.map((b) => b.count));
  const w = width / buckets.length;
  const chart = svg('svg', { class: 'ctl-timeline', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': `Rows over time by ${p.columns[column].name}` });
  for (const [k, b] of buckets.entries()) {
    const h = top === 0 ? 0 : Math.max(b.count > 0 ? 1 : 0, ((height - 2) * b.count) / top);
    const bar = svg('rect', { x: k * w + 0.5, y: height - h, width: Math.max(1, w - 1), height: h });
    bar.appendChild(svg('title', {}, `${dayTime(b.start)} – ${dayTime(b.start + step)} UTC: ${b.count.toLocaleString('en-US')} row(s)`));
    chart.appendChild(bar);
  }
  // The axis labels are HTML beside the stretched chart, so their text keeps its shape.
  const axis = el('div', { class: 'ctl-axis' }, el('span', { text: `${dayTime(buckets[0].start)} UTC` }), el('span', { text: `${dayTime(buckets[buckets.length - 1].start + step)} UTC` }));
  return el('div', {}, chart, axis);
}

function render(p: Payload, element: HTMLElement, context: RendererContext<unknown>): void {
  const columns = p.columns.map((c) => c.name);
  const template = `repeat(${Math.max(1, columns.length)}, minmax(80px, 1fr))`;
  let sortColumn: number | undefined;
  let descending = false;
  let order = sortedOrder(p.rows, undefined, false);

  const actions: HTMLElement[] = [];
  if (context.postMessage) {
    actions.push(
      el('button', { text: 'Open as Events', attrs: { title: 'Open the rows as an event document with lenses and hovers' }, on: { click: () => context.postMessage?.({ type: 'openEvents', outputId: p.outputId }) } }),
      el('button', { text: 'Load into Investigation', attrs: { title: 'Read the rows as events into a new or chosen investigation' }, on: { click: () => context.postMessage?.({ type: 'loadIntoInvestigation', outputId: p.outputId }) } }),
    );
  }
  const bar = el('div', { class: 'ctl-bar' }, el('span', { class: 'ctl-summary', text: summaryLine(p, ENGINE_LABELS[p.engine] ?? p.engine) }), ...actions);

  const timeAt = timeColumn(p.columns, p.rows);
  const chart = timeAt === undefined ? undefined : timeline(p, timeAt);

  const head = el('div', { class: 'ctl-head', attrs: { role: 'row' } });
  head.style.gridTemplateColumns = template;
  const headButtons = columns.map((name, i) =>
    el('button', {
      text: name,
      attrs: { role: 'columnheader', title: `${name}${p.columns[i].type ? ` (${p.columns[i].type})` : ''}: sort`, 'aria-sort': 'none' },
      on: {
        click: () => {
          if (sortColumn === i) descending = !descending;
          else {
            sortColumn = i;
            descending = false;
          }
          order = sortedOrder(p.rows, sortColumn, descending);
          headButtons.forEach((b, k) => b.setAttribute('aria-sort', k === sortColumn ? (descending ? 'descending' : 'ascending') : 'none'));
          draw();
        },
      },
    }),
  );
  for (const b of headButtons) head.appendChild(b);

  const viewport = el('div', { class: 'ctl-viewport', attrs: { tabindex: 0, role: 'rowgroup', 'aria-label': `${p.rows.length} result rows` } });
  const spacer = el('div');
  const layer = el('div', { class: 'ctl-layer' });
  viewport.append(spacer, layer);
  const viewportHeight = Math.min(MAX_VIEWPORT, Math.max(ROW_HEIGHT, p.rows.length * ROW_HEIGHT));
  viewport.style.height = `${viewportHeight + 2}px`;
  let geometry: ScrollGeometry = scrollGeometry(p.rows.length, ROW_HEIGHT, viewportHeight);
  spacer.style.height = `${geometry.innerHeight}px`;

  function draw(): void {
    geometry = scrollGeometry(p.rows.length, ROW_HEIGHT, viewport.clientHeight || viewportHeight);
    const top = virtualTopFromScroll(viewport.scrollTop, geometry);
    const v = visibleRows(top, geometry, OVERSCAN);
    layer.style.top = `${viewport.scrollTop + v.offsetPx}px`;
    const rows: HTMLElement[] = [];
    for (let k = v.first; k < v.end; k++) {
      const row = p.rows[order[k]] ?? [];
      const line = el('div', { class: 'ctl-row', attrs: { role: 'row', 'aria-rowindex': k + 1 } });
      line.style.gridTemplateColumns = template;
      for (let i = 0; i < columns.length; i++) {
        const value = row[i];
        const text = cellText(value);
        line.appendChild(el('div', { class: value === null || value === undefined ? 'ctl-cell ctl-null' : 'ctl-cell', text, attrs: { role: 'cell', title: text.length > 40 ? text.slice(0, 2000) : undefined } }));
      }
      rows.push(line);
    }
    replaceChildren(layer, ...rows);
  }
  viewport.addEventListener('scroll', () => requestAnimationFrame(draw), { passive: true });

  const table = el('div', { class: 'ctl-table', attrs: { role: 'table', 'aria-rowcount': p.rows.length } }, head, p.rows.length === 0 ? el('div', { class: 'ctl-empty', text: 'The query returned no rows.' }) : viewport);
  const style = document.createElement('style');
  style.textContent = STYLE;
  replaceChildren(element, style, el('div', { class: 'ctl-result', attrs: { 'data-output-id': p.outputId } }, bar, chart, table));
  if (p.rows.length > 0) draw();
}

export const activate: ActivationFunction = (context) => ({
  renderOutputItem(item: OutputItem, element: HTMLElement) {
    let payload: unknown;
    try {
      payload = item.json();
    } catch {
      payload = undefined;
    }
    if (!isPayload(payload)) {
      replaceChildren(element, el('div', { text: 'This output is not a CloudTrail Lens query result.' }));
      return;
    }
    render(payload, element, context);
  },
  disposeOutputItem() {
    // Nothing is held outside the element VS Code removes.
  },
});
