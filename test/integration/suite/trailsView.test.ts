import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WORKSPACE_TRAIL } from '../prepareWorkspace';

interface TreeNodeLike {
  getTreeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
}
interface Api {
  trails: { getChildren(node?: TreeNodeLike): Promise<TreeNodeLike[]> };
}

interface Result {
  summary: { outcome: string; digests: { valid: number; invalid: number }; logs: { valid: number; invalid: number } };
}

async function childNamed(api: Api, node: TreeNodeLike | undefined, label: string | RegExp): Promise<{ node: TreeNodeLike; item: vscode.TreeItem }> {
  const children = await Promise.all((await api.trails.getChildren(node)).map(async (n) => ({ node: n, item: await n.getTreeItem() })));
  const found = children.find((c) => (typeof label === 'string' ? String(c.item.label) === label : label.test(String(c.item.label))));
  assert.ok(found, `no ${String(label)} among ${children.map((c) => String(c.item.label)).join(', ')}`);
  return found;
}

/** The commands a tree row's context menu offers, read from the manifest as VS Code reads it. */
function contextMenu(contextValue: string): string[] {
  const menus = (vscode.extensions.getExtension('cloudtrail-lens.cloudtrail-lens')!.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string }[]> } }).contributes.menus['view/item/context'];
  return menus
    .filter((m) => {
      const when = m.when ?? '';
      const eq = /viewItem == (\w+)/.exec(when);
      const re = /viewItem =~ \/(.+?)\//.exec(when);
      return when.includes('view == cloudtrailLens.trails') && (eq ? eq[1] === contextValue : re ? new RegExp(re[1]).test(contextValue) : false);
    })
    .map((m) => m.command);
}

