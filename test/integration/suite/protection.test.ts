// The Protection node and "Check Trail Protection…" against moto accounts set up well and badly
// (test/fixtures/protectionAccounts.ts), through fronts that add what moto lacks (MFA delete, trail
// digest times) and deny chosen calls.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startAwsFront, type AwsFront } from '../../fixtures/awsFront';
import { startCloudTrailFront, type CloudTrailFront } from '../../fixtures/cloudTrailFront';
import { EnvOverride } from '../../fixtures/env';
import { startMoto, type MotoServer } from '../../fixtures/moto';
import { ACCOUNT, BAD, GOOD, setUpAccounts } from '../../fixtures/protectionAccounts';

interface TreeNodeLike {
  getTreeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
}
interface Api {
  trails: { getChildren(node?: TreeNodeLike): Promise<TreeNodeLike[]>; refresh(node?: TreeNodeLike): void };
  session: { setRegions(regions: string[]): Promise<void>; reset(): void; setProfile(p: string | undefined): Promise<void> };
}

async function shown(api: Api, node?: TreeNodeLike): Promise<{ label: string; description?: string; context?: string; node: TreeNodeLike }[]> {
  const nodes = await api.trails.getChildren(node);
  return Promise.all(
    nodes.map(async (n) => {
      const item = await n.getTreeItem();
      return { label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''), description: typeof item.description === 'string' ? item.description : undefined, context: item.contextValue, node: n };
    }),
  );
}

async function protectionOf(api: Api, trail: string): Promise<{ label: string; description?: string; result: string }[]> {
  const [aws] = await shown(api);
  const trailNode = (await shown(api, aws.node)).find((t) => t.label === trail);
  assert.ok(trailNode, `no trail ${trail}`);
  const protection = (await shown(api, trailNode.node)).find((c) => c.label === 'Protection');
  assert.ok(protection);
  return (await shown(api, protection.node)).map((c) => ({ label: c.label, description: c.description, result: (c.context ?? '').replace('protectionCheck.', '') }));
}

