// What one check concluded, before the catalogue adds its id, scope and title.
import type { AwsErrorKind } from '../aws/awsErrors';
import type { CheckResult, ProtectionCheck } from './types';

export type Outcome = Pick<ProtectionCheck, 'result' | 'evidence' | 'remedy' | 'permission' | 'message' | 'details'> & {
  /** Why the read behind an `unknown` outcome failed; internal, not part of the report. */
  failure?: AwsErrorKind;
};

export function outcome(result: CheckResult, evidence: string, remedy?: string, details?: string[]): Outcome {
  const o: Outcome = { result, evidence };
  if (remedy !== undefined) o.remedy = remedy;
  if (details !== undefined && details.length > 0) o.details = details;
  return o;
}

/** Days, as "30 days" or "1 day". */
export function days(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}

/** A duration in minutes, hours or days, for "last delivery 3 h ago". */
export function age(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 72) return `${hours} h`;
  return days(Math.floor(hours / 24));
}

/** ISO 8601 to the second. */
export function isoTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