describe('Trails view', () => {
  it('lists the workspace folder holding an AWSLogs/ layout as a local trail, with its account and regions', async () => {
    const api = (await vscode.extensions.getExtension<Api>('cloudtrail-lens.cloudtrail-lens')?.activate()) as Api;
    const items = await Promise.all((await api.trails.getChildren()).map((n) => n.getTreeItem()));
    // The AWS profile node appears too when this machine has AWS credentials; local trails are what this test is about.
    const local = items.filter((i) => i.contextValue === 'localTrail').map((i) => ({ label: i.label, description: i.description }));
    assert.deepEqual(local, [{ label: 'workspace/trail-logs', description: 'local · 111122223333 · 2 regions' }]);
  });

  it('names log rows by time, region and size; region and day folders open as events and validate; a digest row validates its digest', async function () {
    this.timeout(120_000);
    const api = (await vscode.extensions.getExtension<Api>('cloudtrail-lens.cloudtrail-lens')?.activate()) as Api;
    const local = await childNamed(api, undefined, 'workspace/trail-logs');
    assert.ok(contextMenu('localTrail').includes('cloudtrailLens.openTrailEvents'));
    const bucket = await childNamed(api, local.node, 'Bucket');
    const account = await childNamed(api, (await childNamed(api, bucket.node, 'AWSLogs')).node, '111122223333');
    const cloudTrail = await childNamed(api, account.node, 'CloudTrail');
    assert.equal(cloudTrail.item.contextValue, 'bucketFolder');
    const region = await childNamed(api, cloudTrail.node, 'us-east-1');
    assert.equal(region.item.contextValue, 'logFolder');
    assert.deepEqual(contextMenu('logFolder').sort(), ['cloudtrailLens.openAsEvents', 'cloudtrailLens.validateTrail']);
    const year = await childNamed(api, region.node, /^\d{4}$/);
    const month = await childNamed(api, year.node, /^\d{2}$/);
    const day = await childNamed(api, month.node, /^\d{2}$/);
    assert.equal(day.item.contextValue, 'logFolder');
    const rows = await Promise.all((await api.trails.getChildren(day.node)).map((n) => n.getTreeItem()));
    assert.ok(rows.length > 0);
    for (const row of rows) {
      assert.match(String(row.label), /^\d{2}:\d{2}$/);
      assert.match(String(row.description), /^us-east-1 · \d+(\.\d)? (B|KB)$/);
      assert.match(String(row.tooltip), /^111122223333_CloudTrail_us-east-1_\d{8}T\d{4}Z_\w+\.json\.gz\n/);
    }
    // The day folder as one document: every event of its log files.
    const opened = await vscode.commands.executeCommand<vscode.TextEditor>('cloudtrailLens.openAsEvents', day.node);
    assert.ok(opened, 'the day folder opened nothing');
    const { filesPerHour, recordsPerFile } = WORKSPACE_TRAIL;
    assert.equal((JSON.parse(opened.document.getText()) as { Records: unknown[] }).Records.length, rows.length * recordsPerFile);
    assert.ok(rows.length % filesPerHour === 0);
    assert.match(path.basename(opened.document.uri.path), /^us-east-1 · \d{4}-\d{2}-\d{2}\.cloudtrail$/);
    // Validate on the day folder: that region and day only.
    const dayResult = (await vscode.commands.executeCommand('cloudtrailLens.validateTrail', day.node)) as Result;
    assert.equal(dayResult.summary.outcome, 'valid');
    assert.deepEqual([dayResult.summary.logs.valid, dayResult.summary.logs.invalid], [rows.length, 0]);
    // A digest row validates that digest: the hour of log files it lists.
    const digestDay = await childNamed(
      api,
      (await childNamed(api, (await childNamed(api, (await childNamed(api, (await childNamed(api, account.node, 'CloudTrail-Digest')).node, 'eu-west-1')).node, year.item.label as string)).node, month.item.label as string)).node,
      day.item.label as string,
    );
    const digests = await api.trails.getChildren(digestDay.node);
    const digestRow = await digests[0].getTreeItem();
    assert.equal(digestRow.contextValue, 'digestFile');
    assert.match(String(digestRow.description), /^digest · eu-west-1 · /);
    assert.ok(contextMenu('digestFile').includes('cloudtrailLens.validateLogFile'));
    const digestResult = (await vscode.commands.executeCommand('cloudtrailLens.validateLogFile', digests[0])) as Result;
    assert.equal(digestResult.summary.outcome, 'valid');
    assert.deepEqual([digestResult.summary.digests.valid, digestResult.summary.logs.valid], [1, filesPerHour]);
  });

  it('"Open Events…" on a trail opens a range of regions without walking the folders', async () => {
    const api = (await vscode.extensions.getExtension<Api>('cloudtrail-lens.cloudtrail-lens')?.activate()) as Api;
    const local = await childNamed(api, undefined, 'workspace/trail-logs');
    const day = await vscode.commands.executeCommand<vscode.TextEditor>('cloudtrailLens.openTrailEvents', local.node, { regions: ['eu-west-1'], start: '2000-01-01T00:00:00Z', end: '2100-01-01T00:00:00Z' });
    assert.ok(day, 'Open Events… opened nothing');
    const records = (JSON.parse(day.document.getText()) as { Records: { awsRegion: string; eventTime: string }[] }).Records;
    const { hours, filesPerHour, recordsPerFile } = WORKSPACE_TRAIL;
    assert.equal(records.length, hours * filesPerHour * recordsPerFile);
    assert.ok(records.every((r) => r.awsRegion === 'eu-west-1'));
    const first = records[0].eventTime;
    const hour = await vscode.commands.executeCommand<vscode.TextEditor>('cloudtrailLens.openTrailEvents', local.node, { regions: ['eu-west-1', 'us-east-1'], start: first, end: new Date(Date.parse(first) + 3_600_000).toISOString() });
    const inHour = (JSON.parse(hour.document.getText()) as { Records: { eventTime: string }[] }).Records;
    assert.ok(inHour.length > 0 && inHour.length < 2 * records.length, `${inHour.length} events in the first hour`);
    assert.ok(inHour.every((r) => Date.parse(r.eventTime) >= Date.parse(first) && Date.parse(r.eventTime) <= Date.parse(first) + 3_600_000));
  });

  it('shows object keys and folder names from the bucket with control and bidi characters escaped', async () => {
    const api = (await vscode.extensions.getExtension<Api>('cloudtrail-lens.cloudtrail-lens')?.activate()) as Api;
    const root = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'trail-logs');
    const folderName = 'evil\x1b[2J\u202eredlof';
    const fileName = '\x1b[2J\x1b[H24\u221524 digest files valid\u009b\x07\u202egpj.json.gz';
    mkdirSync(path.join(root, folderName));
    writeFileSync(path.join(root, folderName, 'x.json'), '{}');
    writeFileSync(path.join(root, fileName), 'not a log');
    try {
      const rootItems = await Promise.all((await api.trails.getChildren()).map(async (n) => ({ n, item: await n.getTreeItem() })));
      const local = rootItems.find((x) => x.item.contextValue === 'localTrail')!;
      const bucket = (await Promise.all((await api.trails.getChildren(local.n)).map(async (n) => ({ n, item: await n.getTreeItem() })))).find((x) => x.item.label === 'Bucket')!;
      const shown = await Promise.all((await api.trails.getChildren(bucket.n)).map((n) => n.getTreeItem()));
      const labels = shown.map((i) => String(i.label));
      assert.ok(labels.includes('evil\\x1b[2J\\u{202e}redlof'), labels.join(', '));
      assert.ok(labels.includes('\\x1b[2J\\x1b[H24\u221524 digest files valid\\x9b\\x07\\u{202e}gpj.json.gz'), labels.join(', '));
      const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u; // eslint-disable-line no-control-regex -- the point
      for (const i of shown) {
        assert.doesNotMatch(String(i.label), raw);
        assert.doesNotMatch(String(i.tooltip ?? ''), raw);
      }
      const file = shown.find((i) => String(i.label).endsWith('gpj.json.gz'))!;
      assert.match(String(file.tooltip), /· \\x1b\[2J\\x1b\[H24\u221524 digest files valid\\x9b\\x07\\u\{202e\}gpj\.json\.gz\nLast modified /);
      // The command still opens the exact file.
      assert.equal((file.command?.arguments?.[0] as vscode.Uri).fsPath, path.join(root, fileName));
    } finally {
      rmSync(path.join(root, folderName), { recursive: true, force: true });
      rmSync(path.join(root, fileName), { force: true });
    }
  });
});
