import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CONFIG_KEYS, SECTION } from '../../../src/extension/config';

const EXTENSION_ID = 'cloudtrail-lens.cloudtrail-lens';

interface PackageJson {
  contributes: {
    commands: { command: string; category?: string }[];
    views: Record<string, { id: string }[]>;
    viewsContainers: { activitybar: { id: string }[] };
    configuration: { properties: Record<string, unknown> };
  };
}

describe('Activation', () => {
  let extension: vscode.Extension<{ activationMs: number }>;

  before(async () => {
    const found = vscode.extensions.getExtension<{ activationMs: number }>(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is not installed in the extension host`);
    extension = found;
    await extension.activate();
  });

  it('activates in the real extension host in under 100 ms of extension code', () => {
    assert.equal(extension.isActive, true);
    const ms = extension.exports.activationMs;
    // Printed through the harness (it shows the suite's lines, prefixed "[suite] ").
    console.log(`[suite] activation took ${ms.toFixed(1)} ms of extension code`);
    assert.ok(ms < 100, `activation took ${ms} ms`);
  });

  it('contributes the CloudTrail Lens view container with the Trails and Findings views', async () => {
    const pkg = extension.packageJSON as PackageJson;
    assert.deepEqual(pkg.contributes.viewsContainers.activitybar.map((c) => c.id), ['cloudtrailLens']);
    assert.deepEqual(pkg.contributes.views.cloudtrailLens.map((v) => v.id), ['cloudtrailLens.trails', 'cloudtrailLens.findings']);
    // The workbench creates a focus command for every view it knows; running it opens the view.
    await vscode.commands.executeCommand('workbench.view.extension.cloudtrailLens');
    await vscode.commands.executeCommand('cloudtrailLens.trails.focus');
    await vscode.commands.executeCommand('cloudtrailLens.findings.focus');
  });

  it('registers every contributed command, all in category CloudTrail, and nothing undeclared', async () => {
    const pkg = extension.packageJSON as PackageJson;
    const declared = pkg.contributes.commands.map((c) => c.command).sort();
    for (const c of pkg.contributes.commands) {
      assert.equal(c.category, 'CloudTrail', `${c.command} has category ${c.category}`);
    }
    const viewIds = Object.values(pkg.contributes.views).flat().map((v) => v.id);
    const registered = (await vscode.commands.getCommands(true))
      .filter((id) => id.startsWith('cloudtrailLens.'))
      .filter((id) => !viewIds.some((view) => id.startsWith(`${view}.`)))
      .sort();
    assert.deepEqual(registered, declared);
  });

  it('declares every setting the code reads, and reads every setting it declares', () => {
    const pkg = extension.packageJSON as PackageJson;
    const declared = Object.keys(pkg.contributes.configuration.properties).sort();
    assert.deepEqual(declared, CONFIG_KEYS.map((k) => `${SECTION}.${k}`).sort());
    const endpoints = pkg.contributes.configuration.properties as Record<string, { scope?: string }>;
    // Settings that redirect AWS endpoints must never come from a workspace.
    assert.equal(endpoints['cloudtrailLens.endpoints.s3'].scope, 'machine');
    assert.equal(endpoints['cloudtrailLens.endpoints.cloudtrail'].scope, 'machine');
  });
});
