// The timeline: an SVG bar chart of the overview's buckets, stacked by a facet, with marks for
// buckets that hold detections (a diamond above the top track), sensitive actions (a triangle on the
// top track) and errors (a dot on the bottom track). Dragging across it, or moving a cursor with the keyboard, selects a window of whole
// buckets.
import { FACETS, FACET_LABELS } from '../../core/store/selection';
import type { FacetKey, Selection, Timeline } from '../../core/store/selection';
import { el, replaceChildren, svg } from './dom';
import {
  bucketIndexAt,
  bucketScale,
  bucketsInWindow,
  brushWindow,
  clamp,
  displayValue,
  middleEllipsis,
  formatCompact,
  formatCount,
  formatRange,
  formatUtc,
  niceMax,
  seriesClass,
  timeTicks,
  timeToX,
  type TimeScale,
} from './model';

export interface TimelineCallbacks {
  onWindow(start: number, end: number): void;
  onClearTime(): void;
  onStackBy(key: FacetKey | undefined): void;
}

const HEIGHT = 150;
const MARGIN = { left: 46, right: 14, top: 16, bottom: 30 };
/** The tracks for the marks: sensitive above the bars, errors below the baseline. */
const TOP_TRACK = 8;
const BOTTOM_TRACK = 6;
/** The detections' track, in the margin above the sensitive one. */
const DETECTION_TRACK = 8;

export class TimelineView {
  readonly element: HTMLElement;
  private readonly plot: HTMLDivElement;
  private readonly legend: HTMLDivElement;
  private readonly stackSelect: HTMLSelectElement;
  private readonly clearButton: HTMLButtonElement;
  private readonly live: HTMLDivElement;
  private readonly caption: HTMLSpanElement;
  private timeline: Timeline | undefined;
  private selection: Selection = {};
  private scale: TimeScale = { t0: 0, t1: 1, x0: 0, x1: 1 };
  /** The bucket the keyboard cursor is on, and the other end of a Shift-extended window. */
  private cursor = -1;
  private anchor = -1;
  /** A mouse drag in progress: the bucket it started on and the one under the pointer. */
  private drag: { from: number; to: number; pointerId: number } | undefined;
  private brushRect: SVGRectElement | undefined;
  private cursorRect: SVGRectElement | undefined;
  private width = 0;
  /** The cursor shows once the keyboard has been used, not after a mouse brush. */
  private keyboard = false;

  constructor(private readonly callbacks: TimelineCallbacks) {
    this.stackSelect = el('select', { attrs: { 'aria-label': 'Stack the timeline by', 'data-testid': 'stack-by' } });
    this.stackSelect.appendChild(el('option', { text: '(none)', attrs: { value: '' } }));
    for (const key of FACETS) this.stackSelect.appendChild(el('option', { text: FACET_LABELS[key], attrs: { value: key } }));
    this.stackSelect.addEventListener('change', () => {
      const value = this.stackSelect.value;
      this.callbacks.onStackBy(value === '' ? undefined : (value as FacetKey));
    });
    this.clearButton = el('button', {
      class: 'link-button',
      text: 'Clear time',
      attrs: { type: 'button', 'data-testid': 'clear-time' },
      on: { click: () => this.callbacks.onClearTime() },
    });
    this.legend = el('div', { class: 'legend', attrs: { 'aria-label': 'Legend' } });
    this.caption = el('span', { class: 'timeline-caption' });
    this.plot = el('div', {
      class: 'timeline-plot',
      attrs: {
        tabindex: 0,
        role: 'group',
        'aria-roledescription': 'timeline',
        'aria-label': 'Timeline. Left and Right move between buckets, Shift extends a window, Enter selects it, Escape clears the time window.',
        'data-testid': 'timeline',
      },
    });
    this.live = el('div', { class: 'visually-hidden', attrs: { 'aria-live': 'polite' } });
    this.element = el(
      'section',
      { class: 'timeline', attrs: { 'aria-label': 'Timeline' } },
      el(
        'div',
        { class: 'toolbar' },
        el('span', { class: 'section-title', text: 'Timeline' }),
        this.caption,
        el('span', { class: 'spacer' }),
        this.legend,
        el('label', { class: 'stack-by' }, 'Stack by ', this.stackSelect),
        this.clearButton,
      ),
      this.plot,
      this.live,
    );
    this.plot.addEventListener('keydown', (e) => this.onKey(e));
    this.plot.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    this.plot.addEventListener('pointermove', (e) => this.onPointerMove(e));
    this.plot.addEventListener('pointerup', (e) => this.onPointerUp(e));
    this.plot.addEventListener('pointercancel', () => this.endDrag());
    // The cursor shows only while the timeline has focus.
    this.plot.addEventListener('focus', () => this.drawOverlay());
    this.plot.addEventListener('blur', () => this.drawOverlay());
    new ResizeObserver(() => {
      const width = this.plot.clientWidth;
      if (width !== this.width) this.render();
    }).observe(this.plot);
  }

