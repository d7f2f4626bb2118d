import { escapeControl } from '../text/safeText';
import type { CallerOccurrences, EventIndex, IndexedEvent, SourceOccurrences } from './eventIndex';

function events(n: number): string {
  return `${n} event${n === 1 ? '' : 's'} here`;
}

// Titles depend only on the caller (and the event's MFA flag) or the source, so each is built once
// per index: the lenses of a 100k-event document then cost one lookup each. Callers and sources are
// the log's text: titles show them with controls escaped.
const callerTitles = new WeakMap<CallerOccurrences, Map<boolean | undefined, string>>();
const sourceTitles = new WeakMap<SourceOccurrences, string>();

/** The longest caller name a lens shows; the middle of a longer one gives way to `…`. */
export const LENS_CALLER_MAX = 48;

/**
 * A caller name short enough to leave room for the IP lens on the same line: an Identity Center
 * role session `AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice@example.com` reads
 * `SSO AdministratorAccess/alice@example.com`; anything still longer keeps its start and its end.
 */
export function lensCallerLabel(label: string): string {
  const sso = /^AWSReservedSSO_(.+?)_[0-9a-f]{16}\/(.+)$/.exec(label);
  const short = sso ? `SSO ${sso[1]}/${sso[2]}` : label;
  if (short.length <= LENS_CALLER_MAX) return short;
  const tail = Math.floor((LENS_CALLER_MAX - 1) / 2);
  return `${short.slice(0, LENS_CALLER_MAX - 1 - tail)}…${short.slice(-tail)}`;
}

/** `alice · IAMUser · MFA · 42 events here` (a long name shortened by lensCallerLabel) */
export function callerLensTitle(event: IndexedEvent): string {
  let byMfa = callerTitles.get(event.caller);
  if (!byMfa) {
    byMfa = new Map();
    callerTitles.set(event.caller, byMfa);
  }
  let title = byMfa.get(event.mfa);
  if (title === undefined) {
    const parts = [lensCallerLabel(event.caller.label), event.caller.type];
    if (event.mfa === true) parts.push('MFA');
    else if (event.mfa === false) parts.push('no MFA');
    parts.push(events(event.caller.count));
    title = escapeControl(parts.join(' · '));
    byMfa.set(event.mfa, title);
  }
  return title;
}

/** `198.51.100.7 · public IPv4 · 12 events here`, or undefined when the event has no source. */
export function sourceLensTitle(index: EventIndex, event: IndexedEvent): string | undefined {
  if (event.sourceIp === undefined) {
    return undefined;
  }
  const source = index.sources.get(event.sourceIp);
  if (!source) {
    return undefined;
  }
  let title = sourceTitles.get(source);
  if (title === undefined) {
    const label = source.source.label;
    title = escapeControl(label === event.sourceIp ? `${event.sourceIp} · ${events(source.count)}` : `${event.sourceIp} · ${label} · ${events(source.count)}`);
    sourceTitles.set(source, title);
  }
  return title;
}

export interface LensDescriptor {
  line: number;
  kind: 'caller' | 'source';
  title: string;
  /** The caller key or source value the lens's command filters by. */
  key: string;
}

/** Every lens of a document: a caller lens and (when the event has one) a source lens per event. */
export function allLenses(index: EventIndex): LensDescriptor[] {
  const lenses: LensDescriptor[] = [];
  for (const event of index.events) {
    lenses.push({ line: event.line, kind: 'caller', title: callerLensTitle(event), key: event.caller.key });
    const title = sourceLensTitle(index, event);
    if (title !== undefined) {
      lenses.push({ line: event.line, kind: 'source', title, key: event.sourceIp as string });
    }
  }
  return lenses;
}
