import * as vscode from 'vscode';

export const SECTION = 'cloudtrailLens';

/** Mirrors `contributes.configuration` in package.json; a test checks that the two agree. */
export interface Config {
  localTrailsEnabled: boolean;
  localTrailsSearchDepth: number;
  codeLensEnabled: boolean;
  rawJsonHovers: boolean;
  maxFileSizeMB: number;
  maxTotalMB: number;
  /** Machine-scoped: a workspace can never set these. */
  endpointS3: string;
  endpointCloudTrail: string;
  validationConcurrency: number;
  explorerPageSize: number;
  searchMaxEvents: number;
  protectionRetentionDays: number;
  investigationMemoryMB: number;
}

/** Every key this interface reads, relative to the section; kept beside the reader on purpose. */
export const CONFIG_KEYS = [
  'localTrails.enabled',
  'localTrails.searchDepth',
  'codeLens.enabled',
  'hovers.rawJson',
  'events.maxFileSizeMB',
  'events.maxTotalMB',
  'endpoints.s3',
  'endpoints.cloudtrail',
  'validation.concurrency',
  'explorer.pageSize',
  'search.maxEvents',
  'protection.retentionDays',
  'investigations.memoryLimitMB',
] as const;

export function readConfig(): Config {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    localTrailsEnabled: c.get<boolean>('localTrails.enabled', true),
    localTrailsSearchDepth: clamp(c.get<number>('localTrails.searchDepth', 2), 0, 5),
    codeLensEnabled: c.get<boolean>('codeLens.enabled', true),
    rawJsonHovers: c.get<boolean>('hovers.rawJson', true),
    maxFileSizeMB: clamp(c.get<number>('events.maxFileSizeMB', 256), 1, 512),
    maxTotalMB: clamp(c.get<number>('events.maxTotalMB', 1024), 16, 8192),
    endpointS3: c.get<string>('endpoints.s3', '').trim(),
    endpointCloudTrail: c.get<string>('endpoints.cloudtrail', '').trim(),
    validationConcurrency: clamp(c.get<number>('validation.concurrency', 16), 1, 128),
    explorerPageSize: clamp(c.get<number>('explorer.pageSize', 200), 10, 1000),
    searchMaxEvents: clamp(c.get<number>('search.maxEvents', 500), 1, 10000),
    protectionRetentionDays: clamp(c.get<number>('protection.retentionDays', 365), 1, 36500),
    investigationMemoryMB: clamp(c.get<number>('investigations.memoryLimitMB', 512), 128, 65536),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.trunc(value))) : min;
}

export function affectsConfig(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(SECTION);
}