  update(timeline: Timeline, selection: Selection, stackBy: FacetKey | undefined): void {
    const before = this.timeline?.buckets[this.cursor]?.t;
    this.timeline = timeline;
    this.selection = selection;
    this.stackSelect.value = stackBy ?? '';
    // Keep the cursor on the same time when the buckets change under it.
    this.cursor = before === undefined ? -1 : timeline.buckets.findIndex((b) => b.t === before);
    this.anchor = this.cursor;
    this.render();
  }

  /** The selection changed before its overview arrived: show the window and the Clear control now. */
  setSelection(selection: Selection, stackBy: FacetKey | undefined): void {
    this.selection = selection;
    this.stackSelect.value = stackBy ?? '';
    this.renderChrome();
  }

  private renderChrome(): void {
    const hasTime = this.selection.start !== undefined || this.selection.end !== undefined;
    this.clearButton.hidden = !hasTime;
    this.caption.textContent = hasTime ? formatRange(this.selection.start, this.selection.end) : '';
  }

  private render(): void {
    this.renderChrome();
    this.width = this.plot.clientWidth;
    const timeline = this.timeline;
    if (!timeline) return;
    this.renderLegend(timeline);
    const width = Math.max(200, this.width);
    const root = svg('svg', { width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, class: 'timeline-svg', 'aria-hidden': 'true' });
    this.brushRect = undefined;
    this.cursorRect = undefined;
    if (timeline.buckets.every((b) => b.counts.every((c) => c === 0))) {
      root.appendChild(svg('text', { x: width / 2, y: HEIGHT / 2, class: 'empty-text', 'text-anchor': 'middle' }, 'No events match this selection'));
      replaceChildren(this.plot, root);
      return;
    }
    const { buckets, bucketMs, series } = timeline;
    const plotTop = MARGIN.top;
    const plotBottom = HEIGHT - MARGIN.bottom;
    this.scale = bucketScale(buckets, bucketMs, MARGIN.left, width - MARGIN.right);
    const s = this.scale;
    const max = niceMax(Math.max(1, ...buckets.map((b) => b.counts.reduce((a, c) => a + c, 0))));
    const y = (n: number) => plotBottom - (n / max) * (plotBottom - plotTop);

    // Count axis: three grid lines.
    const grid = svg('g', { class: 'grid' });
    for (const f of max >= 2 ? [0, 0.5, 1] : [0, 1]) {
      const yy = Math.round(y(max * f)) + 0.5;
      grid.appendChild(svg('line', { x1: s.x0, x2: s.x1, y1: yy, y2: yy, class: f === 0 ? 'baseline' : 'gridline' }));
      grid.appendChild(svg('text', { x: s.x0 - 6, y: yy + 4, 'text-anchor': 'end', class: 'axis-label' }, formatCompact(max * f)));
    }
    root.appendChild(grid);

    // The selected time window, when it does not cover every bucket: shade the rest.
    const range = bucketsInWindow(buckets, bucketMs, this.selection.start, this.selection.end);
    if (range && (this.selection.start !== undefined || this.selection.end !== undefined) && (range[0] > 0 || range[1] < buckets.length - 1)) {
      const xa = timeToX(buckets[range[0]].t, s);
      const xb = timeToX(buckets[range[1]].t + bucketMs, s);
      root.appendChild(svg('rect', { x: xa, y: plotTop - TOP_TRACK, width: Math.max(1, xb - xa), height: plotBottom - plotTop + TOP_TRACK, class: 'window' }));
    }

    const bars = svg('g', { class: 'bars' });
    for (let i = 0; i < buckets.length; i++) {
      const b = buckets[i];
      const x = timeToX(b.t, s);
      const full = Math.max(1, timeToX(b.t + bucketMs, s) - x);
      const gap = full > 5 ? 1 : 0;
      const w = full - gap;
      const total = b.counts.reduce((a, c) => a + c, 0);
      const g = svg('g', { class: 'bucket', 'data-testid': 'timeline-bucket', 'data-t': b.t, 'data-count': total, 'data-detections': b.detections ?? 0, 'data-index': i });
      g.appendChild(svg('title', {}, this.tooltip(i)));
      g.appendChild(svg('rect', { x, y: plotTop - TOP_TRACK, width: full, height: plotBottom - plotTop + TOP_TRACK + BOTTOM_TRACK, class: 'hit' }));
      let acc = 0;
      for (let k = 0; k < b.counts.length; k++) {
        const count = b.counts[k];
        if (count <= 0) continue;
        const top = y(acc + count);
        const bottom = y(acc);
        g.appendChild(svg('rect', { x: x + gap / 2, y: top, width: w, height: Math.max(0.5, bottom - top), class: `bar ${seriesClass(k, series[k] ?? '')}` }));
        acc += count;
      }
      const cx = x + full / 2;
      if (b.sensitive > 0) {
        const ty = plotTop - TOP_TRACK + 1;
        const half = clamp(w / 2, 2.5, 4.5);
        g.appendChild(svg('path', { d: `M${cx - half},${ty} L${cx + half},${ty} L${cx},${ty + half * 1.5} Z`, class: 'mark-sensitive' }));
      }
      if ((b.detections ?? 0) > 0) {
        const dy = plotTop - TOP_TRACK - DETECTION_TRACK / 2;
        const half = clamp(w / 2, 2.5, 3.5);
        g.appendChild(svg('path', { d: `M${cx},${dy - half} L${cx + half},${dy} L${cx},${dy + half} L${cx - half},${dy} Z`, class: 'mark-detection', 'data-testid': 'timeline-detection' }));
      }
      if (b.errors > 0) {
        g.appendChild(svg('circle', { cx, cy: plotBottom + BOTTOM_TRACK / 2 + 1, r: clamp(w / 2, 1.5, 2.5), class: 'mark-error' }));
      }
      bars.appendChild(g);
    }
    root.appendChild(bars);

    // Time axis, in UTC.
    const axis = svg('g', { class: 'axis' });
    const ticks = timeTicks(s.t0, s.t1, Math.max(2, Math.floor((s.x1 - s.x0) / 80)));
    for (const tick of ticks) {
      const x = Math.round(timeToX(tick.t, s)) + 0.5;
      // Labels at the very ends would be cut off: they hang inwards instead.
      const anchor = x > s.x1 - 24 ? 'end' : x < s.x0 + 24 ? 'start' : 'middle';
      axis.appendChild(svg('line', { x1: x, x2: x, y1: plotBottom + BOTTOM_TRACK, y2: plotBottom + BOTTOM_TRACK + 4, class: 'tick' }));
      axis.appendChild(svg('text', { x, y: plotBottom + BOTTOM_TRACK + 16, 'text-anchor': anchor, class: 'axis-label' }, tick.label));
    }
    axis.appendChild(svg('text', { x: s.x0 - 6, y: plotBottom + BOTTOM_TRACK + 16, 'text-anchor': 'end', class: 'axis-label unit' }, 'UTC'));
    root.appendChild(axis);

    this.brushRect = svg('rect', { y: plotTop - TOP_TRACK, height: plotBottom - plotTop + TOP_TRACK + BOTTOM_TRACK, class: 'brush', visibility: 'hidden' });
    this.cursorRect = svg('rect', { y: plotTop - TOP_TRACK, height: plotBottom - plotTop + TOP_TRACK + BOTTOM_TRACK, class: 'cursor', visibility: 'hidden' });
    root.appendChild(this.brushRect);
    root.appendChild(this.cursorRect);
    replaceChildren(this.plot, root);
    this.drawOverlay();
  }

