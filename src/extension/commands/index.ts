import * as vscode from 'vscode';
import type { EventFilter } from '../../core/events/filters';
import type { EventDocuments } from '../documents/eventDocuments';
import type { EventIndexCache } from '../documents/eventIndexCache';
import { log } from '../log';
import type { TrailsTreeProvider } from '../tree/trailsTreeProvider';
import { CommandId } from './commandIds';
import { exportEvents } from './exportEvents';
import { filterEvents, openFiltered } from './filterEvents';
import { goToEvent } from './goToEvent';
import { openAsEvents } from './openAsEvents';

export interface CommandContext {
  trails: TrailsTreeProvider;
  documents: EventDocuments;
  indexes: EventIndexCache;
}

/** Registers every command in one place; each pushes its disposable to the extension context. */
export function registerCommands(context: vscode.ExtensionContext, deps: CommandContext): void {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- command arguments come from menus and other commands untyped
  const register = (id: CommandId, fn: (...args: any[]) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  };
  register(CommandId.RefreshTrails, () => deps.trails.refresh());
  register(CommandId.ShowLog, () => log.show(true));
  register(CommandId.OpenAsEvents, (uri?: vscode.Uri, uris?: vscode.Uri[]) => openAsEvents(deps.documents, uri, uris));
  register(CommandId.OpenFiltered, (uri: vscode.Uri, filter: EventFilter) => openFiltered(deps.documents, uri, filter));
  register(CommandId.GoToEvent, () => goToEvent(deps.indexes));
  register(CommandId.FilterEvents, (kind?: EventFilter['kind']) => filterEvents(deps.documents, deps.indexes, typeof kind === 'string' ? kind : undefined));
  register(CommandId.ExportCsv, (target?: vscode.Uri) => exportEvents('csv', target instanceof vscode.Uri ? target : undefined));
  register(CommandId.ExportJson, (target?: vscode.Uri) => exportEvents('json', target instanceof vscode.Uri ? target : undefined));
}
