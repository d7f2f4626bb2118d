// Does a lifecycle rule delete logs before the retention the user must keep them?
//
// A rule counts when it is Enabled and its filter can match the trail's keys: its prefix and the
// trail's `{prefix}AWSLogs/` prefix overlap (one starts with the other). A rule that requires tags
// never matches (CloudTrail does not tag log objects); a size filter may match and counts.
// - Expiration Days shorter than the retention, or an Expiration Date sooner than today + retention
//   (a past date expires every object it matches): fail.
// - NoncurrentVersionExpiration shorter than the retention: warn (a deleted or overwritten log can
//   only be recovered for that long).
// - No lifecycle configuration: pass (nothing expires the logs automatically).
import type { TrailSummary } from '../aws/trailApi';
import { keyPrefix } from './logObjects';
import { days, isoTime, outcome, type Outcome } from './outcome';
import type { LifecycleRule } from './protectionReader';

function ruleName(r: LifecycleRule): string {
  return `rule "${r.id ?? '(no id)'}" (prefix "${r.prefix}"${r.tags.length > 0 ? `, tags ${r.tags.map((t) => `${t.key}=${t.value}`).join(',')}` : ''})`;
}

function actions(r: LifecycleRule): string {
  const parts: string[] = [];
  if (r.expirationDays !== undefined) parts.push(`Expiration ${days(r.expirationDays)}`);
  if (r.expirationDate) parts.push(`Expiration on ${isoTime(r.expirationDate).slice(0, 10)}`);
  if (r.noncurrentDays !== undefined) parts.push(`NoncurrentVersionExpiration ${days(r.noncurrentDays)}`);
  for (const t of r.transitions) parts.push(`Transition to ${t.storageClass ?? '?'}${t.days !== undefined ? ` after ${days(t.days)}` : t.date ? ` on ${isoTime(t.date).slice(0, 10)}` : ''}`);
  return parts.length > 0 ? parts.join(', ') : 'no expiration';
}

/** Whether the rule can apply to some of the trail's objects, and if not, why not. */
function applies(r: LifecycleRule, logsPrefix: string): { yes: boolean; why?: string } {
  if (r.status !== 'Enabled') return { yes: false, why: 'disabled' };
  if (r.tags.length > 0) return { yes: false, why: 'requires tags CloudTrail does not set' };
  if (!(r.prefix.startsWith(logsPrefix) || logsPrefix.startsWith(r.prefix))) return { yes: false, why: `prefix does not cover ${logsPrefix}` };
  return { yes: true };
}

export function lifecycleOutcome(rules: LifecycleRule[] | undefined, trail: TrailSummary, retentionDays: number, now: Date): Outcome {
  const keep = `the retention of ${days(retentionDays)}`;
  if (!rules || rules.length === 0) return outcome('pass', `No lifecycle rule: nothing expires the logs automatically (retention wanted: ${days(retentionDays)}).`);
  const logsPrefix = `${keyPrefix(trail)}AWSLogs/`;
  const retentionEnd = now.getTime() + retentionDays * 86_400_000;
  const fails: string[] = [];
  const warns: string[] = [];
  const fine: string[] = [];
  const details: string[] = [];
  for (const r of rules) {
    const a = applies(r, logsPrefix);
    details.push(`${ruleName(r)} ${r.status}: ${actions(r)}${a.yes ? '' : ` — does not apply: ${a.why}`}`);
    if (!a.yes) continue;
    if (r.expirationDays !== undefined && r.expirationDays < retentionDays) fails.push(`${ruleName(r)} expires logs after ${days(r.expirationDays)}, sooner than ${keep}`);
    else if (r.expirationDate && r.expirationDate.getTime() < retentionEnd) fails.push(`${ruleName(r)} expires logs on ${isoTime(r.expirationDate).slice(0, 10)}, sooner than ${keep}`);
    else if (r.noncurrentDays !== undefined && r.noncurrentDays < retentionDays) warns.push(`${ruleName(r)} removes deleted or overwritten log versions after ${days(r.noncurrentDays)}, sooner than ${keep}`);
    else fine.push(`${ruleName(r)}: ${actions(r)}`);
  }
  if (fails.length > 0) return outcome('fail', `${fails.join('; ')}.`, `Lengthen the expiration to at least ${days(retentionDays)}, or narrow the rule so it does not match ${logsPrefix}.`, details);
  if (warns.length > 0) return outcome('warn', `${warns.join('; ')}.`, `Keep noncurrent versions for at least ${days(retentionDays)} so deleted logs stay recoverable.`, details);
  if (fine.length === 0) return outcome('pass', `No enabled lifecycle rule applies to ${logsPrefix} (${rules.length} rule${rules.length === 1 ? '' : 's'} read).`, undefined, details);
  return outcome('pass', `${fine.join('; ')} — keeps logs at least ${keep}.`, undefined, details);
}
