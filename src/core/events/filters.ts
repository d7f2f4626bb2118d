import { callerOf } from './identity';
import { parseCloudTrailTime, recordEventName, type CloudTrailRecord } from './records';

/** A filter that makes a derived document from an event document's events. */
export type EventFilter =
  | { kind: 'caller'; key: string; label: string }
  | { kind: 'source'; value: string }
  | { kind: 'accessKey'; value: string }
  | { kind: 'eventName'; value: string }
  | { kind: 'errors' }
  | { kind: 'timeWindow'; from?: string; to?: string };

export function describeFilter(filter: EventFilter): string {
  switch (filter.kind) {
    case 'caller':
      return `caller ${filter.label}`;
    case 'source':
      return `source ${filter.value}`;
    case 'accessKey':
      return `access key ${filter.value}`;
    case 'eventName':
      return `event ${filter.value}`;
    case 'errors':
      return 'errors only';
    case 'timeWindow':
      return `${filter.from ?? '…'} to ${filter.to ?? '…'}`;
  }
}

/** Parses a time a user types: ISO 8601 (`2026-11-01T10:00Z`, `2026-11-01 10:00`, `2026-11-01`), UTC unless a zone is given. */
export function parseUserTime(value: string): number {
  const v = value.trim();
  if (v === '') return NaN;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return Date.parse(`${v}T00:00:00Z`);
  const spaced = v.replace(' ', 'T');
  const zoned = /[zZ]|[+-]\d{2}:?\d{2}$/.test(spaced) ? spaced : `${spaced}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? parseCloudTrailTime(v) : ms;
}

/** Returns a predicate for the filter (a time window's bounds are parsed once). */
export function filterPredicate(filter: EventFilter): (record: CloudTrailRecord) => boolean {
  switch (filter.kind) {
    case 'caller':
      return (r) => callerOf(r).key === filter.key;
    case 'source':
      return (r) => r.sourceIPAddress === filter.value;
    case 'accessKey':
      return (r) => r.userIdentity?.accessKeyId === filter.value;
    case 'eventName':
      return (r) => recordEventName(r) === filter.value;
    case 'errors':
      return (r) => typeof r.errorCode === 'string' && r.errorCode !== '';
    case 'timeWindow': {
      const from = filter.from ? parseUserTime(filter.from) : Number.NEGATIVE_INFINITY;
      const to = filter.to ? parseUserTime(filter.to) : Number.POSITIVE_INFINITY;
      return (r) => {
        const t = parseCloudTrailTime(r.eventTime);
        return !Number.isNaN(t) && t >= from && t <= to;
      };
    }
  }
}

export function applyFilters(records: readonly CloudTrailRecord[], filters: readonly EventFilter[]): CloudTrailRecord[] {
  if (filters.length === 0) {
    return [...records];
  }
  const predicates = filters.map(filterPredicate);
  return records.filter((r) => predicates.every((p) => p(r)));
}
