// Reports of protection checks as text: Markdown for an auditor, and plain lines for a terminal.
// Trail and bucket names, regions, policy statements and AWS messages are input: escaped for
// Markdown in the report and for the terminal in the text, where each is placed.
import { escapeControl, escapeMarkdownText, markdownCode } from '../text/safeText';
import { summaryText, totalSummary } from './summary';
import type { CheckResult, ProtectionCheck, ProtectionReport } from './types';

/** The word each result shows as, in reports and in the CLI. */
export const RESULT_LABELS: Record<CheckResult, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', unknown: 'UNKNOWN', info: 'INFO' };

/** Text safe in a Markdown table cell or list item: one line, no character that starts formatting. */
function cell(text: string | undefined): string {
  return escapeMarkdownText(text ?? '');
}

/** `s3://bucket/prefix/ (region)`, its input parts escaped with `escape`. */
function location(r: ProtectionReport, escape: (text: string) => string): string {
  const bucket = r.trail.s3BucketName ? `s3://${escape(r.trail.s3BucketName)}/${r.trail.s3KeyPrefix ? `${escape(r.trail.s3KeyPrefix.replace(/\/$/, ''))}/` : ''}` : 'no bucket known';
  return `${bucket}${r.bucketRegion ? ` (${escape(r.bucketRegion)})` : ''}`;
}

function trailSection(r: ProtectionReport): string[] {
  const lines = [
    `## Trail ${cell(r.trail.name)}`,
    '',
    `- ARN: ${markdownCode(r.trail.arn, { table: false })}`,
    `- Home region: ${cell(r.region)}; ${r.trail.isMultiRegion ? 'multi-region' : 'single-region'}${r.trail.isOrganizationTrail ? ', organization trail' : ''}`,
    `- Bucket: ${location(r, cell)}`,
    `- Checked: ${r.checkedAt}; retention measured against: ${r.retentionDays} days`,
    `- Result: ${summaryText(r.summary)}`,
    '',
    '| Result | Check | Evidence | Remedy |',
    '|---|---|---|---|',
    ...r.checks.map((c) => `| ${RESULT_LABELS[c.result]} | ${cell(c.title)} | ${cell(c.evidence)} | ${cell(c.remedy)} |`),
  ];
  const unknown = r.checks.filter((c) => c.result === 'unknown' || (c.result === 'info' && c.permission));
  if (unknown.length > 0) {
    lines.push('', '### Could not check', '');
    for (const c of unknown) lines.push(`- **${cell(c.title)}**: ${c.permission ? `needs ${markdownCode(c.permission, { table: false })}. ` : ''}${cell(c.message ?? c.evidence)}`);
  }
  const detailed = r.checks.filter((c) => c.details && c.details.length > 0);
  if (detailed.length > 0) {
    lines.push('', '### Details', '');
    for (const c of detailed) {
      lines.push(`- **${cell(c.title)}**`);
      for (const d of c.details ?? []) lines.push(`  - ${cell(d)}`);
    }
  }
  return lines;
}

/**
 * A Markdown report an auditor can read: an overview of every trail, then per trail a table of
 * checks (result, evidence, remedy), what could not be checked and why, and the lists behind the
 * evidence (principals, lifecycle rules).
 */
export function renderProtectionReport(reports: readonly ProtectionReport[]): string {
  const lines = ['# CloudTrail trail protection', ''];
  if (reports.length === 0) {
    lines.push('No trail was checked.');
    return lines.join('\n') + '\n';
  }
  const times = reports.map((r) => r.checkedAt).sort();
  lines.push(
    `Checked ${times[0] === times[times.length - 1] ? times[0] : `${times[0]} to ${times[times.length - 1]}`} by CloudTrail Lens with read-only calls. ${reports.length} trail${reports.length === 1 ? '' : 's'}: ${summaryText(totalSummary(reports))}.`,
    '',
    'Results: FAIL means logs can be lost, altered or not captured unnoticed; WARN a missing safeguard or something to look at; UNKNOWN that the setting could not be read (never counted as passing); INFO information to review.',
    '',
    '| Trail | Home region | Bucket | Fail | Unknown | Warn | Info | Pass |',
    '|---|---|---|---|---|---|---|---|',
    ...reports.map((r) => `| ${cell(r.trail.name)} | ${cell(r.region)} | ${location(r, cell)} | ${r.summary.fail} | ${r.summary.unknown} | ${r.summary.warn} | ${r.summary.info} | ${r.summary.pass} |`),
    '',
  );
  for (const r of reports) lines.push(...trailSection(r), '');
  return lines.join('\n');
}

function checkLine(c: ProtectionCheck): string {
  const remedy = c.remedy && c.result !== 'pass' ? ` Remedy: ${escapeControl(c.remedy)}` : '';
  return `  ${RESULT_LABELS[c.result].padEnd(8)}${escapeControl(c.title)}: ${escapeControl(c.evidence)}${remedy}`;
}

/** Plain text for a terminal: per trail a heading, one line per check, and the trail's counts. */
export function renderProtectionText(reports: readonly ProtectionReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`Trail ${escapeControl(r.trail.name)} (${escapeControl(r.trail.arn)}), home region ${escapeControl(r.region)}, bucket ${location(r, escapeControl)}`);
    out.push(...r.checks.map(checkLine));
    out.push(`  Result: ${summaryText(r.summary)}`, '');
  }
  if (reports.length > 1) out.push(`All trails: ${summaryText(totalSummary(reports))}`);
  return out.join('\n').replace(/\n*$/, '\n');
}
