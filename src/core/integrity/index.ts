// The integrity validation API: validate a trail (S3 or a local folder), one log file, download a
// trail for offline validation, and render a report. Everything here runs in plain Node.
export { validateTrail } from './validateTrail';
export type { ValidateTrailOptions, ValidationProgress, ValidationResult, ValidationScope } from './validateTrail';
export { FINDING_CODES, objectUri, severityOf } from './findings';
export type { Finding, FindingCode, FindingDetails, ObjectRef, Severity, Subject, TimeRange, Verdict } from './findings';
export type { ObjectCounts, ValidationSummary } from './summary';
export { fixedKeySource, trailApiKeySource, parsePublicKeyDer, fingerprintOf } from './publicKeys';
export type { PublicKeySource } from './publicKeys';
export { readContent } from './gzipContent';
export type { ContentResult, ReadContentOptions } from './gzipContent';
export { accountFolder, digestFolder, digestKey, logFolder, parseDigestKey, parseLogKey } from './trailLayout';
export type { DigestKeyParts, LogKeyParts, TrailLocation } from './trailLayout';
export { validateLogFile } from './validateLogFile';
export type { LogFileValidation, ValidateLogFileOptions } from './validateLogFile';
export { downloadForOfflineValidation, DownloadConflictError } from './download';
export type { DownloadConflict, DownloadOptions, DownloadResult } from './download';
export { discoverTrails, locateLocalLogFile, openLocalTrail } from './localTrail';
export type { LocalTrail, TrailCandidate } from './localTrail';
export { renderReport, CHECKS_BEYOND_AWS_CLI } from './report';
export type { ReportContext } from './report';
export { findingLine, startupText, summaryText } from './awsCliOutput';
export type { OutputLine } from './awsCliOutput';
export type { TrailStatusLike } from './validateTrail';