describe('Trail protection in the tree and as a command (moto)', function () {
  this.timeout(180_000);
  let api: Api;
  let moto: MotoServer;
  let s3Front: AwsFront;
  let ctFront: CloudTrailFront;
  const env = new EnvOverride();


  before(async () => {
    api = (await vscode.extensions.getExtension<Api>('cloudtrail-lens.cloudtrail-lens')?.activate()) as Api;
    moto = await startMoto({ accountId: ACCOUNT });
    await setUpAccounts(moto.endpoint);
    s3Front = await startAwsFront({ upstream: moto.endpoint, mfaDeleteBuckets: [GOOD.bucket] });
    ctFront = await startCloudTrailFront({ upstream: moto.endpoint, statusExtra: { LatestDigestDeliveryTime: Math.floor(Date.now() / 1000) - 20 * 60 } });
    const dir = mkdtempSync(path.join(tmpdir(), 'aws-protection-'));
    writeFileSync(path.join(dir, 'empty'), '');
    env.set({
      AWS_CONFIG_FILE: path.join(dir, 'empty'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'empty'),
      AWS_PROFILE: undefined,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_ENDPOINT_URL_S3: s3Front.url,
      AWS_ENDPOINT_URL_CLOUDTRAIL: ctFront.url,
    });
    await api.session.setProfile(undefined);
    await api.session.setRegions(['us-east-1']);
    await vscode.workspace.getConfiguration('cloudtrailLens').update('protection.retentionDays', 2557, vscode.ConfigurationTarget.Global);
    api.trails.refresh();
  });

  after(async () => {
    env.restore();
    await vscode.workspace.getConfiguration('cloudtrailLens').update('protection.retentionDays', undefined, vscode.ConfigurationTarget.Global);
    await api?.session.setRegions([]);
    api?.session.reset();
    await ctFront?.close();
    await s3Front?.close();
    await moto?.stop();
  });

  it('shows every check of a trail set up well as passing, and who may touch it as information', async () => {
    const checks = await protectionOf(api, GOOD.trail);
    assert.equal(checks.length, 26);
    for (const c of checks.slice(0, 24)) assert.equal(c.result, 'pass', `${c.label}: ${c.description}`);
    assert.ok(checks.some((c) => c.label === 'KMS key enabled and rotated'), 'the KMS key is checked');
    assert.deepEqual(checks.slice(24).map((c) => [c.label, c.result]), [
      ['Who can stop or change the trail', 'info'],
      ['Who can delete logs', 'info'],
    ]);
  });

  it('shows the failures of a trail set up badly, with the remedy as the description', async () => {
    const checks = await protectionOf(api, BAD.trail);
    const byLabel = new Map(checks.map((c) => [c.label, c]));
    assert.equal(byLabel.get('Log file validation on')?.result, 'fail');
    assert.match(byLabel.get('Log file validation on')?.description ?? '', /--enable-log-file-validation/);
    assert.equal(byLabel.get('Versioning on')?.result, 'fail');
    assert.equal(byLabel.get('Lifecycle keeps logs for the retention')?.result, 'fail');
    assert.match(byLabel.get('Lifecycle keeps logs for the retention')?.description ?? '', /at least 2557 days/);
    assert.equal(byLabel.get('Multi-region')?.result, 'warn');
    assert.equal(byLabel.get('Bucket policy lets CloudTrail write')?.result, 'fail');
    assert.equal(byLabel.get('S3 object-level data events, read and write')?.result, 'warn');
    assert.match(byLabel.get('S3 object-level data events, read and write')?.description ?? '', /^Record S3 object-level events for all buckets/);
    assert.equal(byLabel.get('ACLs disabled (bucket owner enforced)')?.result, 'warn');
  });

  it('"Check Trail Protection…" writes a report, puts failures in the Problems panel, and a denied call shows as could not check', async () => {
    s3Front.options.deny = [`GetBucketPolicy@${GOOD.bucket}`];
    try {
      const reports = (await vscode.commands.executeCommand('cloudtrailLens.checkProtection', { trailArns: [GOOD.arn, BAD.arn] })) as { trail: { name: string } }[];
      assert.deepEqual(reports.map((r) => r.trail.name).sort(), [BAD.trail, GOOD.trail]);
      // The report opens rendered: VS Code's Markdown preview, its source a click away.
      const preview = (): vscode.Tab | undefined => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType) && /protection/i.test(t.label));
      for (let i = 0; i < 30 && !preview(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.ok(preview(), `no Markdown preview of the report among ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(', ')}`);
      const report = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'cloudtrail-lens-report' && /protection/i.test(d.uri.path));
      assert.equal(report?.uri.scheme, 'cloudtrail-lens-report');
      assert.match(report?.getText() ?? '', /^# CloudTrail trail protection/);
      const problems = vscode.languages.getDiagnostics(report?.uri as vscode.Uri);
      assert.ok(problems.some((d) => d.code === 'bucket.versioning' && d.severity === vscode.DiagnosticSeverity.Error && d.message.startsWith(`${BAD.trail}: Versioning on:`)));
      const denied = problems.find((d) => d.code === 'bucket.policyCloudTrailWrite' && d.message.startsWith(GOOD.trail));
      assert.ok(denied, 'the denied GetBucketPolicy is not in the Problems panel');
      assert.equal(denied.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(denied.message, /could not check \(needs s3:GetBucketPolicy\)/);
      const checks = await protectionOf(api, GOOD.trail);
      const policy = checks.find((c) => c.label === 'Bucket policy lets CloudTrail write');
      assert.deepEqual([policy?.result, policy?.description], ['unknown', 'could not check: needs s3:GetBucketPolicy']);
    } finally {
      s3Front.options.deny = [];
    }
  });
});
