// Trail protection checks: is each trail set up so that its logs can be trusted and kept?
// The public API for the CLI and the editor.
export { checkTrailProtection, DEFAULT_RETENTION_DAYS, type ProtectionInput } from './checkTrailProtection';
export { CHECKS, PROTECTION_CALLS, checkDefinition, type CheckDefinition, type ProtectionCall } from './catalogue';
export { SdkProtectionReader, type ProtectionClients } from './sdkProtectionReader';
export * from './protectionReader';
export { catalogueTable, checkPermissions, equivalentsText, renderCisText, renderProtectionReport, renderProtectionText, RESULT_LABELS } from './report';
export { describeOwnership, trailOwnership } from './ownership';
export { countResults, summaryText, totalSummary } from './summary';
export { DIGEST_LATE_AFTER_MS, LOGS_QUIET_AFTER_MS } from './trailSettings';
export * from './types';
