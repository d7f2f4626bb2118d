// Detections in the real editor: the shipped rules on the Invictus dataset opened as an event
// document give diagnostics on the matching events' eventName, a detection lens, a hover with the
// rule and its author, and rows in the Findings view that open their event.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { hoverText } from '../editorQueries';
import { invictusDir } from '../../fixtures/paths';

interface Row {
  finding: { title: string; level: string; ruleId: string; author?: string; eventIds: string[] };
  source: { kind: string; label: string };
}
interface Node {
  kind: 'group' | 'finding';
  label?: string;
  rows?: Row[];
  row?: Row;
}
interface Api {
  findings: { rows(): Row[]; onDidChange: vscode.Event<void> };
  findingsTree: { getChildren(node?: Node): Node[]; getTreeItem(node: Node): vscode.TreeItem; setGrouping(g: string): void };
}

function label(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

async function until<T>(what: string, get: () => T | undefined, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Detections', function () {
  this.timeout(120_000);
  let api: Api;
  let editor: vscode.TextEditor;

  before(async () => {
    api = (await vscode.extensions.getExtension<Api>('cloudtrail-lens.cloudtrail-lens')?.activate()) as Api;
    const opened = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('cloudtrailLens.openAsEvents', undefined, [vscode.Uri.file(invictusDir)]);
    assert.ok(opened);
    editor = opened;
  });

  after(async () => {
    await vscode.workspace.getConfiguration('cloudtrailLens').update('detections.ruleFolders', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('cloudtrailLens').update('detections.disabledRules', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('puts a diagnostic on the eventName of each matching event, with the level as severity and the rule in the message', async () => {
    const uri = editor.document.uri;
    const diagnostics = await until('detection diagnostics', () => {
      const list = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'CloudTrail Lens');
      return list.length > 0 ? list : undefined;
    });
    const deleted = diagnostics.filter((d) => /^High: CloudTrail Trail Deleted\. DeleteTrail succeeded\. Matched .*eventName = DeleteTrail.* Rule by CloudTrail Lens\.$/.test(d.message));
    assert.ok(deleted.length >= 1, diagnostics.map((d) => d.message).join('\n'));
    assert.equal(deleted[0].severity, vscode.DiagnosticSeverity.Error);
    assert.equal(editor.document.getText(deleted[0].range), '"DeleteTrail"');
    const low = diagnostics.find((d) => /^Low: /.test(d.message));
    assert.equal(low?.severity, vscode.DiagnosticSeverity.Information);
    // The default minimum level is low: nothing informational is shown.
    assert.ok(!diagnostics.some((d) => /^Info: /.test(d.message)));
  });

  it('shows a detection lens above the event and the rule, why it matched and its author in the eventName hover', async () => {
    const document = editor.document;
    const at = document.getText().indexOf('"eventName": "DeleteTrail"');
    assert.ok(at > 0);
    const line = document.positionAt(at).line;
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100_000)) ?? [];
    const detection = lenses.filter((l) => l.command?.title.startsWith('$(warning) '));
    // The lens sits on the event's first line: the nearest lens line above the eventName.
    const eventLine = Math.max(...lenses.map((l) => l.range.start.line).filter((l) => l <= line));
    const here = detection.filter((l) => l.range.start.line === eventLine).map((l) => l.command?.title);
    assert.ok(here.some((t) => /^\$\(warning\) High: CloudTrail Trail Deleted/.test(t ?? '')), here.join('\n'));
    const hover = await hoverText(document.uri, document.positionAt(at + '"eventName": "'.length + 2));
    assert.match(hover, /\*\*Action\*\* `DeleteTrail`/);
    assert.match(hover, /\*\*Detection\*\* High · CloudTrail Trail Deleted/);
    assert.match(hover, /\| Author \| CloudTrail Lens \|/);
    assert.match(hover, /\| eventName \| `DeleteTrail` \|/);
  });

  it('lists the findings in the Findings view by level, rule and caller, and a row opens its event', async () => {
    await until('findings rows', () => (api.findings.rows().some((r) => r.source.kind === 'document') ? true : undefined));
    api.findingsTree.setGrouping('level');
    const levels = api.findingsTree.getChildren();
    const levelLabels = levels.map((n) => label(api.findingsTree.getTreeItem(n)));
    assert.deepEqual(levelLabels.slice(0, 2), ['High', 'Medium']);
    const high = levels[0];
    const highCount = Number(api.findingsTree.getTreeItem(high).description);
    assert.equal(highCount, api.findings.rows().filter((r) => r.finding.level === 'high').length);
    const rules = api.findingsTree.getChildren(high);
    const ruleLabels = rules.map((n) => label(api.findingsTree.getTreeItem(n)));
    assert.ok(ruleLabels.includes('CloudTrail Trail Deleted'), ruleLabels.join(', '));
    const deletedRule = rules[ruleLabels.indexOf('CloudTrail Trail Deleted')];
    const [first] = api.findingsTree.getChildren(deletedRule);
    const item = api.findingsTree.getTreeItem(first);
    assert.match(label(item), /^DeleteTrail by bert-jan from 192\.168\.10\.20$/);
    assert.match(String(item.description), /^CloudTrail Trail Deleted · 2023-07-10T\d\d:\d\d:\d\dZ · CloudTrail\.cloudtrail$/);
    assert.ok(item.command);
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(invictusDir, '..', 'README.md')));
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    const active = vscode.window.activeTextEditor;
    assert.equal(active?.document.uri.toString(), editor.document.uri.toString());
    assert.equal(active?.document.getText(active.selection), '"DeleteTrail"');

    api.findingsTree.setGrouping('caller');
    const callers = api.findingsTree.getChildren().map((n) => label(api.findingsTree.getTreeItem(n)));
    assert.ok(callers.includes('bert-jan'), callers.join(', '));
  });

  it('runs a user rule folder, shows a rule it cannot run in the Problems panel at its line, and disables rules by id', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'user-rules-'));
    writeFileSync(
      path.join(dir, 'mine.yml'),
      ['title: My GetCallerIdentity watch', 'id: 5d0f7c4e-1111-4222-8333-444455556666', 'author: Jane Responder', 'level: critical', 'logsource: {product: aws, service: cloudtrail}', 'detection:', '  selection:', '    eventName: GetCallerIdentity', '  condition: selection', ''].join('\n'),
    );
    writeFileSync(path.join(dir, 'broken.yml'), ['title: Broken', 'id: 5d0f7c4e-9999-4222-8333-444455556666', 'logsource: {product: aws, service: cloudtrail}', 'detection:', '  selection:', '    eventName|frobnicate: X', '  condition: selection', ''].join('\n'));
    await vscode.workspace.getConfiguration('cloudtrailLens').update('detections.ruleFolders', [dir], vscode.ConfigurationTarget.Global);
    const uri = editor.document.uri;
    const mine = await until('the user rule’s diagnostics', () => {
      const list = vscode.languages.getDiagnostics(uri).filter((d) => d.message.startsWith('Critical: My GetCallerIdentity watch'));
      return list.length > 0 ? list : undefined;
    });
    assert.match(mine[0].message, /Rule by Jane Responder\.$/);
    const refused = await until('the refusal in the Problems panel', () => {
      const list = vscode.languages.getDiagnostics(vscode.Uri.file(path.join(dir, 'broken.yml')));
      return list.length > 0 ? list : undefined;
    });
    assert.match(refused[0].message, /^CloudTrail Lens cannot run this rule: .*frobnicate/);
    assert.ok(refused[0].range.start.line >= 3 && refused[0].range.start.line <= 6, `line ${refused[0].range.start.line}`);
    await vscode.workspace.getConfiguration('cloudtrailLens').update('detections.disabledRules', ['5d0f7c4e-1111-4222-8333-444455556666'], vscode.ConfigurationTarget.Global);
    await until('the disabled rule’s diagnostics to go', () => (vscode.languages.getDiagnostics(uri).some((d) => d.message.startsWith('Critical: My GetCallerIdentity watch')) ? undefined : true));
  });
});
