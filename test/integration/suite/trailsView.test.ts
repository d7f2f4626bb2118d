import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

interface TreeNodeLike {
  getTreeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
}
interface Api {
  trails: { getChildren(node?: TreeNodeLike): Promise<TreeNodeLike[]> };
}

async function labels(api: Api, node?: TreeNodeLike): Promise<{ label: string; description?: string }[]> {
  const children = await api.trails.getChildren(node);
  const items = await Promise.all(children.map((c) => c.getTreeItem()));
  return items.map((i) => ({ label: typeof i.label === 'string' ? i.label : (i.label?.label ?? ''), description: typeof i.description === 'string' ? i.description : undefined }));
}

describe('Trails view', () => {
  it('lists the workspace folder holding an AWSLogs/ layout as a local trail, with its account and regions', async () => {
    const api = (await vscode.extensions.getExtension<Api>('cloudtrail-lens.cloudtrail-lens')?.activate()) as Api;
    assert.deepEqual(await labels(api), [{ label: 'workspace/trail-logs', description: 'local · 1 account' }]);
    const [trail] = await api.trails.getChildren();
    assert.deepEqual(await labels(api, trail), [{ label: '111122223333', description: '2 regions · digests' }]);
    const [account] = await api.trails.getChildren(trail);
    assert.deepEqual((await labels(api, account)).map((l) => l.label), ['eu-west-1', 'us-east-1']);
  });
});
