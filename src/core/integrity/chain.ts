// The links between a region's digests and the hours they account for. Each digest names its
// predecessor (key, SHA-256 of its inflated bytes, its signature), so:
//  - a link is checked both ways: the predecessor's hash and signature must equal what the next
//    digest records (aws-cli checks neither);
//  - a predecessor that does not exist is missing, and so is every hour between it and the
//    digest before it: inside an unbroken chain CloudTrail delivers a digest every hour, so two or
//    more deleted in a row are each reported (aws-cli reports only the first);
//  - a digest with empty previous fields starts a new chain: logging was stopped or validation
//    disabled, a gap CloudTrail explains itself, not tampering;
//  - digests delivered after the newest one in the bucket are missing when GetTrailStatus says they
//    were delivered (LatestDigestDeliveryTime); without that answer they cannot be looked for, and
//    the run says so with a finding (it is never valid);
//  - only a digest whose content can be taken as CloudTrail's (its signature verified, or it could
//    not be checked and nothing else failed) is believed about its predecessor: a forged digest
//    never gets its finding filed on a genuine one, and never counts as the newest digest.
import type { DigestState } from './digestCheck';
import { finding, type Finding, type FindingCode, type Subject } from './findings';
import { digestKeyPattern, matchDigestKey, type TrailLocation } from './trailLayout';
import { HOUR, isoSeconds, MINUTE } from './time';

export interface ChainInput {
  region: string;
  location: TrailLocation;
  bucket: string | undefined;
  /** Regular digests listed around the range (before, inside and after it), sorted by key time. */
  regular: DigestState[];
  /** Backfill digests, sorted by key time. */
  backfill: DigestState[];
  /** Findings are reported about digests whose key time is in [reportFrom, reportTo] (aws-cli's rule). */
  reportFrom: number;
  reportTo: number;
  rangeStart: number;
  rangeEnd: number;
  /** GetTrailStatus LatestDigestDeliveryTime of this region, when known. */
  latestDigestDelivery?: number;
  /** What GetTrailStatus could not be asked, for the finding when it is unknown ("no saved answer"). */
  latestDigestUnknownBecause?: string;
  /** The current time (a digest is due an hour after the previous one); default Date.now(). */
  now?: number;
  /** Reads a digest that was not listed (a predecessor before the listed window). */
  fetch(key: string): Promise<DigestState>;
}

export interface ChainResult {
  findings: Finding[];
  /** Windows no digest covers because logging stopped (for judging log files delivered then). */
  gaps: { start: number; end: number; code: FindingCode }[];
  /** Windows whose digests are missing. */
  missingWindows: { start: number; end: number }[];
  /** End of the newest regular digest (any state), or undefined when there is none. */
  newestEnd?: number;
  /** True when digests after the newest one were checked against the trail status. */
  newestChecked: boolean;
}

/** Tolerance for windows that should touch: digest boundaries carry seconds. */
const TOUCH = 2 * MINUTE;
/** How long after the end of its hour a digest may take to arrive. */
const DELIVERY_GRACE = 15 * MINUTE;

/** A digest whose content can be taken as CloudTrail's: signed by CloudTrail, or unchecked with nothing else wrong. */
export function trustedDigest(d: DigestState): boolean {
  return d.exists && d.doc !== undefined && (d.authenticated || (d.signatureUnchecked && d.findings.every((f) => f.severity !== 'error')));
}

function windowOf(d: DigestState): { start: number; end: number } {
  return d.doc ? { start: d.doc.startMs, end: d.doc.endMs } : { start: d.keyEndMs - HOUR, end: d.keyEndMs };
}

function subjectOf(d: DigestState): Subject {
  return d.backfill ? 'backfill-digest' : 'digest';
}

