import * as assert from 'node:assert/strict';
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
});
