/**
 * What the Sigma engine takes and gives: rules as loaded, refusals, findings and the hits that
 * correlation rules count. Everything here is plain data, so it crosses worker threads as it is.
 */

export type Level = 'informational' | 'low' | 'medium' | 'high' | 'critical';

export const LEVELS: readonly Level[] = ['informational', 'low', 'medium', 'high', 'critical'];

/** Where a rule comes from: the project's own pack, the vetted SigmaHQ subset, or a user's folder. */
export type RuleOrigin = 'builtin' | 'sigmahq' | 'user';

/** A rule file's text and where it came from; `file` names it in every message. */
export interface RuleSource {
  file: string;
  text: string;
  origin: RuleOrigin;
}

/** What a loaded rule says about itself, for lists, hovers and the README. */
export interface RuleInfo {
  id: string;
  /** The rule's `name` when it has one (correlations reference rules by name or id). */
  name?: string;
  title: string;
  level: Level;
  status?: string;
  description?: string;
  author?: string;
  /** The rule's tags as written, e.g. `attack.defense-evasion`, `attack.t1562.008`. */
  tags: string[];
  /** ATT&CK technique ids from the tags, upper-cased: `T1562.008`. */
  techniques: string[];
  /** ATT&CK tactics from the tags: `defense-evasion`. */
  tactics: string[];
  falsepositives: string[];
  references: string[];
  license?: string;
  origin: RuleOrigin;
  file: string;
  /** One-based line of the rule's document in its file. */
  line: number;
  kind: 'detection' | 'correlation';
  /** True for a detection rule that only feeds correlations and makes no findings of its own. */
  correlationOnly: boolean;
  /** The eventNames the rule can match, when its condition pins them; undefined when it can match any. */
  eventNames?: string[];
}

/** A rule the engine cannot run, with the file, the line and why. */
export interface RuleRefusal {
  file: string;
  /** One-based line. */
  line: number;
  ruleId?: string;
  title?: string;
  message: string;
}

/** One field of an event that a rule's selection matched, and the event's value there (as text). */
export interface MatchedField {
  field: string;
  value: string;
}

export type Outcome =
  | { status: 'succeeded' }
  | { status: 'attempted'; errorCode: string; errorMessage?: string };

/** Who did what where, for lists and lines: of the event, or of a correlation's first event. */
export interface FindingEvent {
  eventName?: string;
  eventSource?: string;
  /** The caller's key (an ARN or principal) and its short label, as the lenses show them. */
  caller?: string;
  callerLabel?: string;
  sourceIPAddress?: string;
  awsRegion?: string;
  accountId?: string;
}

export interface Finding {
  ruleId: string;
  title: string;
  level: Level;
  author?: string;
  tags: string[];
  techniques: string[];
  tactics: string[];
  origin: RuleOrigin;
  license?: string;
  /** The event(s): one for a detection rule, the window's events for a correlation. */
  eventIds: string[];
  /** eventTime of the first and last event. */
  firstTime?: string;
  lastTime?: string;
  matched: MatchedField[];
  /** Filled by the run (detectionRun.ts), not by the rule set. */
  event?: FindingEvent;
  /** For a detection: the event's outcome. For a correlation: succeeded when any event succeeded. */
  outcome: Outcome;
  correlation?: {
    type: 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered';
    groupBy: Record<string, string>;
    /** Events (event_count, temporal) or distinct values (value_count) in the window. */
    count: number;
    timespan: string;
  };
}

/**
 * One event matching a rule a correlation counts. Made per record by `RuleSet.match`, collected
 * from any number of workers in any order, and turned into findings by `RuleSet.correlate`.
 */
export interface CorrelationHit {
  /** Index of the correlation rule in the rule set. */
  correlation: number;
  /** id of the base rule that matched. */
  rule: string;
  timeMs: number;
  eventTime: string;
  eventId: string;
  /** Values of the correlation's group-by fields, in its order ('' when missing). */
  group: string[];
  /** For value_count: the value of the counted field ('' when missing). */
  value?: string;
  /** For the outcome of the correlation's finding. */
  errorCode?: string;
}

export interface RecordMatches {
  findings: Finding[];
  hits: CorrelationHit[];
  /** Hits packed by group to cross threads cheaply (see detectionRun.ts). */
  groups?: PackedGroup[];
}

/**
 * The hits of one correlation and group from one batch, sorted by time (then eventID and rule), as
 * typed arrays and one short JSON text: a read-only-calls rule takes most events, and posting
 * hundreds of thousands of small objects between threads, then keeping each to the end of a run,
 * cost more time than matching them and, at millions of events, gigabytes. The thread that merges
 * keeps these as they come and reads them per group at the end (see hitPacking.ts).
 */
export interface PackedGroup {
  correlation: number;
  group: string[];
  /** Per hit: its time. */
  timeMs: Float64Array;
  /**
   * Per hit, five numbers (`HIT_CODES`): its rule, value, errorCode, eventTime and eventID, each a
   * position in `text`'s strings plus one. 0 is none for value and errorCode, the text of `timeMs`
   * for eventTime (`YYYY-MM-DDTHH:MM:SSZ`, nearly every one) and the UUID in `ids` for eventID.
   */
  codes: Uint32Array;
  /** Per hit, 16 bytes: an eventID that is a lowercase UUID, as its 32 hex digits. */
  ids: Uint8Array;
  /** JSON of the strings `codes` point to, each once. */
  text: string;
}

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}
