// The CloudTrail explorer against moto_server (S3, trails, STS) and a loopback CloudTrail front
// (LookupEvents with CloudTrail's 2-per-second throttling, AccessDenied on demand, GetTrailStatus
// digest times, ListPublicKeys through the simulator's stand-in). All of it runs inside the real
// extension host; the extension reaches the fakes through the SDK's AWS_ENDPOINT_URL_* variables.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CloudTrailClient, CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { ConfigServiceClient, PutConfigurationRecorderCommand, PutDeliveryChannelCommand, StartConfigurationRecorderCommand, StopConfigurationRecorderCommand } from '@aws-sdk/client-config-service';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import * as vscode from 'vscode';
import { clearNotifications, hoverLinks, hoverText, notifications, probe, probesDir, runLink } from '../editorQueries';
import { startCloudTrailFront, type CloudTrailFront, type FrontRecord } from '../../fixtures/cloudTrailFront';
import { EnvOverride } from '../../fixtures/env';
import { startConfigFront } from '../../fixtures/configFront';
import { startMoto, type MotoServer } from '../../fixtures/moto';
import { simulateTrail, startCloudTrailStandIn, writeTrailToS3, type CloudTrailStandIn } from '../../fixtures/simulator';

interface TreeNodeLike {
  getTreeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
}
interface Api {
  trails: { getChildren(node?: TreeNodeLike): Promise<TreeNodeLike[]>; refresh(node?: TreeNodeLike): void };
  session: { setRegions(regions: string[]): Promise<void>; reset(): void; setProfile(p: string | undefined): Promise<void>; regions(): Promise<string[]>; profile: string | undefined };
  statusBar: { text: string; update(): Promise<void> };
}

const ACCOUNT = '111122223333';
const BUCKET = 'ct-explorer-logs';
const TRAIL = 'org-trail';
const SSO_URL = 'https://example.awsapps.com/start';

interface Shown {
  label: string;
  description?: string;
  item: vscode.TreeItem;
  node: TreeNodeLike;
}

async function children(api: Api, node?: TreeNodeLike): Promise<Shown[]> {
  const nodes = await api.trails.getChildren(node);
  return Promise.all(
    nodes.map(async (n) => {
      const item = await n.getTreeItem();
      return { label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''), description: typeof item.description === 'string' ? item.description : undefined, item, node: n };
    }),
  );
}

async function child(api: Api, node: TreeNodeLike | undefined, label: string): Promise<Shown> {
  const list = await children(api, node);
  const found = list.find((c) => c.label === label);
  assert.ok(found, `no "${label}" among ${list.map((c) => c.label).join(', ')}`);
  return found;
}

async function walk(api: Api, labels: string[]): Promise<Shown> {
  let at: Shown | undefined;
  for (const label of labels) at = await child(api, at?.node, label);
  return at as Shown;
}

