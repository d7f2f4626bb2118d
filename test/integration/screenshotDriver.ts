// Drives the extension for the README screenshots (scripts/vscode/screenshots.mjs): it sets up a
// scene, prints "[shot] NAME" and waits until the harness has taken the picture (it creates the
// file CLOUDTRAIL_LENS_SHOTS/NAME.done). Not a test: it asserts nothing.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutMetricFilterCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CIS_CONTROLS } from '../../src/core/monitoring/cisControls';
import * as vscode from 'vscode';
import { startCloudTrailFront } from '../fixtures/cloudTrailFront';
import { startMoto } from '../fixtures/moto';
import { simulateTrail, startCloudTrailStandIn, writeTrailToS3 } from '../fixtures/simulator';

const shots = process.env.CLOUDTRAIL_LENS_SHOTS ?? '';
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function scene(name: string): Promise<void> {
  console.log(`[suite] [shot] ${name}`);
  for (let i = 0; i < 600 && !existsSync(path.join(shots, `${name}.done`)); i++) await pause(200);
}

export async function run(): Promise<void> {
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  await vscode.extensions.getExtension('cloudtrail-lens.cloudtrail-lens')?.activate();
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  await vscode.commands.executeCommand('workbench.view.extension.cloudtrailLens');
  await pause(1500);
  await scene('tree');

  const day = vscode.Uri.file(path.join(workspace, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1'));
  const editor = await vscode.commands.executeCommand<vscode.TextEditor>('cloudtrailLens.openAsEvents', day);
  const text = editor.document.getText();
  let at = 0;
  for (let i = 0; i < 3; i++) at = text.indexOf('"sourceIPAddress"', at + 1);
  const position = editor.document.positionAt(text.indexOf(':', at) + 4);
  const top = editor.document.positionAt(text.lastIndexOf('\n    {', at) + 1);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(top, top), vscode.TextEditorRevealType.AtTop);
  await pause(2500);
  await vscode.commands.executeCommand('editor.action.showHover');
  await pause(1500);
  await scene('events');

  // The caller card and its links, with room below the key for all of it.
  const identity = editor.document.positionAt(text.lastIndexOf('"userIdentity"', at) + 3);
  editor.selection = new vscode.Selection(identity, identity);
  editor.revealRange(new vscode.Range(identity.translate(-2), identity.translate(-2)), vscode.TextEditorRevealType.AtTop);
  await pause(1000);
  await vscode.commands.executeCommand('editor.action.showHover');
  await pause(1500);
  await scene('identity-hover');

  // The Investigation view over the whole demo workspace (both regions' day).
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const investigation = vscode.Uri.file(path.join(mkdtempSync(path.join(tmpdir(), 'shots-inv-')), 'demo-day.ctinv'));
  await vscode.commands.executeCommand('cloudtrailLens.newInvestigation', vscode.Uri.file(path.join(workspace, 'AWSLogs')), undefined, investigation);
  await vscode.commands.executeCommand('workbench.action.closeSidebar');
  await pause(3000);
  await scene('investigation');

  // A query notebook on that investigation: a cell's rows as the results renderer draws them.
  const year = new Date().toISOString().slice(0, 4);
  const notebookFile = path.join(path.dirname(investigation.fsPath), 'incident.ctnb');
  writeFileSync(
    notebookFile,
    JSON.stringify({
      format: 'cloudtrail-lens-notebook',
      version: 1,
      investigation: 'demo-day.ctinv',
      cells: [
        { kind: 'markdown', source: '## Calls that failed, by the hour\nThe same SQL runs on Athena over the trail bucket: change the cell\'s target in its status bar.' },
        {
          kind: 'sql',
          target: 'local',
          source: `SELECT eventtime, useridentity.arn AS principal, eventname, sourceipaddress, errorcode, eventid, "$path"\nFROM cloudtrail_logs\nWHERE "timestamp" >= '${year}/01/01' AND errorcode IS NOT NULL\nORDER BY eventtime`,
        },
      ],
    }),
  );
  const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(notebookFile));
  await vscode.window.showNotebookDocument(notebook, { viewColumn: vscode.ViewColumn.Active });
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 1, end: 2 }], document: notebook.uri });
  await pause(4000);
  await scene('notebook');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await awsScene();
}

