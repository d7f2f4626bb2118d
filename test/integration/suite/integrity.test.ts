// Integrity checks as editor commands on local trail folders: the verdict, the Problems panel on the
// files the findings are about, the report, and the Digest status node of the tree.
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as vscode from 'vscode';

interface TreeNodeLike {
  getTreeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
  getChildren?(): Promise<TreeNodeLike[]>;
}
interface Api {
  trails: { getChildren(node?: TreeNodeLike): Promise<TreeNodeLike[]>; refresh(): void };
}
interface Result {
  summary: { outcome: string; digests: { valid: number; invalid: number }; logs: { valid: number; invalid: number } };
  findings: { verdict: string; code: string; object?: { key: string; path?: string } }[];
}

const workspace = (): string => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

async function label(node: TreeNodeLike): Promise<{ label: string; description?: string }> {
  const item = await node.getTreeItem();
  return { label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''), description: typeof item.description === 'string' ? item.description : undefined };
}

describe('Integrity checks in the editor (local folders)', function () {
  this.timeout(180_000);
  let api: Api;

  before(async () => {
    api = (await vscode.extensions.getExtension<Api>('cloudtrail-lens.cloudtrail-lens')?.activate()) as Api;
  });

  it('validates the workspace trail folder offline: valid, and the Digest status node says so', async () => {
    const folder = path.join(workspace(), 'trail-logs');
    const result = (await vscode.commands.executeCommand('cloudtrailLens.validateLocalFolder', vscode.Uri.file(folder), { folder, all: true })) as Result;
    assert.equal(result.summary.outcome, 'valid');
    // 3 hours x 2 regions of digests, 2 log files per region and hour.
    assert.deepEqual([result.summary.digests.valid, result.summary.digests.invalid], [6, 0]);
    assert.deepEqual([result.summary.logs.valid, result.summary.logs.invalid], [12, 0]);
    const roots = await api.trails.getChildren();
    const local = (await Promise.all(roots.map(async (r) => ({ r, l: await label(r) })))).find((x) => x.l.label === 'workspace/trail-logs');
    assert.ok(local);
    const digest = (await api.trails.getChildren(local.r))[1];
    assert.deepEqual(await label(digest), { label: 'Digest status', description: 'last check: valid' });
    const rows = await Promise.all((await api.trails.getChildren(digest)).map(label));
    assert.match(rows[rows.length - 1].description ?? '', /^valid · 6\/6 digests valid · 12\/12 log files valid · \d+ s ago$/);
  });

  it('reports a tampered log file in the Problems panel, on that file, and a deleted digest', async () => {
    const copy = path.join(mkdtempSync(path.join(tmpdir(), 'tampered-')), 'trail');
    cpSync(path.join(workspace(), 'trail-logs'), copy, { recursive: true });
    const logs = files(copy).filter((f) => f.includes(`${path.sep}CloudTrail${path.sep}`)).sort();
    const victim = logs[3];
    const records = JSON.parse(gunzipSync(readFileSync(victim)).toString()) as { Records: { sourceIPAddress?: string }[] };
    records.Records[0].sourceIPAddress = '203.0.113.66';
    writeFileSync(victim, gzipSync(JSON.stringify(records)));
    const digests = files(copy).filter((f) => f.includes(`CloudTrail-Digest${path.sep}us-east-1${path.sep}`)).sort();
    const { unlinkSync } = await import('node:fs');
    unlinkSync(digests[1]);

    const result = (await vscode.commands.executeCommand('cloudtrailLens.validateLocalFolder', vscode.Uri.file(copy), { folder: copy, all: true })) as Result;
    assert.equal(result.summary.outcome, 'invalid');
    const onVictim = vscode.languages.getDiagnostics(vscode.Uri.file(victim));
    assert.deepEqual(onVictim.map((d) => [d.code, d.severity, d.source]), [['log-hash-mismatch', vscode.DiagnosticSeverity.Error, 'CloudTrail Lens']]);
    assert.match(onVictim[0].message, /SHA-256/);
    const missing = result.findings.filter((f) => f.verdict === 'missing' && f.code.startsWith('digest-missing'));
    assert.equal(missing.length, 1, JSON.stringify(result.findings.filter((f) => f.verdict !== 'valid').map((f) => f.code)));
  });

  it('validates one log file from its path: finds the digest that lists it and checks both', async () => {
    const folder = path.join(workspace(), 'trail-logs');
    const log = files(folder).filter((f) => f.includes(`${path.sep}CloudTrail${path.sep}`)).sort()[0];
    const result = (await vscode.commands.executeCommand('cloudtrailLens.validateLogFile', vscode.Uri.file(log))) as { outcome: string; digestKey?: string };
    assert.equal(result.outcome, 'valid');
    assert.match(log, /CloudTrail\/eu-west-1\//);
    assert.match(result.digestKey ?? '', /CloudTrail-Digest\/eu-west-1\//);
  });
});
