// Account-level checks: does some trail record every region, and does AWS Config record in each
// selected region? Each reads what it needs through a callback, so the editor and tests share it.
import type { TrailStatusInfo, TrailSummary } from '../aws/trailApi';
import { managementEventsOutcome } from '../protection/managementEvents';
import type { EventSelectors } from '../protection/protectionReader';
import type { MonitoringCheck } from './checkMonitoring';

type Got<T> = { ok: true; value: T } | { ok: false; why: string };

async function got<T>(run: () => Promise<T>): Promise<Got<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, why: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * At least one multi-region trail that is logging and records read and write management events
 * covers every region (CIS 3.1 in v3.0; Security Hub CloudTrail.1). Fails when none does.
 */
export async function multiRegionCoverage(
  trails: readonly TrailSummary[],
  read: { status(t: TrailSummary): Promise<TrailStatusInfo>; selectors(t: TrailSummary): Promise<EventSelectors> },
): Promise<MonitoringCheck> {
  const title = 'A multi-region trail records every region';
  const remedy = 'aws cloudtrail create-trail --name <name> --s3-bucket-name <bucket> --is-multi-region-trail --enable-log-file-validation, then start-logging; or make an existing trail multi-region (update-trail --is-multi-region-trail).';
  const multi = trails.filter((t) => t.isMultiRegion);
  if (multi.length === 0) {
    return { title, result: 'fail', evidence: trails.length === 0 ? 'No trail: no region records API activity beyond the 90 days of Event history.' : `No multi-region trail (${trails.map((t) => t.name).join(', ')} record${trails.length === 1 ? 's' : ''} one region each): regions without a trail record nothing.`, remedy };
  }
  const reasons: string[] = [];
  let unknown = false;
  for (const t of multi) {
    const [status, selectors] = await Promise.all([got(() => read.status(t)), got(() => read.selectors(t))]);
    if (!status.ok || !selectors.ok) {
      unknown = true;
      reasons.push(`${t.name}: could not read ${!status.ok ? `its status (${status.why})` : `its event selectors (${(selectors as { why: string }).why})`}`);
      continue;
    }
    const events = managementEventsOutcome(selectors.value);
    if (status.value.isLogging && events.result === 'pass') return { title, result: 'pass', evidence: `${t.name} is multi-region, logging, and records read and write management events.` };
    reasons.push(`${t.name}: ${!status.value.isLogging ? 'not logging' : events.evidence}`);
  }
  return { title, result: unknown ? 'unknown' : 'fail', evidence: `No multi-region trail both logs and records all management events: ${reasons.join('; ')}.`, remedy: unknown ? undefined : remedy };
}

/** AWS Config records in every region asked (CIS 3.3 in v3.0; Security Hub Config.1). */
export async function configRecording(regions: readonly string[], recording: (region: string) => Promise<boolean>): Promise<MonitoringCheck> {
  const title = 'AWS Config records in every region';
  const results = await Promise.all(regions.map(async (r) => ({ region: r, got: await got(() => recording(r)) })));
  const off = results.filter((x) => x.got.ok && !x.got.value).map((x) => x.region);
  const failed = results.filter((x) => !x.got.ok);
  if (off.length > 0) {
    return {
      title,
      result: 'fail',
      evidence: `Not recording in ${off.join(', ')}: no configuration history there, so what a call changed cannot be seen afterwards.`,
      remedy: `In each region: aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=<role> --recording-group allSupported=true,includeGlobalResourceTypes=true; put-delivery-channel; start-configuration-recorder --configuration-recorder-name default.`,
    };
  }
  if (failed.length > 0) return { title, result: 'unknown', evidence: `Could not read the recorder status in ${failed.map((f) => `${f.region} (${(f.got as { why: string }).why})`).join(', ')}.` };
  return { title, result: 'pass', evidence: `Recording in ${regions.join(', ')}.` };
}