export async function analyzeChain(input: ChainInput): Promise<ChainResult> {
  const out: ChainResult = { findings: [], gaps: [], missingWindows: [], newestChecked: false };
  const { region, bucket } = input;
  const inReport = (ms: number): boolean => ms >= input.reportFrom && ms <= input.reportTo;
  const overlapsRange = (start: number, end: number): boolean => end > input.rangeStart && start <= input.rangeEnd;
  const byKey = new Map<string, DigestState>();
  for (const d of [...input.regular, ...input.backfill]) byKey.set(d.key, d);
  const reportedMissing = new Set<string>();

  const onDigest = (d: DigestState, code: FindingCode, message: string, details: Finding['details']): void => {
    out.findings.push(finding({ verdict: 'chain-broken', code, subject: subjectOf(d), region, object: { bucket, key: d.key }, timeRange: d.doc ? { start: d.doc.digestStartTime, end: d.doc.digestEndTime } : undefined, message, details }));
  };

  const missing = (key: string, endMs: number, startMs: number, byDigest: DigestState | undefined, estimated: boolean, subject: Subject): void => {
    if (reportedMissing.has(key) || !inReport(endMs)) return;
    reportedMissing.add(key);
    out.missingWindows.push({ start: startMs, end: endMs });
    const timeRange = { start: isoSeconds(startMs), end: isoSeconds(endMs) };
    const message = estimated
      ? `The digest for ${timeRange.start} to about ${timeRange.end} is missing: the chain continues across that hour, so CloudTrail delivered a digest and it has been deleted.`
      : `Digest ${key} is missing: ${byDigest ? `digest ${byDigest.key} names it as its previous digest` : 'CloudTrail delivered it'}, and it has been deleted.`;
    out.findings.push(
      finding({
        verdict: 'missing',
        code: estimated ? 'digest-missing-hour' : byDigest ? 'digest-missing' : 'digest-missing-newest',
        subject,
        region,
        object: { bucket, key },
        timeRange,
        message,
        details: { digestKey: byDigest?.key, estimated: estimated || undefined },
      }),
    );
  };

  /** One missing digest per hour between `fromEnd` (end of the last digest present) and `toStart`. */
  const missingHours = (fromEnd: number, toStart: number, byDigest: DigestState | undefined, code: 'between' | 'newest'): void => {
    const hours = Math.round((toStart - fromEnd) / HOUR);
    for (let h = 1; h <= hours; h++) {
      const end = h === hours && code === 'between' ? toStart : fromEnd + h * HOUR;
      const start = fromEnd + (h - 1) * HOUR;
      if (code === 'newest') {
        const key = digestKeyPattern(input.location, region, end);
        if (reportedMissing.has(key) || !inReport(end)) continue;
        // A digest is there for this hour but cannot be trusted: its own finding says so.
        if (input.regular.some((d) => d.exists && Math.abs(d.keyEndMs - end) < HOUR / 2)) continue;
        reportedMissing.add(key);
        out.missingWindows.push({ start, end });
        out.findings.push(
          finding({
            verdict: 'missing',
            code: 'digest-missing-newest',
            subject: 'digest',
            region,
            object: { bucket, key },
            timeRange: { start: isoSeconds(start), end: isoSeconds(end) },
            message: `The digest for ${isoSeconds(start)} to about ${isoSeconds(end)} is missing: GetTrailStatus says CloudTrail delivered digests until ${isoSeconds(input.latestDigestDelivery!)}, after the newest digest in the bucket, so it has been deleted.`,
            details: { estimated: true },
          }),
        );
      } else {
        missing(digestKeyPattern(input.location, region, end), end, start, byDigest, true, 'digest');
      }
    }
  };

  /** Checks what `next` records about `prev`; the finding goes to whichever side cannot be trusted. */
  const checkLink = (next: DigestState, prev: DigestState): void => {
    const doc = next.doc!;
    if (!prev.exists || prev.sha256 === undefined) return;
    const problems: { code: FindingCode; field: string; expected: string; actual: string }[] = [];
    if (doc.previousDigestHashValue !== null && doc.previousDigestHashValue.toLowerCase() !== prev.sha256) {
      problems.push({ code: 'chain-hash-mismatch', field: 'previousDigestHashValue', expected: doc.previousDigestHashValue, actual: prev.sha256 });
    }
    if (prev.metadataKnown && prev.signature !== undefined && doc.previousDigestSignature !== null && doc.previousDigestSignature.toLowerCase() !== prev.signature.toLowerCase()) {
      problems.push({ code: 'chain-signature-mismatch', field: 'previousDigestSignature', expected: doc.previousDigestSignature, actual: prev.signature });
    }
    for (const p of problems) {
      const what = p.code === 'chain-hash-mismatch' ? 'SHA-256' : 'signature metadata';
      const details = { field: p.field, expected: p.expected, actual: p.actual, digestKey: next.key, expectedHash: p.code === 'chain-hash-mismatch' ? p.expected : undefined, actualHash: p.code === 'chain-hash-mismatch' ? p.actual : undefined };
      if (next.authenticated && inReport(prev.keyEndMs)) {
        // The next digest is signed by CloudTrail: what it records is authoritative.
        onDigest(prev, p.code, `Digest ${prev.key} is not the one CloudTrail delivered: its ${what} differs from what the next digest ${next.key} records (${p.field}).`, details);
      } else if (inReport(next.keyEndMs)) {
        onDigest(next, p.code, `The chain between digests ${prev.key} and ${next.key} is broken: ${p.field} of the later one does not match the earlier one, so one of them is not what CloudTrail delivered.`, details);
      }
    }
  };

  const regular = input.regular;
  for (let i = 0; i < regular.length; i++) {
    const next = regular[i];
    const prev = i > 0 ? regular[i - 1] : undefined;
    if (!next.exists || !next.doc) continue; // its pointer is unknown; the next digest's pointer still checks it
    const doc = next.doc;
    if (doc.previousDigestS3Object === null) {
      // A new chain: logging was stopped or validation disabled in between.
      const gapStart = prev ? windowOf(prev).end : input.rangeStart;
      const code: FindingCode = prev ? 'logging-gap' : 'chain-start';
      if (doc.startMs > gapStart && overlapsRange(gapStart, doc.startMs) && (inReport(next.keyEndMs) || (prev !== undefined && inReport(prev.keyEndMs)))) {
        out.gaps.push({ start: gapStart, end: doc.startMs, code });
        out.findings.push(
          finding({
            verdict: 'gap',
            code,
            subject: 'trail',
            region,
            timeRange: { start: isoSeconds(gapStart), end: isoSeconds(doc.startMs) },
            message: prev
              ? `No log files were delivered by CloudTrail between ${isoSeconds(gapStart)} and ${isoSeconds(doc.startMs)}: digest ${next.key} starts a new chain, so logging was stopped or log file validation was disabled in between.`
              : `Digest ${next.key} starts a new chain at ${isoSeconds(doc.startMs)}: there are no digests for this region before it (logging or validation started then).`,
            details: { digestKey: next.key },
          }),
        );
      }
      continue;
    }
    if (bucket !== undefined && doc.previousDigestS3Bucket !== null && doc.previousDigestS3Bucket !== bucket) continue; // another bucket: not readable here
    const ref = doc.previousDigestS3Object;
    let target = byKey.get(ref);
    const refMatch = matchDigestKey(input.location, region, ref);
    const refEnd = refMatch.kind === 'digest' ? refMatch.endMs : undefined;
    if (!target && (prev === undefined || (refEnd !== undefined && refEnd > prev.keyEndMs))) {
      // Not listed: read it directly (a predecessor before the listed window, or a listing that missed it).
      target = await input.fetch(ref);
      if (target.exists) byKey.set(ref, target);
    }
    if (target && target.exists) {
      checkLink(next, target);
      // Only a trusted digest's pointer says that the digest before it is not part of the chain.
      if (prev && target !== prev && prev.keyEndMs > target.keyEndMs && inReport(prev.keyEndMs) && trustedDigest(next)) {
        onDigest(prev, 'chain-skips-digest', `Digest ${prev.key} is not part of the chain: the next digest ${next.key} names ${target.key} as its previous digest instead.`, { digestKey: next.key });
      }
      const holeStart = windowOf(target).end;
      if (doc.startMs - holeStart > TOUCH && overlapsRange(holeStart, doc.startMs) && !coveredByBackfill(input.backfill, holeStart, doc.startMs)) {
        out.gaps.push({ start: holeStart, end: doc.startMs, code: 'uncovered-hole' });
        out.findings.push(
          finding({
            verdict: 'gap',
            code: 'uncovered-hole',
            subject: 'trail',
            region,
            timeRange: { start: isoSeconds(holeStart), end: isoSeconds(doc.startMs) },
            message: `No digest covers ${isoSeconds(holeStart)} to ${isoSeconds(doc.startMs)}: digest ${next.key} links across it to ${target.key}, and no backfill digest for that time is in the bucket.`,
            details: { digestKey: next.key },
          }),
        );
      }
      continue;
    }
    // The predecessor is gone.
    const refStart = prev ? windowOf(prev).end : doc.startMs - HOUR;
    missing(ref, refEnd ?? doc.startMs, Math.max(refStart, doc.startMs - HOUR), next, false, 'digest');
    if (prev) {
      // Every other hour between the digest before and the missing one lost its digest too.
      missingHours(windowOf(prev).end, doc.startMs - HOUR, next, 'between');
      if (prev.keyEndMs > (refEnd ?? 0) && inReport(prev.keyEndMs) && trustedDigest(next)) {
        onDigest(prev, 'chain-skips-digest', `Digest ${prev.key} is not part of the chain: the next digest ${next.key} names ${ref} as its previous digest instead.`, { digestKey: next.key });
      }
    }
  }

  checkBackfillLinks(input, byKey, checkLink, missing);

  // The newest digest CloudTrail can be believed to have written; a forged or unreadable one after
  // it does not vouch for the hours it claims.
  const present = [...regular].reverse();
  const newest = present.find(trustedDigest) ?? present.find((d) => d.exists);
  out.newestEnd = newest ? windowOf(newest).end : undefined;
  if (!newest) {
    out.findings.push(
      finding({
        verdict: 'gap',
        code: 'no-digests',
        subject: 'trail',
        region,
        timeRange: { start: isoSeconds(input.rangeStart), end: isoSeconds(input.rangeEnd) },
        message: `There are no digest files of this trail for ${region} between ${isoSeconds(input.rangeStart)} and ${isoSeconds(input.rangeEnd)}, so nothing in that time can be verified.`,
      }),
    );
  } else if (input.latestDigestDelivery !== undefined) {
    // CloudTrail delivers a digest an hour after the previous one: every hour between the newest digest
    // here and the latest delivery had a digest.
    out.newestChecked = true;
    const from = out.newestEnd!;
    const hours = Math.floor((input.latestDigestDelivery - from) / HOUR);
    if (hours >= 1) missingHours(from, from + hours * HOUR, undefined, 'newest');
  } else {
    // Whether digests after the newest one were delivered and deleted cannot be known: say so when a
    // digest of the range would be due by now.
    const from = out.newestEnd!;
    const until = Math.min(input.reportTo, input.now ?? Date.now());
    if (from + HOUR <= input.reportTo && from + HOUR + DELIVERY_GRACE <= until) {
      out.findings.push(
        finding({
          verdict: 'not-checked',
          code: 'newest-not-checked',
          subject: 'trail',
          region,
          timeRange: { start: isoSeconds(from), end: isoSeconds(until) },
          message: `Digests after ${isoSeconds(from)} in ${region} could not be checked: ${input.latestDigestUnknownBecause ?? 'no GetTrailStatus answer (LatestDigestDeliveryTime) is available'}, so deleted newest digests cannot be told from a trail that stopped delivering. Validate from S3, or download the trail again with CloudTrail Lens, which saves that answer.`,
        }),
      );
    }
  }
  return out;
}

