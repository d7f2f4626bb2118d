// Counts per object (a log listed by two digests is one log), comparable to aws-cli's summary lines.
import type { Finding, Subject } from './findings';
import { isoSeconds } from './time';

export interface ObjectCounts {
  valid: number;
  /** At least one error finding (aws-cli's INVALID, missing included). */
  invalid: number;
  /** Not valid and not invalid: unverified, not checked, not yet digested. */
  other: number;
}

export interface ValidationSummary {
  digests: ObjectCounts;
  backfillDigests: ObjectCounts;
  logs: ObjectCounts;
  /** Log files no valid digest vouches for (part of `logs.other`). */
  unverifiedLogs: number;
  /** Gap findings: stopped logging, chain starts, holes, regions without digests. */
  gaps: number;
  errors: number;
  warnings: number;
  /**
   * `valid`: no errors and nothing unverified or unchecked (gaps CloudTrail explains are allowed);
   * `invalid`: at least one error; `incomplete`: no error, but something could not be vouched for.
   */
  outcome: 'valid' | 'invalid' | 'incomplete';
  /** Like aws-cli's "Results found for": the span the valid digests cover, clipped to the range. */
  foundStart?: string;
  foundEnd?: string;
}

type State = 'valid' | 'invalid' | 'other';

export function summarize(findings: readonly Finding[], rangeStart: number, rangeEnd: number): ValidationSummary {
  const objects = new Map<string, { subject: Subject; state: State }>();
  let gaps = 0;
  let errors = 0;
  let warnings = 0;
  let unverifiedLogs = new Set<string>();
  let foundStart: number | undefined;
  let foundEnd: number | undefined;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    if (f.severity === 'warning') warnings++;
    if (f.verdict === 'gap') gaps++;
    if (!f.object || f.subject === 'trail') continue;
    const id = `${f.subject}|${f.object.bucket ?? ''}|${f.object.key}`;
    const state: State = f.severity === 'error' ? 'invalid' : f.verdict === 'valid' ? 'valid' : 'other';
    const seen = objects.get(id);
    const rank = { valid: 0, other: 1, invalid: 2 };
    if (!seen || rank[state] > rank[seen.state]) objects.set(id, { subject: f.subject, state });
    if (f.subject === 'log' && f.verdict === 'unverified') unverifiedLogs.add(id);
    if (f.verdict === 'valid' && f.subject !== 'log' && f.timeRange) {
      const s = Math.max(Date.parse(f.timeRange.start), rangeStart);
      const e = Math.min(Date.parse(f.timeRange.end), rangeEnd);
      foundStart = foundStart === undefined ? s : Math.min(foundStart, s);
      foundEnd = foundEnd === undefined ? e : Math.max(foundEnd, e);
    }
  }
  const counts = (subject: Subject): ObjectCounts => {
    const c = { valid: 0, invalid: 0, other: 0 };
    for (const o of objects.values()) if (o.subject === subject) c[o.state]++;
    return c;
  };
  // A log that is invalid through one digest is not also counted unverified.
  unverifiedLogs = new Set([...unverifiedLogs].filter((id) => objects.get(id)?.state === 'other'));
  return {
    digests: counts('digest'),
    backfillDigests: counts('backfill-digest'),
    logs: counts('log'),
    unverifiedLogs: unverifiedLogs.size,
    gaps,
    errors,
    warnings,
    outcome: errors > 0 ? 'invalid' : warnings > 0 ? 'incomplete' : 'valid',
    foundStart: foundStart === undefined ? undefined : isoSeconds(foundStart),
    foundEnd: foundEnd === undefined ? undefined : isoSeconds(foundEnd),
  };
}
