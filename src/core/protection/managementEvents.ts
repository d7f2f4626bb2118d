// Does the trail record management events, read and write? From GetEventSelectors: basic selectors
// (IncludeManagementEvents, ReadWriteType, ExcludeManagementEventSources) or advanced selectors
// (eventCategory = Management, readOnly, eventSource and any other narrowing field).
//
// Write events missing: fail (they are the record of changes, StopLogging included). Read events
// missing, sources excluded, or advanced selectors narrowed to some events: warn.
import { outcome, type Outcome } from './outcome';
import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelectors } from './protectionReader';

interface Coverage {
  read: boolean;
  write: boolean;
  /** What narrows the events, in words ("excludes kms.amazonaws.com"). */
  narrowing: string[];
  evidence: string[];
}

function field(selector: AdvancedEventSelector, name: string): AdvancedFieldSelector | undefined {
  return selector.fieldSelectors.find((f) => f.field === name);
}

function describeField(f: AdvancedFieldSelector): string {
  const parts: string[] = [];
  for (const [op, values] of [['=', f.equals], ['!=', f.notEquals], ['starts with', f.startsWith], ['does not start with', f.notStartsWith], ['ends with', f.endsWith], ['does not end with', f.notEndsWith]] as const) {
    if (values && values.length > 0) parts.push(`${f.field} ${op} ${values.join('|')}`);
  }
  return parts.join(', ');
}

function advancedCoverage(selectors: AdvancedEventSelector[]): Coverage {
  const c: Coverage = { read: false, write: false, narrowing: [], evidence: [] };
  for (const s of selectors) {
    const category = field(s, 'eventCategory');
    if (!category?.equals?.includes('Management')) continue;
    c.evidence.push(`advanced selector${s.name ? ` "${s.name}"` : ''}: ${s.fieldSelectors.map(describeField).join('; ')}`);
    const readOnly = field(s, 'readOnly');
    const values = new Set([...(readOnly?.equals ?? [])]);
    const excluded = new Set([...(readOnly?.notEquals ?? [])]);
    const read = readOnly ? (values.size > 0 ? values.has('true') : !excluded.has('true')) : true;
    const write = readOnly ? (values.size > 0 ? values.has('false') : !excluded.has('false')) : true;
    c.read ||= read;
    c.write ||= write;
    for (const f of s.fieldSelectors) {
      if (f.field === 'eventCategory' || f.field === 'readOnly') continue;
      c.narrowing.push(describeField(f));
    }
  }
  return c;
}

function basicCoverage(selectors: EventSelectors['basic']): Coverage {
  const c: Coverage = { read: false, write: false, narrowing: [], evidence: [] };
  selectors.forEach((s, i) => {
    const include = s.includeManagementEvents !== false;
    const type = s.readWriteType ?? 'All';
    const excluded = s.excludeManagementEventSources ?? [];
    c.evidence.push(`EventSelectors[${i}]: IncludeManagementEvents ${include}, ReadWriteType ${type}${excluded.length > 0 ? `, ExcludeManagementEventSources ${excluded.join(', ')}` : ''}`);
    if (!include) return;
    c.read ||= type === 'All' || type === 'ReadOnly';
    c.write ||= type === 'All' || type === 'WriteOnly';
    if (excluded.length > 0) c.narrowing.push(`excludes ${excluded.join(', ')}`);
  });
  return c;
}

export function managementEventsOutcome(selectors: EventSelectors): Outcome {
  // A trail has either basic or advanced selectors; CloudTrail uses the advanced ones when set.
  const c = selectors.advanced.length > 0 ? advancedCoverage(selectors.advanced) : basicCoverage(selectors.basic);
  const evidence = c.evidence.length > 0 ? c.evidence.join('; ') : 'No event selector includes management events';
  const remedy = 'Select all management events, read and write, with no excluded sources (put-event-selectors with ReadWriteType All and IncludeManagementEvents true).';
  if (!c.write) return outcome('fail', `${evidence} — write management events are not recorded.`, remedy);
  if (!c.read) return outcome('warn', `${evidence} — read management events are not recorded.`, remedy);
  if (c.narrowing.length > 0) return outcome('warn', `${evidence} — only part of the management events (${c.narrowing.join('; ')}).`, remedy);
  return outcome('pass', `${evidence}.`);
}