function coveredByBackfill(backfill: DigestState[], start: number, end: number): boolean {
  const windows = backfill
    .filter((b) => b.exists)
    .map(windowOf)
    .sort((a, b) => a.start - b.start);
  let covered = start;
  for (const w of windows) {
    if (w.start - covered > TOUCH) break;
    covered = Math.max(covered, w.end);
  }
  return end - covered <= TOUCH;
}

/** Backfill digests chain among themselves (AWS does not document it; aws-cli accepts it): check each link present. */
function checkBackfillLinks(
  input: ChainInput,
  byKey: Map<string, DigestState>,
  checkLink: (next: DigestState, prev: DigestState) => void,
  missing: (key: string, endMs: number, startMs: number, byDigest: DigestState | undefined, estimated: boolean, subject: Subject) => void,
): void {
  for (const next of input.backfill) {
    const ref = next.doc?.previousDigestS3Object;
    if (!ref) continue;
    const target = byKey.get(ref);
    if (target) {
      checkLink(next, target);
    } else if (ref.endsWith('_backfill.json.gz')) {
      const m = matchDigestKey(input.location, input.region, ref);
      if (m.kind === 'digest' && m.endMs >= input.reportFrom) missing(ref, m.endMs, m.endMs - HOUR, next, false, 'backfill-digest');
    }
  }
}
