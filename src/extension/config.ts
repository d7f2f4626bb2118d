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
  detectionsEnabled: boolean;
  /** Restricted: in an untrusted workspace VS Code ignores the workspace's value. */
  detectionRuleFolders: string[];
  detectionDisabledRules: string[];
  detectionMinimumLevel: 'informational' | 'low' | 'medium' | 'high' | 'critical';
  builtinRulesEnabled: boolean;
  watchIntervalSeconds: number;
  notebookSaveOutputs: boolean;
  notebookMaxRows: number;
  notebookKeepAthenaResults: boolean;
  athenaRegion: string;
  athenaWorkgroup: string;
  athenaDatabase: string;
  athenaCatalog: string;
  /** Machine-scoped: a workspace must not choose where query results (your account's data) are written. */
  athenaOutputLocation: string;
  athenaTable: string;
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
  'detections.enabled',
  'detections.ruleFolders',
  'detections.disabledRules',
  'detections.minimumLevel',
  'detections.builtinRules',
  'detections.watchIntervalSeconds',
  'notebooks.saveOutputs',
  'notebooks.maxRows',
  'notebooks.keepLargeAthenaResults',
  'athena.region',
  'athena.workgroup',
  'athena.database',
  'athena.catalog',
  'athena.outputLocation',
  'athena.table',
] as const;

const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()) : [];
}

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
    detectionsEnabled: c.get<boolean>('detections.enabled', true),
    detectionRuleFolders: strings(c.get<unknown>('detections.ruleFolders', [])),
    detectionDisabledRules: strings(c.get<unknown>('detections.disabledRules', [])),
    detectionMinimumLevel: LEVELS.find((l) => l === c.get<string>('detections.minimumLevel', 'low')) ?? 'low',
    builtinRulesEnabled: c.get<boolean>('detections.builtinRules', true),
    watchIntervalSeconds: clamp(c.get<number>('detections.watchIntervalSeconds', 60), 30, 3600),
    notebookSaveOutputs: c.get<boolean>('notebooks.saveOutputs', false),
    notebookMaxRows: clamp(c.get<number>('notebooks.maxRows', 10_000), 100, 100_000),
    notebookKeepAthenaResults: c.get<boolean>('notebooks.keepLargeAthenaResults', true),
    athenaRegion: c.get<string>('athena.region', '').trim(),
    athenaWorkgroup: c.get<string>('athena.workgroup', 'primary').trim() || 'primary',
    athenaDatabase: c.get<string>('athena.database', 'default').trim() || 'default',
    athenaCatalog: c.get<string>('athena.catalog', 'AwsDataCatalog').trim() || 'AwsDataCatalog',
    athenaOutputLocation: c.get<string>('athena.outputLocation', '').trim(),
    athenaTable: c.get<string>('athena.table', 'cloudtrail_logs').trim() || 'cloudtrail_logs',
  };
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.trunc(value))) : min;
}

export function affectsConfig(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(SECTION);
}