  private renderLegend(timeline: Timeline): void {
    const items: Node[] = [];
    const stacked = !(timeline.series.length === 1 && this.stackSelect.value === '');
    if (stacked) {
      timeline.series.forEach((name, i) => {
        items.push(el('span', { class: 'legend-item', attrs: { title: displayValue(name) } }, el('span', { class: `swatch ${seriesClass(i, name)}` }), middleEllipsis(displayValue(name), 24)));
      });
    }
    items.push(el('span', { class: 'legend-item' }, el('span', { class: 'swatch-detection', attrs: { 'aria-hidden': 'true' }, text: '◆' }), 'detections'));
    items.push(el('span', { class: 'legend-item' }, el('span', { class: 'swatch-sensitive', attrs: { 'aria-hidden': 'true' }, text: '▼' }), 'sensitive'));
    items.push(el('span', { class: 'legend-item' }, el('span', { class: 'swatch-error', attrs: { 'aria-hidden': 'true' }, text: '●' }), 'errors'));
    replaceChildren(this.legend, ...items);
  }

  private tooltip(i: number): string {
    const timeline = this.timeline;
    if (!timeline) return '';
    const b = timeline.buckets[i];
    const total = b.counts.reduce((a, c) => a + c, 0);
    const lines = [`${formatUtc(b.t, { minutes: true })} UTC (${formatDuration(timeline.bucketMs)})`, `${formatCount(total)} events`];
    if (timeline.series.length > 1 || timeline.series[0] !== 'events') {
      timeline.series.forEach((name, k) => {
        if ((b.counts[k] ?? 0) > 0) lines.push(`  ${displayValue(name)}: ${formatCount(b.counts[k])}`);
      });
    }
    lines.push(`Detections: ${formatCount(b.detections ?? 0)}`, `Sensitive: ${formatCount(b.sensitive)}`, `Errors: ${formatCount(b.errors)}`);
    return lines.join('\n');
  }

