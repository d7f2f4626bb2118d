// Integrity checks as editor commands on local trail folders: the verdict, the Problems panel on the
// files the findings are about, the report, and the Digest status node of the tree.
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import { clearNotifications, notifications, probesDir } from '../editorQueries';

interface TreeNodeLike {
  getTreeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
  getChildren?(): Promise<TreeNodeLike[]>;
}
interface Api {
  trails: { getChildren(node?: TreeNodeLike): Promise<TreeNodeLike[]>; refresh(): void };
  diagnostics: { of(checkId: string): [vscode.Uri, readonly vscode.Diagnostic[]][] };
  integrityStatus: { shown: { text: string; tooltip: string } | undefined };
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
    // The Problems entry opens the file as an event document (not its gzip bytes), verdict first.
    const entries = vscode.languages.getDiagnostics().filter(([uri]) => uri.scheme === 'cloudtrail-lens' && uri.query.includes(JSON.stringify(victim).slice(1, -1)));
    assert.equal(entries.length, 1, 'no Problems entry on the changed file as an event document');
    const [documentUri, onVictim] = entries[0];
    assert.deepEqual(onVictim.map((d) => [d.code, d.severity, d.source]), [['log-hash-mismatch', vscode.DiagnosticSeverity.Error, 'CloudTrail Lens']]);
    assert.match(onVictim[0].message, /^changed after delivery: this log file has been changed: its SHA-256/);
    assert.equal(vscode.languages.getDiagnostics(vscode.Uri.file(victim)).length, 0);
    // The missing digest is in the report, at its finding; nothing of this local check points at S3.
    const missing = result.findings.filter((f) => f.verdict === 'missing' && f.code.startsWith('digest-missing'));
    assert.equal(missing.length, 1, JSON.stringify(result.findings.filter((f) => f.verdict !== 'valid').map((f) => f.code)));
    const ofCheck = api.diagnostics.of(`local:${path.resolve(copy)}`);
    const onReport = ofCheck.filter(([uri]) => uri.scheme === 'cloudtrail-lens-report').flatMap(([, d]) => d);
    const missingEntry = onReport.find((d) => d.code === missing[0].code);
    assert.ok(missingEntry, 'the missing digest is not in the Problems panel on the report');
    assert.match(missingEntry.message, /^missing: /);
    assert.ok(missingEntry.range.start.line > 0, 'the entry does not point at its line of the report');
    assert.ok(ofCheck.every(([uri]) => uri.scheme !== 'cloudtrail-lens-object' || !uri.query.includes('"s3"')));
    // Opened, the document says at the top, and in the status bar, that it comes from a changed file.
    const editor = await vscode.window.showTextDocument(documentUri);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 1)) ?? [];
    const banner = lenses.find((l) => l.range.start.line === 0 && l.command?.title.includes('Integrity'));
    assert.ok(banner, lenses.map((l) => l.command?.title).join(' | '));
    assert.equal(banner.command?.title, `$(error) Integrity: changed after delivery: ${path.basename(victim)} · open the report`);
    assert.equal(api.integrityStatus.shown?.text, '$(error) changed after delivery');
  });

  it('validates one log file from its path: finds the digest that lists it and checks both', async () => {
    const folder = path.join(workspace(), 'trail-logs');
    const log = files(folder).filter((f) => f.includes(`${path.sep}CloudTrail${path.sep}`)).sort()[0];
    const result = (await vscode.commands.executeCommand('cloudtrailLens.validateLogFile', vscode.Uri.file(log))) as { outcome: string; digestKey?: string };
    assert.equal(result.outcome, 'valid');
    assert.match(log, /CloudTrail\/eu-west-1\//);
    assert.match(result.digestKey ?? '', /CloudTrail-Digest\/eu-west-1\//);
  });

  it('marks a changed file everywhere: its tree row, the counts of the notification, the tree and Problems, and the Last check row opens the report', async () => {
    const folder = path.join(workspace(), 'trail-logs');
    const victim = files(folder).filter((f) => f.includes(`${path.sep}CloudTrail${path.sep}`)).sort()[2];
    const original = readFileSync(victim);
    const records = JSON.parse(gunzipSync(original).toString()) as { Records: { eventName?: string }[] };
    records.Records[0].eventName = 'NothingToSeeHere';
    writeFileSync(victim, gzipSync(JSON.stringify(records)));
    try {
      if (probesDir) await clearNotifications();
      const result = (await vscode.commands.executeCommand('cloudtrailLens.validateLocalFolder', vscode.Uri.file(folder), { folder, all: true })) as Result;
      assert.equal(result.summary.outcome, 'invalid');
      // The Problems panel: one error for this check.
      const published = api.diagnostics.of(`local:${path.resolve(folder)}`).flatMap(([, d]) => d);
      assert.deepEqual(
        [published.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length, published.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length],
        [1, 0],
      );
      // The tree: the file's row and the Last check say so, with the same count.
      const root = (await Promise.all((await api.trails.getChildren()).map(async (r) => ({ r, l: await label(r) })))).find((x) => x.l.label === 'workspace/trail-logs')!;
      let node = (await api.trails.getChildren(root.r))[0];
      for (const part of path.relative(folder, path.dirname(victim)).split(path.sep)) {
        node = (await Promise.all((await api.trails.getChildren(node)).map(async (n) => ({ n, l: await label(n) })))).find((x) => x.l.label === part)!.n;
      }
      const rows = await Promise.all((await api.trails.getChildren(node)).map((n) => n.getTreeItem()));
      const row = rows.find((i) => String(i.tooltip).includes(path.basename(victim)))!;
      assert.match(String(row.description), /^changed after delivery · us-east-1|^changed after delivery · eu-west-1/);
      assert.equal((row.iconPath as vscode.ThemeIcon).id, 'error');
      assert.match(String(row.tooltip), /^changed after delivery: this log file has been changed/);
      const digest = (await api.trails.getChildren(root.r))[1];
      assert.deepEqual(await label(digest), { label: 'Digest status', description: 'last check: invalid · 1 error' });
      const lastCheck = (await api.trails.getChildren(digest)).at(-1)!;
      const lastItem = await lastCheck.getTreeItem();
      assert.match(String(lastItem.description), /^invalid · 1 error · /);
      // A click on Last check opens the report rendered, as a Markdown preview.
      assert.equal(lastItem.command?.command, 'cloudtrailLens.openLastReport');
      await vscode.commands.executeCommand(lastItem.command.command, ...(lastItem.command.arguments ?? []));
      const preview = (): vscode.Tab | undefined => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType) && t.label.includes('trail-logs integrity report'));
      for (let i = 0; i < 30 && !preview(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.ok(preview(), `no Markdown preview of the report among ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(', ')}`);
      if (probesDir) {
        const verdict = (await notifications()).filter((n) => n.message.startsWith('trail-logs: '));
        assert.equal(verdict.length, 1, JSON.stringify(verdict));
        assert.match(verdict[0].message, /^trail-logs: invalid, 1 error in the Problems panel\. /);
        await clearNotifications();
      }
    } finally {
      writeFileSync(victim, original);
    }
    // Validated again, the file is clean: no mark, and the counts say so.
    const again = (await vscode.commands.executeCommand('cloudtrailLens.validateLocalFolder', vscode.Uri.file(folder), { folder, all: true })) as Result;
    assert.equal(again.summary.outcome, 'valid');
    const root = (await Promise.all((await api.trails.getChildren()).map(async (r) => ({ r, l: await label(r) })))).find((x) => x.l.label === 'workspace/trail-logs')!;
    assert.deepEqual(await label((await api.trails.getChildren(root.r))[1]), { label: 'Digest status', description: 'last check: valid' });
    assert.equal(api.integrityStatus.shown, undefined);
  });

  it('"Validate This Log File" leaves one verdict notification and no progress behind', async function () {
    if (!probesDir) this.skip(); // reading the notification center needs the harness's browser page
    const folder = path.join(workspace(), 'trail-logs');
    const log = files(folder).filter((f) => f.includes(`${path.sep}CloudTrail${path.sep}`)).sort()[1];
    await clearNotifications();
    await vscode.commands.executeCommand('cloudtrailLens.validateLogFile', vscode.Uri.file(log));
    const shown = await notifications();
    assert.deepEqual(shown.filter((n) => n.progress), []);
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.match(shown[0].message, new RegExp(`^${path.basename(log).replace(/[.]/g, '\\.')} is valid`));
    await clearNotifications();
  });
});