describe('CloudTrail explorer (moto + CloudTrail front)', function () {
  this.timeout(180_000);
  let api: Api;
  let moto: MotoServer;
  let standIn: CloudTrailStandIn;
  let front: CloudTrailFront;
  let configFront: Awaited<ReturnType<typeof startConfigFront>>;
  const env = new EnvOverride();
  const trail = simulateTrail({ seed: 21, hours: 2, filesPerHour: 6, recordsPerFile: 10, accountId: ACCOUNT, bucket: BUCKET, trailName: TRAIL, start: '2026-11-01T00:00:00Z' });
  const objects = [...trail.objects()];
  const newestDigest = new Date(
    Math.max(
      ...objects
        .filter((o) => o.kind === 'digest')
        .map((o) => Date.parse((JSON.parse(gunzipSync(o.body).toString()) as { digestEndTime: string }).digestEndTime)),
    ),
  );
  const records = objects.filter((o) => o.kind === 'log').flatMap((o) => (JSON.parse(gunzipSync(o.body).toString()) as { Records: FrontRecord[] }).Records);


  before(async () => {
    api = (await vscode.extensions.getExtension<Api>('cloudtrail-lens.cloudtrail-lens')?.activate()) as Api;
    moto = await startMoto({ accountId: ACCOUNT });
    const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
    const s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: 'us-east-1', credentials });
    await writeTrailToS3(trail, s3);
    s3.destroy();
    const cloudtrail = new CloudTrailClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials });
    await cloudtrail.send(new CreateTrailCommand({ Name: TRAIL, S3BucketName: BUCKET, IsMultiRegionTrail: true, EnableLogFileValidation: true }));
    await cloudtrail.send(new StartLoggingCommand({ Name: TRAIL }));
    cloudtrail.destroy();
    standIn = await startCloudTrailStandIn({ upstream: moto.endpoint, keys: trail.keys });
    front = await startCloudTrailFront({ upstream: standIn.url, events: records, maxLookupsPerSecond: 2, statusExtra: { LatestDigestDeliveryTime: Math.floor(newestDigest.getTime() / 1000) + 60 } });
    configFront = await startConfigFront({ upstream: moto.endpoint });
    const dir = mkdtempSync(path.join(tmpdir(), 'aws-home-'));
    writeFileSync(
      path.join(dir, 'config'),
      [
        '[default]',
        'region = us-east-1',
        '[profile auditor]',
        'region = eu-west-1',
        '[profile expired-sso]',
        `sso_start_url = ${SSO_URL}`,
        'sso_region = us-east-1',
        `sso_account_id = ${ACCOUNT}`,
        'sso_role_name = Auditor',
        'region = us-east-1',
      ].join('\n'),
    );
    // An SSO login that has expired: the SDK reads the cached token under $HOME/.aws/sso/cache.
    mkdirSync(path.join(dir, '.aws', 'sso', 'cache'), { recursive: true });
    writeFileSync(path.join(dir, '.aws', 'sso', 'cache', `${createHash('sha1').update(SSO_URL).digest('hex')}.json`), JSON.stringify({ accessToken: 'expired', expiresAt: '2020-01-01T00:00:00Z', region: 'us-east-1', startUrl: SSO_URL }));
    writeFileSync(path.join(dir, 'credentials'), '[default]\naws_access_key_id = testing\naws_secret_access_key = testing\n');
    env.set({
      AWS_CONFIG_FILE: path.join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
      AWS_PROFILE: undefined,
      HOME: dir,
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_ENDPOINT_URL_S3: moto.endpoint,
      AWS_ENDPOINT_URL_STS: moto.endpoint,
      AWS_ENDPOINT_URL_CLOUDTRAIL: front.url,
      AWS_ENDPOINT_URL_CONFIG_SERVICE: configFront.url,
    });
    await api.session.setProfile(undefined);
    await api.session.setRegions(['us-east-1', 'eu-west-1']);
    await vscode.workspace.getConfiguration('cloudtrailLens').update('explorer.pageSize', 10, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    env.restore();
    await vscode.workspace.getConfiguration('cloudtrailLens').update('explorer.pageSize', undefined, vscode.ConfigurationTarget.Global);
    await api?.session.setRegions([]);
    api?.session.reset();
    await front?.close();
    await configFront?.close();
    await standIn?.close();
    await moto?.stop();
  });

  it('lists the profile, then the multi-region trail once with its home region and badges', async () => {
    const roots = await children(api);
    assert.equal(roots[0].label, 'AWS · default credentials');
    assert.equal(roots[0].description, 'us-east-1, eu-west-1');
    const trails = await children(api, roots[0].node);
    assert.deepEqual(trails.map((t) => [t.label, t.description]), [
      [TRAIL, 'us-east-1 · multi-region · logging'],
      ['Account', 'multi-region trail · AWS Config'],
    ]);
    assert.deepEqual((await children(api, trails[0].node)).map((c) => c.label), ['Status', 'Bucket', 'Digest status', 'Protection', 'Monitoring', 'Recent events']);
  });

  it('shows the trail status and the digest status', async () => {
    const status = await walk(api, ['AWS · default credentials', TRAIL, 'Status']);
    assert.match(status.description ?? '', /^logging · delivered \d+ s ago$|^logging · delivered \d+ min ago$/);
    const digest = await walk(api, ['AWS · default credentials', TRAIL, 'Digest status']);
    assert.equal(digest.description, 'not checked yet');
    const rows = await children(api, digest.node);
    assert.deepEqual(rows.map((r) => r.label), ['Log file validation', 'Latest digest', 'Last check']);
    assert.equal(rows[0].description, 'enabled');
    assert.match(rows[1].description ?? '', /^2026-11-01 02:0\d UTC · \d+ d ago \(more than 2 h: digests arrive hourly\)$/);
    assert.equal(rows[2].description, 'not checked yet');
  });

  it('browses the bucket lazily down to the log files, a page at a time with "Load more"', async () => {
    const bucket = await walk(api, ['AWS · default credentials', TRAIL, 'Bucket']);
    assert.equal(bucket.description, `s3://${BUCKET}`);
    const day = await walk(api, ['AWS · default credentials', TRAIL, 'Bucket', 'AWSLogs', ACCOUNT, 'CloudTrail', 'us-east-1', '2026', '11', '01']);
    const firstPage = await children(api, day.node);
    assert.equal(firstPage.length, 11);
    assert.equal(firstPage[10].label, 'Load more…');
    await vscode.commands.executeCommand(firstPage[10].item.command?.command ?? '', ...(firstPage[10].item.command?.arguments ?? []));
    const all = await children(api, day.node);
    const expected = objects.filter((o) => o.kind === 'log').map((o) => path.posix.basename(o.key)).sort();
    // Rows read `00:12 · us-east-1 · 7.3 KB`; the full name is the tooltip's first line.
    assert.deepEqual(all.map((c) => String(c.item.tooltip).split('\n')[0]), expected);
    assert.ok(all.every((c) => /^\d{2}:\d{2}$/.test(c.label) && /^us-east-1 · \d/.test(c.description ?? '')), all.map((c) => `${c.label} ${c.description}`).join(', '));
  });

  it('opens a log file from the tree as a formatted event document', async () => {
    const day = await walk(api, ['AWS · default credentials', TRAIL, 'Bucket', 'AWSLogs', ACCOUNT, 'CloudTrail', 'us-east-1', '2026', '11', '01']);
    const [file] = await children(api, day.node);
    const command = file.item.command;
    assert.ok(command);
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.languageId, 'cloudtrail');
    const source = objects.find((o) => path.posix.basename(o.key) === String(file.item.tooltip).split('\n')[0]);
    const expected = (JSON.parse(gunzipSync(source?.body ?? Buffer.alloc(0)).toString()) as { Records: unknown[] }).Records.length;
    assert.equal((JSON.parse(editor?.document.getText() ?? '{}') as { Records: unknown[] }).Records.length, expected);
  });

  it('lists the recent events of the home region and opens them as a document', async () => {
    const recent = await walk(api, ['AWS · default credentials', TRAIL, 'Recent events']);
    const events = await children(api, recent.node);
    const newest = [...records].sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime))[0];
    assert.equal(events.length, Math.min(50, records.length));
    assert.equal(events[0].label, newest.eventName);
    await vscode.commands.executeCommand('cloudtrailLens.openRecentEvents', recent.node);
    assert.equal((JSON.parse(vscode.window.activeTextEditor?.document.getText() ?? '{}') as { Records: unknown[] }).Records.length, events.length);
  });

  it('searches events page by page within 2 requests per second and opens the result', async () => {
    front.lookupCalls.length = 0;
    const name = records[0].eventName ?? '';
    const matching = records.filter((r) => r.eventName === name).length;
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('cloudtrailLens.searchEvents', { region: 'us-east-1', maxEvents: 1000 });
    assert.equal((JSON.parse(editor.document.getText()) as { Records: unknown[] }).Records.length, records.length);
    assert.equal(front.lookupCalls.filter((c) => c.throttled).length, 0);
    const gaps = front.lookupCalls.slice(1).map((c, i) => c.at - front.lookupCalls[i].at);
    assert.ok(gaps.every((g) => g >= 450), `requests ${JSON.stringify(gaps)} ms apart`);
    const filtered = await vscode.commands.executeCommand<vscode.TextEditor>('cloudtrailLens.searchEvents', { region: 'us-east-1', attribute: { key: 'EventName', value: name }, maxEvents: 1000 });
    assert.equal((JSON.parse(filtered.document.getText()) as { Records: unknown[] }).Records.length, matching);
  });

  it('watches the trail: polls LookupEvents in its home region, shows a new StopLogging in Findings, and the row opens it', async () => {
    const watcher = (api as unknown as { watcher: { onDidPoll: vscode.Event<{ newEvents: number; findings: number }>; lastPoll?: { newEvents: number }; watching?: string } }).watcher;
    const findings = (api as unknown as { findings: { rows(): { finding: { title: string; eventIds: string[] }; source: { kind: string }; open(): Thenable<unknown> }[] } }).findings;
    const trailNode = await walk(api, ['AWS · default credentials', TRAIL]);
    front.lookupCalls.length = 0;
    const firstPoll = new Promise<{ newEvents: number }>((resolve) => {
      const d = watcher.onDidPoll((p) => {
        d.dispose();
        resolve(p);
      });
    });
    assert.equal(await vscode.commands.executeCommand('cloudtrailLens.watchTrail', trailNode.node), true);
    assert.equal(watcher.watching, `Watch ${TRAIL} (us-east-1)`);
    assert.equal((await firstPoll).newEvents, 0, 'the simulated events are older than the first poll looks back');
    assert.ok(front.lookupCalls.length >= 1 && front.lookupCalls.every((c) => c.region === 'us-east-1'));
    // A StopLogging arrives; the next poll (asked for now, instead of waiting a minute) finds it.
    const stop: FrontRecord = {
      eventVersion: '1.09',
      eventTime: new Date(Date.now() - 120_000).toISOString().replace(/\.\d+Z$/, 'Z'),
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'StopLogging',
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.9',
      userAgent: 'aws-cli/2.15.0',
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/mallory`, userName: 'mallory', accessKeyId: 'AKIAEXAMPLEMALLORY01' } as FrontRecord['userIdentity'],
      requestParameters: { name: TRAIL },
      responseElements: null,
      eventID: '7e4b1c1e-0000-4000-8000-000000000001',
      readOnly: false,
      eventType: 'AwsApiCall',
      recipientAccountId: ACCOUNT,
    };
    front.options.events = [...(front.options.events ?? []), stop];
    const polled = await (watcher as unknown as { pollNow(): Promise<{ newEvents: number; findings: number }> }).pollNow();
    assert.deepEqual([polled.newEvents, polled.findings], [1, 1]);
    const row = findings.rows().find((r) => r.source.kind === 'watch');
    assert.equal(row?.finding.title, 'CloudTrail Logging Stopped');
    assert.deepEqual(row?.finding.eventIds, [stop.eventID]);
    await row?.open();
    const opened = vscode.window.activeTextEditor;
    assert.equal(opened?.document.languageId, 'cloudtrail');
    assert.deepEqual((JSON.parse(opened?.document.getText() ?? '{}') as { Records: { eventID: string }[] }).Records.map((r) => r.eventID), [stop.eventID]);
    await vscode.commands.executeCommand('cloudtrailLens.stopWatching');
    assert.equal(watcher.watching, undefined);
    const calls = front.lookupCalls.length;
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(front.lookupCalls.length, calls, 'no LookupEvents after Stop Watching');
    front.options.events = front.options.events.filter((r) => r !== stop);
  });

  it('names the missing permission of a denied region and still lists the others', async () => {
    front.options.deny = ['DescribeTrails@eu-west-1'];
    try {
      api.trails.refresh();
      const profile = await child(api, undefined, 'AWS · default credentials');
      const list = await children(api, profile.node);
      assert.equal(list[0].label, TRAIL);
      assert.match(list[1].label, /^eu-west-1: DescribeTrails on eu-west-1 was denied: the identity needs cloudtrail:DescribeTrails/);
    } finally {
      front.options.deny = [];
    }
  });

  it('turns a failed listing into "click to retry", and the retry lists again', async () => {
    front.options.deny = ['DescribeTrails'];
    api.trails.refresh();
    const profile = await child(api, undefined, 'AWS · default credentials');
    const failed = await children(api, profile.node);
    assert.equal(failed.length, 1);
    assert.match(failed[0].label, /DescribeTrails on .* was denied: the identity needs cloudtrail:DescribeTrails/);
    assert.equal(failed[0].description, 'click to retry');
    front.options.deny = [];
    const retry = failed[0].item.command;
    assert.ok(retry);
    await vscode.commands.executeCommand(retry.command, ...(retry.arguments ?? []));
    assert.deepEqual((await children(api, profile.node)).map((c) => c.label), [TRAIL, 'Account']);
  });

  const range = { start: '2026-11-01T00:00:00Z', end: '2026-11-01T02:05:00Z' };
  const arn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${TRAIL}`;

  it('validates the trail in S3 (public keys from ListPublicKeys) and shows the verdict under Digest status', async () => {
    const result = (await vscode.commands.executeCommand('cloudtrailLens.validateTrail', { trailArn: arn, ...range })) as { summary: { outcome: string; logs: { valid: number } } };
    assert.equal(result.summary.outcome, 'valid');
    assert.equal(result.summary.logs.valid, objects.filter((o) => o.kind === 'log').length);
    api.trails.refresh();
    const digest = await walk(api, ['AWS · default credentials', TRAIL, 'Digest status']);
    assert.equal(digest.description, 'last check: valid');
  });

  it('puts a tampered S3 log file in the Problems panel on that object', async () => {
    const victim = objects.filter((o) => o.kind === 'log')[2];
    const body = JSON.parse(gunzipSync(victim.body).toString()) as { Records: { eventName?: string }[] };
    body.Records[0].eventName = 'GetCallerIdentity';
    const s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const { gzipSync } = await import('node:zlib');
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: victim.key, Body: gzipSync(JSON.stringify(body)) }));
    try {
      const result = (await vscode.commands.executeCommand('cloudtrailLens.validateTrail', { trailArn: arn, ...range })) as { summary: { outcome: string } };
      assert.equal(result.summary.outcome, 'invalid');
      // On the object as an event document: the entry opens its events, not its gzip bytes.
      const onObject = vscode.languages.getDiagnostics().filter(([uri]) => uri.scheme === 'cloudtrail-lens' && uri.query.includes(`"key":"${victim.key}"`));
      assert.equal(onObject.length, 1);
      assert.deepEqual(onObject[0][1].map((d) => d.code), ['log-hash-mismatch']);
      assert.match(onObject[0][1][0].message, /^changed after delivery: this log file /);
      const digest = await walk(api, ['AWS · default credentials', TRAIL, 'Digest status']);
      assert.equal(digest.description, 'last check: invalid · 1 error');
    } finally {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: victim.key, Body: victim.body }));
      s3.destroy();
    }
  });

  it('a hover on a bucket ARN opens AWS Config\'s configuration before and after the event, side by side', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'config-history-'));
    const eventTime = new Date(Date.now() + 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const arnValue = `arn:aws:s3:::${BUCKET}`;
    const record = { eventVersion: '1.10', eventTime, eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy', awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.7', userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, userName: 'alice' }, eventID: 'cfg-1', resources: [{ ARN: arnValue, accountId: ACCOUNT, type: 'AWS::S3::Bucket' }] };
    writeFileSync(path.join(dir, 'put-policy.json'), JSON.stringify({ Records: [record] }));
    const opened = await vscode.commands.executeCommand<vscode.TextEditor>('cloudtrailLens.openAsEvents', vscode.Uri.file(path.join(dir, 'put-policy.json')));
    const text = opened.document.getText();
    const links = hoverLinks(await hoverText(opened.document.uri, opened.document.positionAt(text.indexOf(`"${arnValue}"`) + 3)));
    assert.deepEqual(links.map((l) => l.label), ['Copy ARN', 'Configuration history']);
    const around = await runLink<{ before?: { resourceName?: string }; after?: unknown }>(links[1]);
    assert.equal(around?.before?.resourceName, BUCKET);
    assert.equal(around?.after, undefined);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, `the active tab is ${tab?.label}`);
    assert.equal(tab.label, `${BUCKET} (AWS::S3::Bucket): before ↔ after ${eventTime}`);
    const before = JSON.parse((await vscode.workspace.openTextDocument(tab.input.original)).getText()) as { resourceName: string; configuration: { name: string } };
    assert.equal(before.configuration.name, BUCKET);
    assert.match((await vscode.workspace.openTextDocument(tab.input.modified)).getText(), /recorded no configuration of this resource after .*: nothing changed since/);
  });

  it('checks the account: a multi-region trail recording all management events, and AWS Config recording in every selected region', async () => {
    const common = { endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    const cloudtrail = new CloudTrailClient(common);
    const config = new ConfigServiceClient(common);
    try {
      api.trails.refresh();
      const before = await children(api, (await walk(api, ['AWS · default credentials', 'Account'])).node);
      assert.deepEqual(before.map((r) => [r.label, (r.item.iconPath as vscode.ThemeIcon).id]), [
        ['A multi-region trail records every region', 'error'],
        ['AWS Config records in every region', 'error'],
      ]);
      assert.match(before[0].description ?? '', new RegExp(`^No multi-region trail both logs and records all management events: ${TRAIL}: `));
      assert.equal(before[1].description, 'Not recording in us-east-1, eu-west-1: no configuration history there, so what a call changed cannot be seen afterwards.');
      await cloudtrail.send(new PutEventSelectorsCommand({ TrailName: TRAIL, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] }));
      await config.send(new PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'default', roleARN: `arn:aws:iam::${ACCOUNT}:role/config`, recordingGroup: { allSupported: true } } }));
      await config.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: BUCKET } }));
      await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
      api.trails.refresh();
      const after = await children(api, (await walk(api, ['AWS · default credentials', 'Account'])).node);
      assert.deepEqual(after.map((r) => [r.label, r.description]), [
        ['A multi-region trail records every region', `${TRAIL} is multi-region, logging, and records read and write management events.`],
        ['AWS Config records in every region', 'Not recording in eu-west-1: no configuration history there, so what a call changed cannot be seen afterwards.'],
      ]);
    } finally {
      await config.send(new StopConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' })).catch(() => undefined);
      cloudtrail.destroy();
      config.destroy();
      api.trails.refresh();
    }
  });

  it('shows under Monitoring whether tampering would alert anyone: the log group, each CIS control, metric filters and EventBridge rules', async () => {
    const common = { endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    const logs = new CloudWatchLogsClient(common);
    const cloudwatch = new CloudWatchClient(common);
    const sns = new SNSClient(common);
    const events = new EventBridgeClient(common);
    const cloudtrail = new CloudTrailClient(common);
    try {
      await logs.send(new CreateLogGroupCommand({ logGroupName: 'CloudTrail/org-trail' }));
      await logs.send(new PutMetricFilterCommand({ logGroupName: 'CloudTrail/org-trail', filterName: 'trail-tampering', filterPattern: '{ ($.eventName = StopLogging) || ($.eventName = DeleteTrail) || ($.eventName = UpdateTrail) || ($.eventName = CreateTrail) || ($.eventName = StartLogging) }', metricTransformations: [{ metricName: 'TrailTampering', metricNamespace: 'Security', metricValue: '1' }] }));
      const topic = (await sns.send(new CreateTopicCommand({ Name: 'trail-alerts' }))).TopicArn!;
      await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'email', Endpoint: 'security@example.com' }));
      await cloudwatch.send(new PutMetricAlarmCommand({ AlarmName: 'trail-tampering', MetricName: 'TrailTampering', Namespace: 'Security', Statistic: 'Sum', Period: 300, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, AlarmActions: [topic] }));
      await events.send(new PutRuleCommand({ Name: 'root-activity', EventPattern: JSON.stringify({ detail: { userIdentity: { type: ['Root'] } } }) }));
      await events.send(new PutTargetsCommand({ Rule: 'root-activity', Targets: [{ Id: '1', Arn: topic }] }));
      await cloudtrail.send(new UpdateTrailCommand({ Name: TRAIL, CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:CloudTrail/org-trail:*`, CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs` }));
      // LookupEvents (the front) knows of a StopLogging of this trail an hour ago, and of a policy change on another bucket.
      const hourAgo = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const tamper = { eventVersion: '1.10', eventID: 'tamper-1', eventTime: hourAgo, eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', awsRegion: 'us-east-1', sourceIPAddress: '203.0.113.9', userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/mallory`, userName: 'mallory' }, requestParameters: { name: TRAIL } };
      const elsewhere = { ...tamper, eventID: 'tamper-2', eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy', requestParameters: { bucketName: 'not-the-log-bucket' } };
      front.options.events = [...(front.options.events ?? []), tamper, elsewhere];
      api.trails.refresh();
      if (probesDir) {
        // What the user sees: expanded in the view itself, where the check runs on the first expansion
        // and the row then shows its counts, the controls' group lists its controls (redrawing the
        // Monitoring row alone once made VS Code forget them: an empty group).
        await vscode.commands.executeCommand('workbench.view.extension.cloudtrailLens');
        const rows = await probe<{ level: number; label: string; description: string }[]>('expand-tree', { labels: ['AWS · default credentials', TRAIL, 'Monitoring', 'CIS monitoring controls'] });
        const group = rows.findIndex((r) => r.label === 'CIS monitoring controls');
        assert.ok(group >= 0, `no CIS monitoring controls row among ${rows.map((r) => r.label).join(', ')}`);
        assert.deepEqual([rows[group + 1]?.level, rows[group + 1]?.label], [rows[group].level + 1, '4.1 Unauthorized API calls'], JSON.stringify(rows.slice(group, group + 3)));
      }
      const monitoring = await walk(api, ['AWS · default credentials', TRAIL, 'Monitoring']);
      if (probesDir) assert.match(monitoring.description ?? '', /^2 of 15 CIS alerts · /);
      else assert.equal(monitoring.description, 'expand to check');
      const groups = await children(api, monitoring.node);
      assert.deepEqual(groups.map((g) => [g.label, g.description]), [
        ['Log group', 'CloudTrail/org-trail'],
        ['CIS monitoring controls', '2 of 15 alert someone'],
        ['Recent tampering (7 days)', '1 event'],
        ['Metric filters', '1'],
        ['EventBridge rules on CloudTrail events', '1'],
      ]);
      const controls = await children(api, groups[1].node);
      const byCis = new Map(controls.map((c) => [c.label.split(' ')[0], c]));
      assert.equal(byCis.get('4.5')?.label, '4.5 CloudTrail configuration changes');
      assert.equal(byCis.get('4.5')?.description, 'metric filter → alarm → SNS');
      assert.equal(byCis.get('4.3')?.description, 'EventBridge rule');
      assert.equal((byCis.get('4.7')?.item.iconPath as vscode.ThemeIcon).id, 'error');
      assert.match(byCis.get('4.7')?.description ?? '', /^No alert: no metric filter of the log group catches these events/);
      const tampering = await children(api, groups[2].node);
      assert.deepEqual(tampering.map((t) => [t.label, t.description]), [['StopLogging', `${hourAgo} · mallory · stops the trail`]]);
      const opened = await vscode.commands.executeCommand<void>(tampering[0].item.command!.command, ...(tampering[0].item.command!.arguments ?? []));
      assert.equal(opened, undefined);
      assert.deepEqual((JSON.parse(vscode.window.activeTextEditor?.document.getText() ?? '{}') as { Records: { eventID: string }[] }).Records.map((r) => r.eventID), ['tamper-1']);
      const filters = await children(api, groups[3].node);
      assert.deepEqual(filters.map((f) => [f.label, f.description]), [['trail-tampering', 'trail-tampering (OK) · CIS cloudtrail-changes']]);
      const rules = await children(api, groups[4].node);
      assert.deepEqual(rules.map((r) => [r.label, r.description]), [['root-activity', 'ENABLED · 1 target · covers root-usage']]);
      // The node now counts, and "Check Trail Monitoring…" opens the report with the commands that would fix the rest.
      const again = await walk(api, ['AWS · default credentials', TRAIL, 'Monitoring']);
      assert.match(again.description ?? '', /^2 of 15 CIS alerts · /);
      const report = (await vscode.commands.executeCommand('cloudtrailLens.checkMonitoring', { trailArn: arn })) as { controls: { result: string }[] };
      assert.equal(report.controls.filter((c) => c.result === 'pass').length, 2);
      const text = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'cloudtrail-lens-report' && d.uri.path.includes('monitoring'))?.getText() ?? '';
      assert.match(text, /\| 4\.5 \| CloudTrail configuration changes \| CloudWatch\.5 \| PASS \| metric filter \+ alarm \|/);
      assert.match(text, /aws logs put-metric-filter --log-group-name CloudTrail\/org-trail --filter-name kms-key-disable-or-deletion/);
      assert.match(text, /### Recent tampering \(last 7 days, LookupEvents\)\n\n\| time \| event \|/);
      assert.match(text, /\n\| [^|\n]+ \| StopLogging \| `arn:aws:iam::111122223333:user\/mallory` \| 203\\\.0\.113\.9 \| stops the trail \|\n/);
    } finally {
      await cloudtrail.send(new UpdateTrailCommand({ Name: TRAIL, CloudWatchLogsLogGroupArn: '', CloudWatchLogsRoleArn: '' })).catch(() => undefined);
      front.options.events = (front.options.events ?? []).filter((e) => !String(e.eventID).startsWith('tamper-'));
      for (const c of [logs, cloudwatch, sns, events, cloudtrail]) c.destroy();
      api.trails.refresh();
    }
  });

  it('downloads the trail for offline validation, and the folder validates offline with signatures checked', async () => {
    const destination = path.join(mkdtempSync(path.join(tmpdir(), 'offline-')), 'download');
    const downloaded = (await vscode.commands.executeCommand('cloudtrailLens.downloadTrail', { trailArn: arn }, vscode.Uri.file(destination), { trailArn: arn, ...range })) as { digests: number; logs: number; publicKeys: number };
    assert.equal(downloaded.logs, objects.filter((o) => o.kind === 'log').length);
    assert.ok(downloaded.digests >= 2 && downloaded.publicKeys >= 1);
    const result = (await vscode.commands.executeCommand('cloudtrailLens.validateLocalFolder', vscode.Uri.file(destination), { folder: destination, all: true })) as { summary: { outcome: string }; limitations: string[] };
    assert.equal(result.summary.outcome, 'valid', JSON.stringify(result.limitations));
  });

  it('shows the profile, account and regions in the status bar', async () => {
    await api.statusBar.update();
    assert.equal(api.statusBar.text, `$(cloud) default · ${ACCOUNT} · us-east-1 +1`);
  });

  it('selects a profile from the shared config files, and takes the regions from AWS_REGION until some are chosen', async () => {
    const picking = vscode.commands.executeCommand('cloudtrailLens.selectProfile');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Items: the default chain, then default, auditor, expired-sso.
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await picking;
    assert.equal(api.session.profile, 'auditor');
    const regions = await api.session.regions();
    await api.session.setRegions([]);
    env.set({ AWS_REGION: 'ap-south-1' });
    try {
      assert.deepEqual(await api.session.regions(), ['ap-south-1']);
    } finally {
      env.set({ AWS_REGION: undefined });
      await api.session.setRegions(regions);
      await api.session.setProfile(undefined);
    }
  });

  it('says to run "aws sso login --profile …" when the SSO session has expired', async () => {
    await api.session.setProfile('expired-sso');
    try {
      api.trails.refresh();
      const profile = await child(api, undefined, 'AWS · expired-sso');
      const list = await children(api, profile.node);
      assert.equal(list.length, 1);
      assert.match(list[0].label, /^The AWS session has expired \(DescribeTrails on the selected regions\)\. Run "aws sso login --profile expired-sso"/);
      assert.equal(list[0].description, 'click to retry');
    } finally {
      await api.session.setProfile(undefined);
    }
  });

  it('shows local trails with the same Bucket and Digest status nodes', async () => {
    const local = await child(api, undefined, 'workspace/trail-logs');
    assert.deepEqual((await children(api, local.node)).map((c) => c.label), ['Bucket', 'Digest status']);
    const digest = await child(api, local.node, 'Digest status');
    const rows = await children(api, digest.node);
    assert.deepEqual(rows.map((r) => [r.label, r.description]), [
      ['Newest digest file', '2026-11-01 03:01 UTC'],
      ['Signatures', 'metadata saved beside the logs'],
      ['Public keys', 'public-keys.json'],
      ['Last check', 'not checked yet'],
    ]);
  });

  it('shows nothing (so the welcome view explains) when there is no profile and no local trail', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aws-empty-'));
    writeFileSync(path.join(dir, 'empty'), '');
    const before = { config: process.env.AWS_CONFIG_FILE, credentials: process.env.AWS_SHARED_CREDENTIALS_FILE };
    process.env.AWS_CONFIG_FILE = path.join(dir, 'empty');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'empty');
    await vscode.workspace.getConfiguration('cloudtrailLens').update('localTrails.enabled', false, vscode.ConfigurationTarget.Global);
    try {
      api.trails.refresh();
      assert.deepEqual(await children(api), []);
      // Search Events says what is missing before asking anything, and calls nothing.
      front.lookupCalls.length = 0;
      const searched = await vscode.commands.executeCommand('cloudtrailLens.searchEvents', { region: 'us-east-1', maxEvents: 10 });
      assert.equal(searched, undefined);
      assert.equal(front.lookupCalls.length, 0);
      if (probesDir) {
        // Select Profile says there is none, and how to add one (reading notifications needs the harness's page).
        await clearNotifications();
        void vscode.commands.executeCommand('cloudtrailLens.selectProfile');
        const shown = (await notifications()).filter((n) => n.message.startsWith('No AWS profile'));
        assert.equal(shown.length, 1, JSON.stringify(shown));
        assert.match(shown[0].message, /"aws configure" \(access keys\) or "aws configure sso"/);
        assert.deepEqual(shown[0].buttons, ['Use Default Credential Chain']);
        await clearNotifications();
      }
    } finally {
      process.env.AWS_CONFIG_FILE = before.config;
      process.env.AWS_SHARED_CREDENTIALS_FILE = before.credentials;
      await vscode.workspace.getConfiguration('cloudtrailLens').update('localTrails.enabled', undefined, vscode.ConfigurationTarget.Global);
      api.trails.refresh();
    }
  });
});
