// The quick time ranges offered before validating or opening a trail's events. A live bucket counts
// back from now; an offline copy from the newest log or digest it holds, since a copy made last
// month has nothing in "the last 24 hours" of today.

export interface RangePreset {
  label: string;
  description?: string;
  start: Date;
  end: Date;
}

const HOUR = 3_600_000;

function iso(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}

/** The last 24 hours, 7 days and 30 days before `newest` (an offline copy's newest time) or `now`. */
export function rangePresets(now: Date, newest?: Date): RangePreset[] {
  const anchor = newest ?? now;
  return [
    ['Last 24 hours', 24],
    ['Last 7 days', 24 * 7],
    ['Last 30 days', 24 * 30],
  ].map(([label, hours]) => ({
    label: newest ? `${label} of the copy` : (label as string),
    description: newest ? `to ${iso(newest)}, the newest it holds` : undefined,
    start: new Date(anchor.getTime() - (hours as number) * HOUR),
    end: anchor,
  }));
}
