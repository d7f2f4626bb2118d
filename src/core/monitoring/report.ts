// The monitoring report in Markdown: the log group's checks, each CIS control with how it is met
// or where its alert chain breaks, and for each missing one the commands and the CloudFormation
// that would create it (shown, never run). Names from AWS are escaped; code blocks use fences
// longer than any run of backticks they hold.
import { escapeMarkdownText, markdownCode } from '../text/safeText';
import { monitoringSummary, type MonitoringReport, type MonitoringResult } from './checkMonitoring';
import { TAMPERING_EVENTS } from './recentTampering';

const WORD: Record<MonitoringResult, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', unknown: 'COULD NOT CHECK', 'not-verifiable': 'NOT VERIFIABLE' };

/** The CIS, Security Hub and AWS Config equivalents of the log group's checks, by title. */
export const LOG_CHECK_EQUIVALENTS: Record<string, string> = {
  'CloudWatch Logs delivery': 'CIS v1.4 3.4 · Security Hub CloudTrail.5 · Config cloud-trail-cloud-watch-logs-enabled',
  'Log group': 'CIS v1.4 3.4 · Security Hub CloudTrail.5',
  'Log group retention': 'Config cw-loggroup-retention-period-check',
  'Log group encryption': 'Config cloudwatch-log-group-encrypted',
};

function cell(text: string): string {
  return escapeMarkdownText(text);
}

function fenced(text: string, language: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

/** `4 pass · 11 fail` */
export function monitoringSummaryText(report: MonitoringReport): string {
  const s = monitoringSummary(report);
  return (['fail', 'unknown', 'not-verifiable', 'warn', 'pass'] as const)
    .filter((r) => s[r] > 0)
    .map((r) => `${s[r]} ${r === 'not-verifiable' ? 'not verifiable' : r === 'unknown' ? 'could not check' : r}`)
    .join(' · ');
}

export function renderMonitoringReport(reports: readonly MonitoringReport[]): string {
  const lines: string[] = ['# CloudTrail monitoring: would anyone be alerted?', ''];
  lines.push(
    'For each CIS AWS Foundations monitoring control (section 4 in v3.0–v5.0, section 5 from v6.0), an alert exists end to end when a metric filter on the trail\'s CloudWatch Logs log group catches the control\'s events, an alarm watches its metric and notifies an SNS topic with a confirmed subscription, or an enabled EventBridge rule matching those events has a target. Patterns are judged by evaluating them on the events, not by comparing their text.',
    '',
  );
  for (const r of reports) {
    lines.push(`## ${cell(r.trail.name)}`, '', `${markdownCode(r.trail.arn, { table: false })} · checked ${r.checkedAt} · ${cell(monitoringSummaryText(r))}`, '');
    if (r.logGroup) lines.push(`Log group ${markdownCode(r.logGroup.name, { table: false })} in ${cell(r.logGroup.region)}, account ${cell(r.logGroup.account)}.`, '');
    lines.push('### CloudWatch Logs', '', '| check | result | evidence | remedy | equivalents |', '|---|---|---|---|---|');
    for (const c of r.logChecks) lines.push(`| ${cell(c.title)} | ${WORD[c.result]} | ${cell(c.evidence)} | ${c.remedy ? markdownCode(c.remedy) : ''} | ${LOG_CHECK_EQUIVALENTS[c.title] ?? ''} |`);
    lines.push('', '### CIS monitoring controls', '', 'AWS Config has no managed rule for these; Security Hub checks them (CloudWatch.1–14) with rules of its own.', '', '| CIS | control | Security Hub | result | how | evidence |', '|---|---|---|---|---|---|');
    for (const c of r.controls) lines.push(`| ${c.control.cis} | ${cell(c.control.title)} | ${c.control.securityHub} | ${WORD[c.result]} | ${c.via === 'alarm' ? 'metric filter + alarm' : c.via === 'eventbridge' ? 'EventBridge rule' : ''} | ${cell(c.evidence)} |`);
    const missing = r.controls.filter((c) => c.fix);
    if (missing.length > 0) {
      lines.push('', '### Creating the missing alerts', '', 'Replace `<SNS topic ARN>` with a topic whose subscription is confirmed. Nothing here was run.', '');
      for (const c of missing) {
        lines.push(`#### CIS ${c.control.cis} ${cell(c.control.title)}`, '', fenced(c.fix!.cli.join('\n\n'), 'sh'), '', fenced(c.fix!.cloudFormation, 'yaml'), '');
      }
    }
    if (r.filters.length > 0) {
      lines.push('', '### Metric filters', '', '| filter | pattern | metric | alarms | controls |', '|---|---|---|---|---|');
      for (const f of r.filters) {
        const alarms = f.metrics.flatMap((m) => m.alarms.map((a) => `${a.name} (${a.state})`)).join(', ');
        lines.push(`| ${cell(f.name)} | ${markdownCode(f.pattern)}${f.parseError ? ` (not readable: ${cell(f.parseError)})` : ''} | ${cell(f.metrics.map((m) => `${m.namespace}/${m.name}`).join(', '))} | ${cell(alarms || 'none')} | ${f.controls.join(', ') || 'none'} |`);
      }
    }
    const t = r.recentTampering;
    if (t) {
      lines.push('', `### Recent tampering (last ${t.days} days, LookupEvents)`, '');
      if ('error' in t) lines.push(`Could not look: ${cell(t.error)}`);
      else if (t.events.length === 0) lines.push('None: no call stopped, deleted or narrowed this trail, its bucket or its key.');
      else {
        lines.push('| time | event | caller | source IP | what it does |', '|---|---|---|---|---|');
        for (const e of t.events) {
          const caller = e.userIdentity?.arn ?? e.userIdentity?.principalId ?? '';
          lines.push(`| ${cell(String(e.eventTime ?? ''))} | ${cell(String(e.eventName ?? ''))} | ${markdownCode(String(caller))} | ${cell(String(e.sourceIPAddress ?? ''))} | ${cell(TAMPERING_EVENTS[String(e.eventName)] ?? '')} |`);
        }
      }
    }
    if (r.rules.length > 0) {
      lines.push('', '### EventBridge rules on these events', '', '| rule | state | targets | controls covered |', '|---|---|---|---|');
      for (const rule of r.rules) lines.push(`| ${cell(rule.name)} | ${cell(rule.state)} | ${cell(rule.targets.join(', ') || 'none')} | ${rule.controls.join(', ') || 'none in full'} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

const PAD = 16;

/** The CLI's `--cis` section: one line per CIS monitoring control of each trail, escaped for a terminal. */
export function renderMonitoringText(reports: readonly MonitoringReport[], escape: (text: string) => string): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`CIS monitoring controls of ${escape(r.trail.name)}${r.logGroup ? `, log group ${escape(r.logGroup.name)}` : ', no CloudWatch Logs log group'}`);
    for (const c of r.logChecks) out.push(`  ${WORD[c.result].padEnd(PAD)}${escape(c.title)}: ${escape(c.evidence)}`);
    for (const c of r.controls) out.push(`  ${WORD[c.result].padEnd(PAD)}${c.control.cis} ${c.control.title}: ${escape(c.evidence)}`);
    out.push(`  Result: ${monitoringSummaryText(r)}`, '');
  }
  return out.join('\n').replace(/\n*$/, '\n');
}

/** A report without the controls' sample events, for --json. */
export function monitoringJson(report: MonitoringReport): unknown {
  return { ...report, controls: report.controls.map((c) => ({ ...c, control: { cis: c.control.cis, id: c.control.id, title: c.control.title, securityHub: c.control.securityHub } })) };
}
