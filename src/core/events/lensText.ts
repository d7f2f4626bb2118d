import type { EventIndex, IndexedEvent } from './eventIndex';

function events(n: number): string {
  return `${n} event${n === 1 ? '' : 's'} here`;
}

/** `alice · IAMUser · MFA · 42 events here` */
export function callerLensTitle(event: IndexedEvent): string {
  const parts = [event.caller.label, event.caller.type];
  if (event.mfa === true) parts.push('MFA');
  else if (event.mfa === false) parts.push('no MFA');
  parts.push(events(event.caller.count));
  return parts.join(' · ');
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
  const label = source.source.label;
  return label === event.sourceIp ? `${event.sourceIp} · ${events(source.count)}` : `${event.sourceIp} · ${label} · ${events(source.count)}`;
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
