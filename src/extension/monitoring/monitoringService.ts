import { describeAwsError } from '../../core/aws/awsErrors';
import { lookupLimiter } from '../../core/aws/rateLimiter';
import type { TrailSummary } from '../../core/aws/trailApi';
import { recentTampering } from '../../core/monitoring/recentTampering';
import { checkMonitoring, type MonitoringReport } from '../../core/monitoring/checkMonitoring';
import { SdkMonitoringReader } from '../../core/monitoring/monitoringReader';
import { renderMonitoringReport } from '../../core/monitoring/report';
import { createMonitoringClients } from '../../core/protection/clients';
import type { AwsSession } from '../aws/awsSession';
import type { Config } from '../config';
import type { ReportDocuments } from '../integrity/reportDocuments';
import { log } from '../log';

/**
 * Runs the monitoring checks of a trail in its home region (read-only calls: CloudTrail, CloudWatch
 * Logs, CloudWatch, SNS, EventBridge) and keeps the last report per trail, for the tree's
 * Monitoring node and its report.
 */
export class MonitoringService {
  private readonly byArn = new Map<string, MonitoringReport>();

  constructor(
    private readonly session: AwsSession,
    private readonly reports: ReportDocuments,
    private readonly config: () => Config,
  ) {}

  last(arn: string): MonitoringReport | undefined {
    return this.byArn.get(arn);
  }

  async check(trail: TrailSummary, signal?: AbortSignal): Promise<MonitoringReport> {
    const clients = createMonitoringClients(this.session.context(), trail.homeRegion);
    try {
      // LookupEvents answers 2 calls a second (the shared limiter keeps this and searches within it):
      // the lookups run beside the other checks.
      const days = 7;
      const tampering = recentTampering(this.session.trailApi(trail.homeRegion), trail, { limiter: lookupLimiter(this.session.profile ?? '', trail.homeRegion), days, signal }).then(
        (events): NonNullable<MonitoringReport['recentTampering']> => ({ days, events }),
        (error: unknown): NonNullable<MonitoringReport['recentTampering']> => {
          if (signal?.aborted) throw error;
          return { days, error: describeAwsError(error, 'LookupEvents', trail.homeRegion, this.session.profile).message };
        },
      );
      tampering.catch(() => undefined); // awaited below; a failed check must not leave it unhandled
      const status = await this.session
        .trailApi(trail.homeRegion)
        .getTrailStatus(trail.arn, signal)
        .catch((error: unknown) => {
          log.warn(`GetTrailStatus of ${trail.name} failed; the log group delivery is not judged: ${(error as Error).message}`);
          return undefined;
        });
      const report = await checkMonitoring({
        trail,
        status,
        reader: new SdkMonitoringReader(clients),
        viewerAccount: await this.session.accountId(),
        retentionDays: this.config().protectionRetentionDays,
        profile: this.session.profile,
        signal,
      });
      report.recentTampering = await tampering;
      this.byArn.set(trail.arn, report);
      return report;
    } finally {
      for (const c of Object.values(clients)) c.destroy();
    }
  }

  /** The Markdown report of the trail's last check (running it when there is none). */
  async report(trail: TrailSummary): Promise<ReturnType<ReportDocuments['put']>> {
    const report = this.last(trail.arn) ?? (await this.check(trail));
    return this.reports.put(`${trail.name} monitoring report`, renderMonitoringReport([report]));
  }
}
