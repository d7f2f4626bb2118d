import { CHECK_RESULTS, type CheckResult, type ProtectionCheck, type ProtectionReport, type ProtectionSummary } from './types';

/** Counts per result. */
export function countResults(checks: readonly Pick<ProtectionCheck, 'result'>[]): ProtectionSummary {
  const summary = Object.fromEntries(CHECK_RESULTS.map((r) => [r, 0])) as Record<CheckResult, number>;
  for (const c of checks) summary[c.result]++;
  return summary;
}

/** Counts over several reports (a whole account). */
export function totalSummary(reports: readonly ProtectionReport[]): ProtectionSummary {
  return countResults(reports.flatMap((r) => r.checks));
}

/** `3 fail, 1 could not check, 4 warn, 2 info, 9 pass` (results with a zero count left out). */
export function summaryText(summary: ProtectionSummary): string {
  const words: Record<CheckResult, string> = { fail: 'fail', unknown: 'could not check', 'not-verifiable': 'not verifiable', warn: 'warn', info: 'info', pass: 'pass' };
  const parts = CHECK_RESULTS.filter((r) => summary[r] > 0).map((r) => `${summary[r]} ${words[r]}`);
  return parts.length > 0 ? parts.join(', ') : 'no checks';
}
