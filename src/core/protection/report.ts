// Reports of protection checks as text: Markdown for an auditor, and plain lines for a terminal.
// Trail and bucket names, regions, policy statements and AWS messages are input: escaped for
// Markdown in the report and for the terminal in the text, where each is placed.
import { escapeControl, escapeMarkdownText, markdownCode } from '../text/safeText';
import { CHECKS, checkDefinition, PROTECTION_CALLS, type Equivalents } from './catalogue';
import { describeOwnership } from './ownership';
import { summaryText, totalSummary } from './summary';
import { CHECK_RESULTS, type CheckResult, type ProtectionCheck, type ProtectionReport } from './types';

/** The word each result shows as, in reports and in the CLI. */
export const RESULT_LABELS: Record<CheckResult, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', unknown: 'UNKNOWN', 'not-verifiable': 'NOT VERIFIABLE', info: 'INFO' };

/** `CIS 3.2 · Security Hub CloudTrail.4 · Config cloud-trail-log-file-validation-enabled`; empty when there is none. */
export function equivalentsText(e: Equivalents): string {
  return [e.cis?.length ? `CIS ${e.cis.join(', ')}` : '', e.securityHub?.length ? `Security Hub ${e.securityHub.join(', ')}` : '', e.config?.length ? `Config ${e.config.join(', ')}` : ''].filter(Boolean).join(' · ');
}

/**
 * The README's table of every check (what it reads, why it matters, its equivalents), written from
 * the catalogue so the list cannot drift; a unit test checks that the README holds it.
 */
export function catalogueTable(): string {
  const rows = CHECKS.map((c) => `| **${c.title}** (\`${c.id}\`) | ${c.reads.map((r) => `\`${r}\``).join(', ')} — ${c.what} | ${c.why} | ${equivalentsText(c.equivalents) || '—'} |`);
  return ['| check | reads | why it matters | CIS (v3.0) · Security Hub · AWS Config |', '|---|---|---|---|', ...rows].join('\n');
}

/** The IAM permissions of every call the checks make, for the README's policy. */
export function checkPermissions(): string[] {
  return [...new Set(Object.values(PROTECTION_CALLS))].sort();
}

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
    `- Ownership: ${cell(describeOwnership(r.ownership))}`,
    `- Bucket: ${location(r, cell)}`,
    `- Checked: ${r.checkedAt}; retention measured against: ${r.retentionDays} days`,
    `- Result: ${summaryText(r.summary)}`,
    '',
    '| Result | Check | Evidence | Remedy | Equivalents |',
    '|---|---|---|---|---|',
    ...r.checks.map((c) => `| ${RESULT_LABELS[c.result]} | ${cell(c.title)} | ${cell(c.evidence)} | ${cell(c.remedy)} | ${cell(equivalentsText(checkDefinition(c.id).equivalents))} |`),
  ];
  const foreign = r.checks.filter((c) => c.result === 'not-verifiable');
  if (foreign.length > 0) {
    lines.push('', '### Not verifiable from this account', '', 'These resources belong to another account; they are neither passed nor failed. Run the checks there to judge them.', '');
    for (const c of foreign) lines.push(`- **${cell(c.title)}**: ${c.account ? `in account ${cell(c.account)}. ` : ''}${cell(c.evidence)}`);
  }
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
    'Results: FAIL means logs can be lost, altered or not captured unnoticed; WARN a missing safeguard or something to look at; UNKNOWN that the setting could not be read (never counted as passing); NOT VERIFIABLE that it belongs to another account this one may not read (never a pass or a fail); INFO information to review.',
    '',
    '| Trail | Home region | Bucket | Fail | Unknown | Not verifiable | Warn | Info | Pass |',
    '|---|---|---|---|---|---|---|---|---|',
    ...reports.map((r) => `| ${cell(r.trail.name)} | ${cell(r.region)} | ${location(r, cell)} | ${r.summary.fail} | ${r.summary.unknown} | ${r.summary['not-verifiable']} | ${r.summary.warn} | ${r.summary.info} | ${r.summary.pass} |`),
    '',
  );
  for (const r of reports) lines.push(...trailSection(r), '');
  return lines.join('\n');
}

function checkLine(c: ProtectionCheck): string {
  const remedy = c.remedy && c.result !== 'pass' ? ` Remedy: ${escapeControl(c.remedy)}` : '';
  const label = RESULT_LABELS[c.result];
  return `  ${label.length < 8 ? label.padEnd(8) : `${label} `}${escapeControl(c.title)}: ${escapeControl(c.evidence)}${remedy}`;
}

/**
 * The CIS view of the protection checks (for `check-protection --cis`): per trail, each CIS control
 * some check stands for, with the worst result of those checks (fail before could not check before
 * not verifiable before warn).
 */
export function renderCisText(reports: readonly ProtectionReport[]): string {
  const out: string[] = ['CIS AWS Foundations Benchmark (v3.0.0 numbering) controls covered by the protection checks:'];
  const order = (id: string) => id.replace(/^v1\.4 /, '9.').split('.').map((n) => n.padStart(3, '0')).join('.');
  for (const r of reports) {
    const byControl = new Map<string, ProtectionCheck[]>();
    for (const c of r.checks) for (const cis of checkDefinition(c.id).equivalents.cis ?? []) byControl.set(cis, [...(byControl.get(cis) ?? []), c]);
    out.push(`Trail ${escapeControl(r.trail.name)}:`);
    for (const cis of [...byControl.keys()].sort((a, b) => order(a).localeCompare(order(b)))) {
      const checks = byControl.get(cis)!;
      const worst = CHECK_RESULTS.find((res) => checks.some((c) => c.result === res)) ?? 'pass';
      const word = worst === 'unknown' ? 'COULD NOT CHECK' : RESULT_LABELS[worst];
      out.push(`  CIS ${cis.padEnd(9)}${word.padEnd(16)}${checks.map((c) => `${escapeControl(c.title)} (${RESULT_LABELS[c.result]})`).join('; ')}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** Plain text for a terminal: per trail a heading, one line per check, and the trail's counts. */
export function renderProtectionText(reports: readonly ProtectionReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`Trail ${escapeControl(r.trail.name)} (${escapeControl(r.trail.arn)}), home region ${escapeControl(r.region)}, bucket ${location(r, escapeControl)}`);
    if (r.ownership.kind !== 'own') out.push(`  ${escapeControl(describeOwnership(r.ownership))}`);
    out.push(...r.checks.map(checkLine));
    out.push(`  Result: ${summaryText(r.summary)}`, '');
  }
  if (reports.length > 1) out.push(`All trails: ${summaryText(totalSummary(reports))}`);
  return out.join('\n').replace(/\n*$/, '\n');
}
