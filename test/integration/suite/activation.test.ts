import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
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

  it('contributes a walkthrough whose steps have their pages and run real commands, and welcome text without literal backticks', async () => {
    const pkg = extension.packageJSON as { contributes: { walkthroughs: { id: string; steps: { id: string; description: string; media: { markdown: string } }[] }[]; viewsWelcome: { contents: string }[]; commands: { command: string }[] } };
    const [walk] = pkg.contributes.walkthroughs;
    assert.equal(walk.id, 'cloudtrailLens.gettingStarted');
    assert.deepEqual(walk.steps.map((s) => s.id), ['trails', 'events', 'filter', 'findings', 'validate', 'investigate', 'protection']);
    const contributed = new Set(pkg.contributes.commands.map((c) => c.command));
    const known = new Set(await vscode.commands.getCommands(true));
    for (const step of walk.steps) {
      assert.ok(existsSync(path.join(extension.extensionPath, step.media.markdown)), `${step.media.markdown} is missing`);
      const links = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
      assert.equal(links.length, 1, step.id);
      assert.ok(contributed.has(links[0]) || known.has(links[0]), `${step.id} links to ${links[0]}`);
    }
    for (const w of pkg.contributes.viewsWelcome) assert.ok(!w.contents.includes('`'), w.contents);
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#cloudtrailLens.gettingStarted`, false);
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
