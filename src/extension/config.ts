import * as vscode from 'vscode';

export const SECTION = 'cloudtrailLens';

/** Mirrors `contributes.configuration` in package.json; a test checks that the two agree. */
export interface Config {
  localTrailsEnabled: boolean;
  localTrailsSearchDepth: number;
  codeLensEnabled: boolean;
  rawJsonHovers: boolean;
  maxFileSizeMB: number;
}

/** Every key this interface reads, relative to the section; kept beside the reader on purpose. */
export const CONFIG_KEYS = ['localTrails.enabled', 'localTrails.searchDepth', 'codeLens.enabled', 'hovers.rawJson', 'events.maxFileSizeMB'] as const;

export function readConfig(): Config {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    localTrailsEnabled: c.get<boolean>('localTrails.enabled', true),
    localTrailsSearchDepth: clamp(c.get<number>('localTrails.searchDepth', 2), 0, 5),
    codeLensEnabled: c.get<boolean>('codeLens.enabled', true),
    rawJsonHovers: c.get<boolean>('hovers.rawJson', true),
    maxFileSizeMB: clamp(c.get<number>('events.maxFileSizeMB', 256), 1, 512),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.trunc(value))) : min;
}

export function affectsConfig(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(SECTION);
}
