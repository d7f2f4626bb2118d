// The Markdown report a user can save and hand to an auditor: what was checked, with which keys and
// tool, the verdict and counts, every finding that is not "valid", what goes beyond aws-cli and what
// could not be checked. A pure function of the result (its own unit test renders fixed results).
// Keys, messages, trail and bucket names are input: every cell and line made from them is escaped
// for Markdown, so that a key cannot add a link, HTML, a cell or a line to the report.
import { escapeMarkdownText, markdownCode } from '../text/safeText';
import { objectUri, type Finding } from './findings';
import type { ValidationResult } from './validateTrail';

export interface ReportContext {
  /** e.g. `cloudtrail-lens 0.1.0`. */
  toolVersion: string;
  /** When the report is written; defaults to the run's finish time. */
  generatedAt?: Date;
  title?: string;
}

/** Checks this tool makes that `aws cloudtrail validate-logs` does not. */
export const CHECKS_BEYOND_AWS_CLI: readonly string[] = [
  "Every chain link: each digest's SHA-256 and signature metadata must equal the next digest's previousDigestHashValue and previousDigestSignature.",
  'Every hour accounted for: each missing digest is reported on its own, two or more deleted in a row included; deleted newest digests are found against GetTrailStatus LatestDigestDeliveryTime.',
  'A chain break from stopped logging or disabled validation is reported as a gap, not as tampering.',
  'Signature and hash algorithms (SHA256withRSA, SHA-256) and awsAccountId are checked; public keys are chosen by fingerprint and validity at signing time, in PKCS#1 or SubjectPublicKeyInfo DER.',
  'Every region of the trail is validated, not only one.',
  'Log files in the range that no digest lists, and unexpected objects in the trail folders, are reported as unverified.',
  'The hash covers exactly what a reader sees: several gzip members, bytes after the gzip data, a missing gzip trailer or a .gz name on plain data make a file invalid even when aws-cli would accept it.',
  'A failed read of one object is reported and the run goes on (aws-cli stops at the first S3 error other than NoSuchKey).',
];

const VERDICT_TEXT: Record<ValidationResult['summary']['outcome'], string> = {
  valid: '**VALID**: every digest and log file in the range is what CloudTrail delivered.',
  invalid: '**INVALID**: some digests or log files are missing or were changed (see Findings).',
  incomplete: '**INCOMPLETE**: nothing was found changed, but some files could not be verified (see Findings and What could not be checked).',
};

/** Escapes text for a Markdown table cell or list item. */
function cell(text: string): string {
  return escapeMarkdownText(text);
}

function counts(label: string, c: { valid: number; invalid: number; other: number }): string {
  return `| ${label} | ${c.valid + c.invalid + c.other} | ${c.valid} | ${c.invalid} | ${c.other} |`;
}

function findingRow(f: Finding): string {
  // A file of a local copy is named by its path there, not as the S3 object it was copied from.
  const what = f.object ? markdownCode(f.object.path ?? objectUri(f.object)) : f.timeRange ? cell(`${f.timeRange.start} to ${f.timeRange.end}`) : '';
  return `| ${f.severity} | ${f.verdict} | ${f.subject} | ${cell(f.region)} | ${what} | ${cell(f.message)} |`;
}

export function renderReport(result: ValidationResult, context: ReportContext): string {
  const s = result.scope;
  const sum = result.summary;
  const lines: string[] = [];
  lines.push(`# ${cell(context.title ?? 'CloudTrail log file integrity report')}`, '');
  lines.push('## Verdict', '', VERDICT_TEXT[sum.outcome], '');
  lines.push('## What was checked', '');
  lines.push('| | |', '|---|---|');
  const rows: [string, string | undefined][] = [
    ['Trail', s.trailArn ?? s.trailName],
    ['Trail name / home region', `${s.trailName} / ${s.homeRegion}`],
    ['Account', s.organizationId ? `${s.accountId} (organization ${s.organizationId})` : s.accountId],
    ['Source', s.store],
    ['Bucket', s.bucket ?? '(not recorded)'],
    ['Key prefix', s.prefix ?? '(none)'],
    ['Regions', s.regions.join(', ')],
    ['Range (log delivery time, UTC)', `${s.start} to ${s.end}`],
    ['Results found for', sum.foundStart && sum.foundEnd ? `${sum.foundStart} to ${sum.foundEnd}` : 'no valid digests'],
    ['Newest digests checked against GetTrailStatus', s.trailStatusRegions.length ? s.trailStatusRegions.join(', ') : 'no'],
    ['Tool', context.toolVersion],
    ['Run', `${s.startedAt} to ${s.finishedAt}`],
    ['Report written', (context.generatedAt ?? new Date(s.finishedAt)).toISOString()],
  ];
  for (const [k, v] of rows) lines.push(`| ${k} | ${cell(v ?? '')} |`);
  lines.push('');
  lines.push('### Public keys', '');
  if (s.publicKeys.length === 0) {
    lines.push('No public keys were used: digest signatures were not checked.', '');
  } else {
    lines.push(s.keysFromAws ? 'Fetched from AWS (ListPublicKeys).' : 'Read from a file, not from AWS: compare these fingerprints with `aws cloudtrail list-public-keys`.', '');
    lines.push('| Region | Fingerprint | Valid from | Valid to | Source |', '|---|---|---|---|---|');
    for (const k of s.publicKeys) lines.push(`| ${cell(k.region)} | ${markdownCode(k.fingerprint)} | ${cell(k.validityStart)} | ${cell(k.validityEnd)} | ${cell(k.source)} |`);
    lines.push('');
  }
  lines.push('## Counts', '');
  lines.push('| Files | Total | Valid | Invalid | Not verified |', '|---|---|---|---|---|');
  lines.push(counts('Digest files', sum.digests), counts('Backfill digest files', sum.backfillDigests), counts('Log files', sum.logs));
  lines.push('', `Gaps: ${sum.gaps}. Errors: ${sum.errors}. Warnings: ${sum.warnings}.`, '');
  const notValid = result.findings.filter((f) => f.verdict !== 'valid');
  lines.push('## Findings', '');
  if (notValid.length === 0) {
    lines.push('None: every object checked is valid.', '');
  } else {
    const order = { error: 0, warning: 1, info: 2 };
    const sorted = [...notValid].sort((a, b) => order[a.severity] - order[b.severity] || a.region.localeCompare(b.region) || (a.object?.key ?? a.timeRange?.start ?? '').localeCompare(b.object?.key ?? b.timeRange?.start ?? ''));
    lines.push('| Severity | Verdict | Subject | Region | Object or time | What it means |', '|---|---|---|---|---|---|');
    for (const f of sorted) lines.push(findingRow(f));
    lines.push('');
  }
  lines.push('## Checks beyond aws cloudtrail validate-logs', '');
  for (const c of CHECKS_BEYOND_AWS_CLI) lines.push(`- ${c}`);
  lines.push('', '## What could not be checked', '');
  if (result.limitations.length === 0) lines.push('Nothing: every check ran.');
  for (const l of result.limitations) lines.push(`- ${cell(l)}`);
  lines.push('');
  return lines.join('\n');
}
