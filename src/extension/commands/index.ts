import * as vscode from 'vscode';
import { log } from '../log';
import type { TrailsTreeProvider } from '../tree/trailsTreeProvider';
import { CommandId } from './commandIds';

export interface CommandContext {
  trails: TrailsTreeProvider;
}

/** Registers every command in one place; each pushes its disposable to the extension context. */
export function registerCommands(context: vscode.ExtensionContext, deps: CommandContext): void {
  const register = (id: CommandId, fn: (...args: unknown[]) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  };
  register(CommandId.RefreshTrails, () => deps.trails.refresh());
  register(CommandId.ShowLog, () => log.show(true));
}
