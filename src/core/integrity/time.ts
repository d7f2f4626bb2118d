// Time formats of CloudTrail keys and digests, all UTC.

export const MINUTE = 60_000;
export const HOUR = 3_600_000;

/** `YYYY-MM-DDTHH:MM:SSZ`, as aws-cli prints times and digests carry them. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

/** `YYYYMMDDTHHMMSSZ`, the time in a digest's name. */
export function compactSeconds(ms: number): string {
  const s = new Date(ms).toISOString();
  return `${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 10)}T${s.slice(11, 13)}${s.slice(14, 16)}${s.slice(17, 19)}Z`;
}

/** `YYYY/MM/DD`, the day folder of a key. */
export function dayFolder(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');
}

/** Parses `YYYYMMDDTHHMMSSZ` or `YYYYMMDDTHHMMZ`; undefined when it is not such a time. */
export function parseCompact(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?Z$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  // Reject overflowing fields (month 13, hour 25): Date.UTC would roll them over.
  return compactSeconds(ms).slice(0, m[6] === undefined ? 13 : 15) === text.slice(0, m[6] === undefined ? 13 : 15) ? ms : undefined;
}

/**
 * Parses a digest time field (`2026-11-01T00:00:00Z`, fractions allowed). Strict: a time without a
 * zone or with garbage is rejected, because a digest that CloudTrail wrote always has the Z form.
 */
export function parseDigestTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Parses a user-given time for --start-time/--end-time: ISO 8601 with or without seconds and zone
 * (no zone means UTC, as aws-cli assumes), or a date alone (midnight UTC). Unlike aws-cli, an explicit
 * offset is honoured instead of being replaced by UTC.
 */
export function parseUserTime(text: string): Date | undefined {
  const t = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(t);
  if (!m) return undefined;
  const zone = m[8] ?? 'Z';
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${m[7] ?? ''}${zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
