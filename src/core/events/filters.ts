import { sensitiveAction } from './actions';
import { callerOf } from './identity';
import { parseCloudTrailTime, recordEventName, recordEventSource, type CloudTrailRecord } from './records';

/**
 * A filter that makes a derived document from an event document's events. `more` holds further
 * values picked together with the first (any of them passes).
 */
export type EventFilter =
  | { kind: 'caller'; key: string; label: string; more?: { key: string; label: string }[] }
  | { kind: 'source'; value: string; more?: string[] }
  | { kind: 'accessKey'; value: string; more?: string[] }
  | { kind: 'eventName'; value: string; more?: string[] }
  | { kind: 'errors' }
  | { kind: 'sensitive' }
  | { kind: 'root' }
  | { kind: 'timeWindow'; from?: string; to?: string };

function andMore(first: string, more: readonly string[] | undefined): string {
  if (!more || more.length === 0) return first;
  const all = [first, ...more];
  return all.length <= 3 ? all.join(', ') : `${all.slice(0, 2).join(', ')} +${all.length - 2}`;
}

export function describeFilter(filter: EventFilter): string {
  switch (filter.kind) {
    case 'caller':
      return `caller ${andMore(filter.label, filter.more?.map((m) => m.label))}`;
    case 'source':
      return `source ${andMore(filter.value, filter.more)}`;
    case 'accessKey':
      return `access key ${andMore(filter.value, filter.more)}`;
    case 'eventName':
      return `event ${andMore(filter.value, filter.more)}`;
    case 'errors':
      return 'failed calls';
    case 'sensitive':
      return 'sensitive actions';
    case 'root':
      return 'root user';
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
    case 'caller': {
      const keys = new Set([filter.key, ...(filter.more ?? []).map((m) => m.key)]);
      return (r) => keys.has(callerOf(r).key);
    }
    case 'source': {
      const values = new Set([filter.value, ...(filter.more ?? [])]);
      return (r) => typeof r.sourceIPAddress === 'string' && values.has(r.sourceIPAddress);
    }
    case 'accessKey': {
      const values = new Set([filter.value, ...(filter.more ?? [])]);
      return (r) => typeof r.userIdentity?.accessKeyId === 'string' && values.has(r.userIdentity.accessKeyId);
    }
    case 'eventName': {
      const values = new Set([filter.value, ...(filter.more ?? [])]);
      return (r) => {
        const name = recordEventName(r);
        return name !== undefined && values.has(name);
      };
    }
    case 'errors':
      return (r) => typeof r.errorCode === 'string' && r.errorCode !== '';
    case 'sensitive':
      return (r) => sensitiveAction(recordEventSource(r), recordEventName(r)) !== undefined;
    case 'root':
      return (r) => r.userIdentity?.type === 'Root';
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
