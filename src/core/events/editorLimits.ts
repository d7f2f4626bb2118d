// VS Code's limits on what it gives a document's features, checked in the shipped workbench: above
// 300,000 lines or 20 MB a model is "too large for tokenization" (no colouring, no folding, and the
// CodeLens controller returns early: no lenses), and above 50 MB extensions get no document at all.
import { formatEvents } from './formatter';
import type { CloudTrailRecord } from './records';

export const LENS_MAX_LINES = 300_000;
export const LENS_MAX_BYTES = 20 * 1024 * 1024;
export const EXTENSION_SYNC_LIMIT = 50 * 1024 * 1024;

/** Lines of a text (newlines + 1). */
export function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Whether VS Code keeps lenses, colouring and folding for a document of this text. */
export function withinLensLimits(text: string): boolean {
  return text.length <= LENS_MAX_BYTES && Buffer.byteLength(text) <= LENS_MAX_BYTES && lineCount(text) <= LENS_MAX_LINES;
}

/**
 * The event document of as many of `records` (in their order) as fit below the lens limits, with a
 * little room to spare; `shown` says how many that is.
 */
export function documentWithinLimits(records: readonly CloudTrailRecord[]): { text: string; shown: number } {
  let text = formatEvents(records);
  if (withinLensLimits(text)) return { text, shown: records.length };
  // Shrink in proportion to how far over the text is, then step down until it fits.
  let n = records.length;
  for (let tries = 0; tries < 30 && n > 0; tries++) {
    const ratio = Math.min(LENS_MAX_LINES / lineCount(text), LENS_MAX_BYTES / Buffer.byteLength(text));
    n = Math.max(0, Math.min(n - 1, Math.floor(n * ratio * 0.97)));
    text = formatEvents(records.slice(0, n));
    if (withinLensLimits(text)) return { text, shown: n };
  }
  return { text: formatEvents([]), shown: 0 };
}
