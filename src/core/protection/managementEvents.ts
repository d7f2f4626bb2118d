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

/** Which S3 object-level events the selectors record for all buckets, and what narrows them. */
function s3DataCoverage(selectors: EventSelectors): Coverage {
  const c: Coverage = { read: false, write: false, narrowing: [], evidence: [] };
  if (selectors.advanced.length > 0) {
    for (const s of selectors.advanced) {
      if (!field(s, 'eventCategory')?.equals?.includes('Data')) continue;
      const type = field(s, 'resources.type');
      if (!type?.equals?.includes('AWS::S3::Object')) continue;
      c.evidence.push(`advanced selector${s.name ? ` "${s.name}"` : ''}: ${s.fieldSelectors.map(describeField).join('; ')}`);
      const readOnly = field(s, 'readOnly');
      const values = new Set(readOnly?.equals ?? []);
      const excluded = new Set(readOnly?.notEquals ?? []);
      const narrowing = s.fieldSelectors.filter((f) => !['eventCategory', 'resources.type', 'readOnly'].includes(f.field)).map(describeField);
      // Narrowed to some buckets, keys or event names: not "all buckets", and said so.
      if (narrowing.length > 0) {
        c.narrowing.push(...narrowing);
        continue;
      }
      c.read ||= readOnly ? (values.size > 0 ? values.has('true') : !excluded.has('true')) : true;
      c.write ||= readOnly ? (values.size > 0 ? values.has('false') : !excluded.has('false')) : true;
    }
    return c;
  }
  selectors.basic.forEach((s, i) => {
    for (const d of s.dataResources ?? []) {
      if (d.type !== 'AWS::S3::Object') continue;
      const type = s.readWriteType ?? 'All';
      c.evidence.push(`EventSelectors[${i}]: DataResources AWS::S3::Object ${(d.values ?? []).join(', ')}, ReadWriteType ${type}`);
      // arn:aws:s3 (or arn:aws:s3:::) selects every bucket, present and future.
      const all = (d.values ?? []).some((v) => /^arn:[a-z-]+:s3(:::)?$/.test(v));
      if (!all) {
        c.narrowing.push(`only ${(d.values ?? []).join(', ') || 'no bucket'}`);
        continue;
      }
      c.read ||= type === 'All' || type === 'ReadOnly';
      c.write ||= type === 'All' || type === 'WriteOnly';
    }
  });
  return c;
}

export function s3DataEventsOutcome(selectors: EventSelectors): Outcome {
  const c = s3DataCoverage(selectors);
  const remedy = 'Record S3 object-level events for all buckets, read and write, on this trail or another (put-event-selectors --advanced-event-selectors \'[{"Name":"S3 objects","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]}]}]\'); data events are billed per event.';
  const evidence = c.evidence.length > 0 ? c.evidence.join('; ') : 'No event selector records S3 object-level data events';
  const narrowed = c.narrowing.length > 0 ? ` (narrowed: ${c.narrowing.join('; ')})` : '';
  if (c.read && c.write) return outcome('pass', `${evidence}.`);
  if (!c.read && !c.write) return outcome('warn', `${evidence}${narrowed} — S3 object reads and writes of all buckets are not recorded (CIS 3.8, 3.9).`, remedy);
  return outcome('warn', `${evidence}${narrowed} — S3 object ${c.read ? 'writes' : 'reads'} of all buckets are not recorded (CIS ${c.read ? '3.8' : '3.9'}).`, remedy);
}
