import * as vscode from 'vscode';
import { registerCommands } from './commands/index';
import { affectsConfig, readConfig } from './config';
import { log } from './log';
import { TrailsTreeProvider } from './tree/trailsTreeProvider';

/** What `activate` returns; integration tests read it through `extension.exports`. */
export interface CloudTrailLensApi {
  /** Milliseconds of extension code spent in `activate` (module load excluded). */
  readonly activationMs: number;
}

export function activate(context: vscode.ExtensionContext): CloudTrailLensApi {
  const started = performance.now();
  context.subscriptions.push(log);

  let config = readConfig();
  const trails = new TrailsTreeProvider(config);
  context.subscriptions.push(trails, vscode.window.createTreeView('cloudtrailLens.trails', { treeDataProvider: trails, showCollapseAll: true }));

  registerCommands(context, { trails });

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsConfig(event)) {
        config = readConfig();
        trails.refresh(config);
      }
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => trails.refresh()),
  );

  const activationMs = performance.now() - started;
  log.info(`CloudTrail Lens activated in ${activationMs.toFixed(1)} ms (${vscode.env.appName} ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI)`);
  return { activationMs };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
