// How a verdict reads at the start of a message a user sees beside the file (Problems panel, tree
// rows, event-document banners): what happened, in words, before the details.
import type { Finding, Verdict } from './findings';

export const VERDICT_PHRASE: Record<Verdict, string> = {
  valid: 'valid',
  'hash-mismatch': 'changed after delivery',
  missing: 'missing',
  'invalid-format': 'unreadable',
  'signature-failed': 'signature does not verify',
  moved: 'moved',
  'chain-broken': 'digest chain broken',
  'wrong-account': 'wrong account',
  'wrong-algorithm': 'wrong algorithm',
  'no-public-key': 'no public key',
  gap: 'gap in the digests',
  unverified: 'not verified',
  'not-checked': 'not checked',
  error: 'could not be read',
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The finding's message for a place that already names its file (the Problems panel's group, a
 * tree row): the verdict first, and the object's own name replaced by "this log file" or "this
 * digest". `Log file AWSLogs/…/x.json.gz has been changed: …` becomes
 * `changed after delivery: this log file has been changed: …`.
 */
export function messageBesideFile(f: Pick<Finding, 'verdict' | 'message' | 'object'>): string {
  let message = f.message;
  const key = f.object?.key;
  if (key) {
    const names = [f.object?.bucket ? `s3://${f.object.bucket}/${key}` : undefined, f.object?.path, key].filter((n): n is string => n !== undefined);
    const own = new RegExp(`^(Log file|Digest|Backfill digest|Object) (?:${names.map(escapeRegExp).join('|')})(?=[ :,.]|$)`);
    message = message.replace(own, (_m, what: string) => `this ${what.toLowerCase()}`);
  }
  return `${VERDICT_PHRASE[f.verdict]}: ${message}`;
}
