// Drives the extension for the README screenshots (scripts/vscode/screenshots.mjs): it sets up a
// scene, prints "[shot] NAME" and waits until the harness has taken the picture (it creates the
// file CLOUDTRAIL_LENS_SHOTS/NAME.done). Not a test: it asserts nothing.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const shots = process.env.CLOUDTRAIL_LENS_SHOTS ?? '';
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function scene(name: string): Promise<void> {
  console.log(`[suite] [shot] ${name}`);
  for (let i = 0; i < 600 && !existsSync(path.join(shots, `${name}.done`)); i++) await pause(200);
}

export async function run(): Promise<void> {
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  await vscode.extensions.getExtension('cloudtrail-lens.cloudtrail-lens')?.activate();
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  await vscode.commands.executeCommand('workbench.view.extension.cloudtrailLens');
  await pause(1500);
  await scene('tree');

  const day = vscode.Uri.file(path.join(workspace, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1'));
  const editor = await vscode.commands.executeCommand<vscode.TextEditor>('cloudtrailLens.openAsEvents', day);
  const text = editor.document.getText();
  let at = 0;
  for (let i = 0; i < 3; i++) at = text.indexOf('"sourceIPAddress"', at + 1);
  const position = editor.document.positionAt(text.indexOf(':', at) + 4);
  const top = editor.document.positionAt(text.lastIndexOf('\n    {', at) + 1);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(top, top), vscode.TextEditorRevealType.AtTop);
  await pause(2500);
  await vscode.commands.executeCommand('editor.action.showHover');
  await pause(1500);
  await scene('events');

  const identity = editor.document.positionAt(text.lastIndexOf('"userIdentity"', at) + 3);
  editor.selection = new vscode.Selection(identity, identity);
  await vscode.commands.executeCommand('editor.action.showHover');
  await pause(1500);
  await scene('identity-hover');
}
