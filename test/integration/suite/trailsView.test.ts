import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

interface TreeNodeLike {
  getTreeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
}
interface Api {
  trails: { getChildren(node?: TreeNodeLike): Promise<TreeNodeLike[]> };
}

describe('Trails view', () => {
  it('lists the workspace folder holding an AWSLogs/ layout as a local trail, with its account and regions', async () => {
    const api = (await vscode.extensions.getExtension<Api>('cloudtrail-lens.cloudtrail-lens')?.activate()) as Api;
    const items = await Promise.all((await api.trails.getChildren()).map((n) => n.getTreeItem()));
    // The AWS profile node appears too when this machine has AWS credentials; local trails are what this test is about.
    const local = items.filter((i) => i.contextValue === 'localTrail').map((i) => ({ label: i.label, description: i.description }));
    assert.deepEqual(local, [{ label: 'workspace/trail-logs', description: 'local · 111122223333 · 2 regions' }]);
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
