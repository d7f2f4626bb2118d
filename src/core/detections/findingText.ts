// How a finding reads in the Problems panel, a hover, the Findings view and a notification. Rule
// text (titles, authors) is as untrusted as log text: a user's rule folder may hold anything.
import { escapeControl, escapeMarkdownText, markdownCode } from '../text/safeText';
import type { Finding, Level } from './types';

const LEVEL_LABELS: Record<Level, string> = { informational: 'Info', low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };

export function levelLabel(level: Level): string {
  return LEVEL_LABELS[level];
}

export function outcomeText(f: Finding): string {
  return f.outcome.status === 'succeeded' ? 'succeeded' : `attempted, failed with ${f.outcome.errorCode}`;
}

/** `requestParameters.name = trail-1; eventName = StopLogging`, at most `max` fields. */
export function matchedText(f: Finding, max = 4): string {
  const shown = f.matched.slice(0, max).map((m) => `${m.field} = ${m.value.length > 80 ? `${m.value.slice(0, 79)}…` : m.value}`);
  if (f.matched.length > max) shown.push(`${f.matched.length - max} more`);
  return shown.join('; ');
}

function correlationText(f: Finding): string {
  const c = f.correlation!;
  const counted = c.type === 'value_count' ? 'distinct values' : 'events';
  const group = Object.entries(c.groupBy).map(([k, v]) => `${k} = ${v}`).join(', ');
  return `${c.count} ${counted} within ${c.timespan}${group ? ` (${group})` : ''}`;
}

/** One line for the Problems panel: level, title, what happened, why it matched, the rule's author. */
export function findingMessage(f: Finding): string {
  const what = f.correlation ? correlationText(f) : `${f.event?.eventName ?? 'event'} ${outcomeText(f)}`;
  const why = matchedText(f);
  const by = f.author ? ` Rule by ${f.author}.` : '';
  return escapeControl(`${levelLabel(f.level)}: ${f.title}. ${what}${f.correlation ? `, ${outcomeText(f)}` : ''}.${why ? ` Matched ${why}.` : ''}${by}`);
}

/** The hover section of one finding (Markdown; every value escaped). */
export function findingMarkdown(f: Finding): string {
  const lines = [`**Detection** ${escapeMarkdownText(levelLabel(f.level))} · ${escapeMarkdownText(f.title)}`, ''];
  const rows: [string, string][] = [];
  if (f.correlation) rows.push(['Correlation', escapeMarkdownText(correlationText(f))]);
  rows.push(['Outcome', escapeMarkdownText(outcomeText(f))]);
  for (const m of f.matched.slice(0, 8)) rows.push([escapeMarkdownText(m.field), markdownCode(m.value.length > 120 ? `${m.value.slice(0, 119)}…` : m.value)]);
  if (f.techniques.length > 0) rows.push(['ATT&CK', f.techniques.map((t) => markdownCode(t)).join(' ')]);
  rows.push(['Rule', `${markdownCode(f.ruleId)}${f.origin === 'builtin' ? ' (CloudTrail Lens pack)' : f.origin === 'sigmahq' ? ' (SigmaHQ)' : ' (your rules)'}`]);
  if (f.author) rows.push(['Author', escapeMarkdownText(f.author)]);
  if (f.license) rows.push(['Licence', escapeMarkdownText(f.license)]);
  lines.push('| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`));
  return lines.join('\n');
}

/** Short label for a list row: `StopLogging by alice (succeeded)`. */
export function findingSubject(f: Finding): string {
  const e = f.event ?? {};
  if (f.correlation) return escapeControl(correlationText(f));
  return escapeControl(`${e.eventName ?? 'event'} by ${e.callerLabel ?? e.caller ?? 'unknown caller'}${e.sourceIPAddress ? ` from ${e.sourceIPAddress}` : ''}`);
}
