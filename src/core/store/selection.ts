// What an investigation question is about: a time window, facet values to include or exclude, and a
// text search. Shared by the store's queries, the Investigation view and the CLI; plain data only,
// so it crosses worker threads and webview messages as it is.
import { parseUserTime, type EventFilter } from '../events/filters';

/** The facets the view counts; each maps to one column of the store (see facetColumn in queries.ts). */
export const FACETS = [
  'caller',
  'sourceIp',
  'accessKey',
  'eventName',
  'eventSource',
  'errorCode',
  'region',
  'account',
  'userAgent',
  'sensitive',
  'detection',
] as const;
export type FacetKey = (typeof FACETS)[number];

export const FACET_LABELS: Record<FacetKey, string> = {
  caller: 'Caller',
  sourceIp: 'Source IP',
  accessKey: 'Access key',
  eventName: 'Event name',
  eventSource: 'Event source',
  errorCode: 'Error code',
  region: 'Region',
  account: 'Account',
  userAgent: 'User agent',
  sensitive: 'Sensitive action',
  detection: 'Detections',
};

export interface Selection {
  /** Milliseconds since the epoch, inclusive start and exclusive end; absent means unbounded. */
  start?: number;
  end?: number;
  /** An event must match one of the values of every facet listed here… */
  include?: Partial<Record<FacetKey, string[]>>;
  /** …and none of the values listed here. */
  exclude?: Partial<Record<FacetKey, string[]>>;
  /** Case-insensitive text that must occur in the event (its raw JSON text). */
  search?: string;
  /** Only these eventIDs (a finding's events; at most 10,000 are taken). */
  eventIds?: string[];
}

/** The table's columns, in the order the view shows them. */
export const TABLE_COLUMNS = ['time', 'caller', 'action', 'source', 'ip', 'outcome', 'region'] as const;
export type TableColumn = (typeof TABLE_COLUMNS)[number];

export interface TableSort {
  column: TableColumn;
  descending: boolean;
}

/** One row of the table; `id` is the store's row id, stable for the life of the investigation. */
export interface TableRow {
  id: number;
  /** ISO 8601, as CloudTrail wrote it. */
  time: string;
  caller: string;
  /** eventName. */
  action: string;
  /** eventSource. */
  source: string;
  ip: string;
  /** "success" or the error code. */
  outcome: string;
  region: string;
  /** The sensitive-action tag, when the action is one. */
  sensitive?: string;
  /** The title and level of the event's detection (its highest-level Sigma finding), when it has one. */
  detection?: string;
  detectionLevel?: string;
}

export interface FacetValue {
  value: string;
  count: number;
  /** A shorter name to show for the value (callers: `alice` for the ARN), when there is one. */
  label?: string;
}

export interface TimelineBucket {
  /** Bucket start, ms since the epoch. */
  t: number;
  /** Events per series, in the order of `Timeline.series`; the last series is "other" when present. */
  counts: number[];
  sensitive: number;
  errors: number;
  /** Events with a detection (a Sigma finding). */
  detections: number;
}

export interface Timeline {
  bucketMs: number;
  /** The stacked facet's values (top ones, then "(other)"), or ["events"] when not stacked. */
  series: string[];
  buckets: TimelineBucket[];
}

export interface Overview {
  /** Events in the whole investigation, and in the selection. */
  total: number;
  selected: number;
  /** First and last event time of the selection, ms since the epoch. */
  first?: number;
  last?: number;
  timeline: Timeline;
  /** The top values of every facet, counted over the selection. */
  facets: Record<FacetKey, FacetValue[]>;
}

/** What a responder asks first, counted over the selection. */
export interface InvestigationSummary {
  /** Who did what from where: caller × sensitive action × source IP. */
  whoWhatWhere: { caller: string; action: string; ip: string; count: number; first: string; last: string }[];
  callers: { caller: string; count: number; first: string; last: string }[];
  /** Access keys first seen in the selection's events (created or first used). */
  newAccessKeys: { accessKey: string; caller: string; first: string; via: string }[];
  failedByCaller: { caller: string; errors: number; topError: string }[];
  /** Findings of the rules run at ingest with an event in the selection, by rule, highest level first. */
  findingsByRule: { title: string; level: string; findings: number; events: number; first: string }[];
}

/** What the view shows about the investigation as a whole. */
export interface InvestigationInfo {
  /** The file's name, for the header. */
  name: string;
  events: number;
  /** ms since the epoch; absent when the investigation holds no events. */
  first?: number;
  last?: number;
  /** Sources read, with counts, and files refused with their reason. */
  sources: { name: string; events: number }[];
  refused: { name: string; reason: string }[];
  /** Conflicting duplicates (same eventID, different content), flagged in the store. */
  conflicts: number;
}

/**
 * The investigation selection that holds the events an event-document filter keeps, or undefined
 * for a filter the facets cannot say ("root user"). Failed calls and sensitive actions exclude the
 * facets' "(none)" value.
 */
export function selectionOfFilter(filter: EventFilter): Selection | undefined {
  switch (filter.kind) {
    case 'caller':
      return { include: { caller: [filter.key, ...(filter.more ?? []).map((m) => m.key)] } };
    case 'source':
      return { include: { sourceIp: [filter.value, ...(filter.more ?? [])] } };
    case 'accessKey':
      return { include: { accessKey: [filter.value, ...(filter.more ?? [])] } };
    case 'eventName':
      return { include: { eventName: [filter.value, ...(filter.more ?? [])] } };
    case 'errors':
      return { exclude: { errorCode: [''] } };
    case 'sensitive':
      return { exclude: { sensitive: [''] } };
    case 'timeWindow': {
      const start = filter.from !== undefined ? parseUserTime(filter.from) : NaN;
      const end = filter.to !== undefined ? parseUserTime(filter.to) : NaN;
      return { ...(Number.isNaN(start) ? {} : { start }), ...(Number.isNaN(end) ? {} : { end }) };
    }
    case 'root':
      return undefined;
  }
}