  /** The brush (a drag or a Shift-extended keyboard window) and the keyboard cursor. */
  private drawOverlay(): void {
    const timeline = this.timeline;
    if (!timeline || !this.brushRect || !this.cursorRect) return;
    const place = (rect: SVGRectElement, a: number, b: number) => {
      const w = brushWindow(timeline.buckets, timeline.bucketMs, a, b);
      if (!w) {
        rect.setAttribute('visibility', 'hidden');
        return;
      }
      const x0 = timeToX(w.start, this.scale);
      rect.setAttribute('x', String(x0));
      rect.setAttribute('width', String(Math.max(1, timeToX(w.end, this.scale) - x0)));
      rect.setAttribute('visibility', 'visible');
    };
    if (this.drag) place(this.brushRect, this.drag.from, this.drag.to);
    else if (this.cursor >= 0 && this.anchor >= 0 && this.anchor !== this.cursor) place(this.brushRect, this.anchor, this.cursor);
    else this.brushRect.setAttribute('visibility', 'hidden');
    if (this.cursor >= 0 && this.keyboard && document.activeElement === this.plot) place(this.cursorRect, this.cursor, this.cursor);
    else this.cursorRect.setAttribute('visibility', 'hidden');
  }

  private bucketAtEvent(e: PointerEvent): number {
    const timeline = this.timeline;
    if (!timeline) return -1;
    const box = this.plot.getBoundingClientRect();
    return bucketIndexAt(e.clientX - box.left, timeline.buckets, timeline.bucketMs, this.scale);
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0 || !this.timeline || this.timeline.buckets.length === 0) return;
    const i = this.bucketAtEvent(e);
    if (i < 0) return;
    e.preventDefault();
    this.keyboard = false;
    this.plot.focus();
    this.plot.setPointerCapture(e.pointerId);
    this.drag = { from: i, to: i, pointerId: e.pointerId };
    this.cursor = i;
    this.anchor = i;
    this.drawOverlay();
  }

  private onPointerMove(e: PointerEvent): void {
    if (!this.drag || e.pointerId !== this.drag.pointerId) return;
    const i = this.bucketAtEvent(e);
    if (i >= 0 && i !== this.drag.to) {
      this.drag.to = i;
      this.cursor = i;
      this.drawOverlay();
    }
  }

  private onPointerUp(e: PointerEvent): void {
    const drag = this.drag;
    if (!drag || e.pointerId !== drag.pointerId || !this.timeline) return;
    this.endDrag();
    const w = brushWindow(this.timeline.buckets, this.timeline.bucketMs, drag.from, drag.to);
    this.anchor = this.cursor;
    if (w) this.callbacks.onWindow(w.start, w.end);
  }

  private endDrag(): void {
    if (this.drag && this.plot.hasPointerCapture(this.drag.pointerId)) this.plot.releasePointerCapture(this.drag.pointerId);
    this.drag = undefined;
    this.drawOverlay();
  }

  private onKey(e: KeyboardEvent): void {
    const timeline = this.timeline;
    if (!timeline || timeline.buckets.length === 0) return;
    const last = timeline.buckets.length - 1;
    this.keyboard = true;
    const move = (to: number) => {
      const next = clamp(to, 0, last);
      if (this.cursor < 0) this.anchor = next;
      this.cursor = next;
      if (!e.shiftKey) this.anchor = next;
      this.announce();
      this.drawOverlay();
    };
    switch (e.key) {
      case 'ArrowLeft':
        move(this.cursor < 0 ? last : this.cursor - 1);
        break;
      case 'ArrowRight':
        move(this.cursor < 0 ? 0 : this.cursor + 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(last);
        break;
      case 'Enter': {
        if (this.cursor < 0) return;
        const w = brushWindow(timeline.buckets, timeline.bucketMs, this.anchor < 0 ? this.cursor : this.anchor, this.cursor);
        this.anchor = this.cursor;
        if (w) this.callbacks.onWindow(w.start, w.end);
        break;
      }
      case 'Escape':
        if (this.anchor !== this.cursor) {
          this.anchor = this.cursor;
          this.drawOverlay();
        } else {
          this.callbacks.onClearTime();
        }
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  }

  private announce(): void {
    const timeline = this.timeline;
    if (!timeline || this.cursor < 0) return;
    const b = timeline.buckets[this.cursor];
    const total = b.counts.reduce((a, c) => a + c, 0);
    let text = `${formatUtc(b.t, { minutes: true })} UTC: ${formatCount(total)} events, ${formatCount(b.detections ?? 0)} with detections, ${formatCount(b.sensitive)} sensitive, ${formatCount(b.errors)} errors`;
    if (this.anchor >= 0 && this.anchor !== this.cursor) {
      const w = brushWindow(timeline.buckets, timeline.bucketMs, this.anchor, this.cursor);
      if (w) text += `. Window ${formatRange(w.start, w.end)}, Enter to select`;
    }
    this.live.textContent = text;
  }
}

function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}