/** Alerts on the trail's log group, some complete and some broken, for the Monitoring node's picture. */
async function monitoringSetup(endpoint: string, logGroup: string): Promise<void> {
  const common = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const logs = new CloudWatchLogsClient(common);
  const cloudwatch = new CloudWatchClient(common);
  const sns = new SNSClient(common);
  const events = new EventBridgeClient(common);
  try {
    await logs.send(new CreateLogGroupCommand({ logGroupName: logGroup }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: logGroup, retentionInDays: 400 }));
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'security-alerts' }))).TopicArn;
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'email', Endpoint: 'secops@example.com' }));
    const silent = (await sns.send(new CreateTopicCommand({ Name: 'unsubscribed' }))).TopicArn;
    for (const [id, alarmTopic] of [['cloudtrail-changes', topic], ['root-usage', topic], ['console-signin-without-mfa', silent], ['iam-policy-changes', undefined]] as const) {
      const c = CIS_CONTROLS.find((x) => x.id === id);
      if (!c) continue;
      await logs.send(new PutMetricFilterCommand({ logGroupName: logGroup, filterName: c.metricName, filterPattern: c.pattern, metricTransformations: [{ metricName: c.metricName, metricNamespace: 'CISBenchmark', metricValue: '1' }] }));
      if (alarmTopic) await cloudwatch.send(new PutMetricAlarmCommand({ AlarmName: `${c.metricName}Alarm`, MetricName: c.metricName, Namespace: 'CISBenchmark', Statistic: 'Sum', Period: 300, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, AlarmActions: [alarmTopic] }));
    }
    await events.send(new PutRuleCommand({ Name: 'bucket-policy-changes', EventPattern: JSON.stringify({ source: ['aws.s3'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventSource: ['s3.amazonaws.com'], eventName: [{ prefix: 'PutBucket' }, { prefix: 'DeleteBucket' }] } }) }));
    await events.send(new PutTargetsCommand({ Rule: 'bucket-policy-changes', Targets: [{ Id: 'alerts', Arn: topic }] }));
  } finally {
    for (const c of [logs, cloudwatch, sns, events]) c.destroy();
  }
}

/** The Trails view on an AWS account: moto with a simulated multi-region trail, validated once. */
async function awsScene(): Promise<void> {
  const account = '111122223333';
  const moto = await startMoto({ accountId: account });
  const trail = simulateTrail({ seed: 7, hours: 6, filesPerHour: 4, recordsPerFile: 20, accountId: account, regions: ['us-east-1', 'eu-west-1'], bucket: 'acme-cloudtrail-logs', trailName: 'org-audit', start: new Date(Math.floor(Date.now() / 3600_000) * 3600_000 - 7 * 3600_000) });
  const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
  const s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: 'us-east-1', credentials });
  await writeTrailToS3(trail, s3);
  const cloudtrail = new CloudTrailClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials });
  const logGroup = 'CloudTrail/org-audit';
  await cloudtrail.send(
    new CreateTrailCommand({
      Name: 'org-audit',
      S3BucketName: 'acme-cloudtrail-logs',
      IsMultiRegionTrail: true,
      EnableLogFileValidation: true,
      CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${account}:log-group:${logGroup}:*`,
      CloudWatchLogsRoleArn: `arn:aws:iam::${account}:role/CloudTrailToLogs`,
    }),
  );
  await monitoringSetup(moto.endpoint, logGroup);
  await cloudtrail.send(new StartLoggingCommand({ Name: 'org-audit' }));
  const standIn = await startCloudTrailStandIn({ upstream: moto.endpoint, keys: trail.keys });
  const front = await startCloudTrailFront({ upstream: standIn.url, statusExtra: { LatestDigestDeliveryTime: Math.floor(Date.now() / 1000) - 25 * 60 } });
  const home = mkdtempSync(path.join(tmpdir(), 'shots-aws-'));
  writeFileSync(path.join(home, 'config'), '[profile security-audit]\nregion = us-east-1\n');
  writeFileSync(path.join(home, 'credentials'), '[security-audit]\naws_access_key_id = testing\naws_secret_access_key = testing\n');
  Object.assign(process.env, { AWS_CONFIG_FILE: path.join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'), AWS_ENDPOINT_URL_S3: moto.endpoint, AWS_ENDPOINT_URL_STS: moto.endpoint, AWS_ENDPOINT_URL_IAM: moto.endpoint, AWS_ENDPOINT_URL_CLOUDTRAIL: front.url });
  const api = vscode.extensions.getExtension('cloudtrail-lens.cloudtrail-lens')?.exports as { session: { setProfile(p: string): Promise<void>; setRegions(r: string[]): Promise<void> } };
  await api.session.setProfile('security-audit');
  await api.session.setRegions(['us-east-1', 'eu-west-1']);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const end = new Date(Math.floor(Date.now() / 3600_000) * 3600_000);
  await vscode.commands.executeCommand('cloudtrailLens.validateTrail', { trailArn: `arn:aws:cloudtrail:us-east-1:${account}:trail/org-audit`, start: new Date(end.getTime() - 8 * 3600_000).toISOString(), end: end.toISOString() });
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.commands.executeCommand('workbench.view.extension.cloudtrailLens');
  await pause(2000);
  await scene('aws-tree');
  await scene('aws-monitoring');
  await front.close();
  await standIn.close();
  await moto.stop();
}
