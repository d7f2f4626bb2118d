// Findings as the lines `aws cloudtrail validate-logs` prints, so scripts written for aws-cli keep
// working: the same text for what aws-cli checks too, and lines in the same form for the checks it
// lacks. Valid lines go to stdout (verbose only), problems to stderr followed by a blank line.
// Every part that comes from input (keys, messages, fields of digests, regions) is escaped here, as
// printed: the findings themselves keep the exact values.
import { objectUri, type Finding } from './findings';
import { escapeControl as e } from '../text/safeText';
import type { ValidationSummary } from './summary';

export interface OutputLine {
  stream: 'stdout' | 'stderr';
  /** Valid lines are printed only with --verbose, as aws-cli does. */
  verboseOnly: boolean;
  text: string;
}

function label(f: Finding): string {
  if (f.subject === 'log') return 'Log file';
  return f.subject === 'backfill-digest' ? '(backfill) Digest file' : 'Digest file';
}

/** What follows `INVALID: ` for each kind of problem (aws-cli's words where it has them). */
function invalidReason(f: Finding): string {
  const d = f.details ?? {};
  switch (f.verdict) {
    case 'missing':
      return d.estimated ? 'not found (name estimated: its seconds are unknown)' : 'not found';
    case 'hash-mismatch':
      return "hash value doesn't match";
    case 'invalid-format':
      return f.code === 'digest-name' ? 'invalid format (not a digest name)' : 'invalid format';
    case 'signature-failed':
      return 'signature verification failed';
    case 'moved':
      return 'has been moved from its original location';
    case 'no-public-key':
      return f.code === 'public-key-unusable' ? `Unable to load PKCS #1 key with fingerprint ${e(d.fingerprint ?? '')}` : `public key not found in region ${e(f.region)} for fingerprint ${e(d.fingerprint ?? '')}`;
    case 'chain-broken':
      return f.code === 'chain-skips-digest' ? 'chain broken: the next digest names another digest as its previous one' : `chain broken: ${e(d.field ?? 'previous digest')} of the next digest does not match`;
    case 'wrong-account':
      return `wrong account ${e(d.actual ?? '')} (expected ${e(d.expected ?? '')})`;
    case 'wrong-algorithm':
      return `wrong algorithm ${e(d.actual ?? '')} in ${e(d.field ?? '')} (expected ${e(d.expected ?? '')})`;
    case 'error':
      return `could not be read: ${e(f.message)}`;
    default:
      return e(f.message);
  }
}

export function findingLine(f: Finding): OutputLine {
  if (f.verdict === 'valid') {
    return { stream: 'stdout', verboseOnly: true, text: `${label(f)}\t${e(objectUri(f.object!))}\tvalid` };
  }
  if (f.verdict === 'gap') {
    if (f.code === 'logging-gap') {
      return { stream: 'stderr', verboseOnly: false, text: `No log files were delivered by CloudTrail between ${e(f.timeRange!.start)} and ${e(f.timeRange!.end)}` };
    }
    return { stream: 'stderr', verboseOnly: f.severity === 'info', text: e(f.message) };
  }
  if (f.verdict === 'unverified') {
    return { stream: 'stderr', verboseOnly: false, text: `${label(f)}\t${e(objectUri(f.object!))}\tUNVERIFIED: ${e(f.message)}` };
  }
  if (f.verdict === 'not-checked' && !f.object) {
    return { stream: 'stderr', verboseOnly: false, text: `NOT CHECKED: ${e(f.message)}` };
  }
  if (f.verdict === 'not-checked') {
    return { stream: f.severity === 'info' ? 'stdout' : 'stderr', verboseOnly: f.severity === 'info', text: `${label(f)}\t${e(objectUri(f.object!))}\tNOT CHECKED: ${e(f.message)}` };
  }
  const where = e(f.object ? objectUri(f.object) : `${f.timeRange?.start ?? ''} to ${f.timeRange?.end ?? ''}`);
  return { stream: 'stderr', verboseOnly: false, text: `${label(f)}\t${where}\tINVALID: ${invalidReason(f)}` };
}

/** aws-cli's "N/M digest files valid, K/M digest files INVALID", with the files neither valid nor invalid added. */
function ratio(c: { valid: number; invalid: number; other: number }, name: string): string {
  const total = c.valid + c.invalid + c.other;
  if (total === 0) return '';
  let text = `\n${c.valid}/${total} ${name} files valid`;
  if (c.invalid > 0) text += `, ${c.invalid}/${total} ${name} files INVALID`;
  if (c.other > 0) text += `, ${c.other}/${total} ${name} files NOT VERIFIED`;
  return text;
}

/** The summary aws-cli prints at the end (stdout), byte for byte when every file is valid or invalid. */
export function summaryText(summary: ValidationSummary, start: string, end: string): string {
  let text = `Results requested for ${start} to ${end}\n`;
  const digests = summary.digests.valid + summary.digests.invalid + summary.digests.other + summary.backfillDigests.valid + summary.backfillDigests.invalid + summary.backfillDigests.other;
  if (digests === 0) return text + 'No digests found\n';
  text += summary.foundStart && summary.foundEnd ? `Results found for ${e(summary.foundStart)} to ${e(summary.foundEnd)}:\n` : 'No valid digests found in range\n';
  text += ratio(summary.digests, 'digest') + ratio(summary.backfillDigests, 'backfill digest') + ratio(summary.logs, 'log');
  return text + '\n';
}

export function startupText(trail: string, start: string, end: string): string {
  return `Validating log files for trail ${e(trail)} between ${start} and ${end}\n\n`;
}
