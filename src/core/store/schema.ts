// The investigation store's tables. `cloudtrail_logs` has the columns of AWS's documented Athena
// table for CloudTrail (lowercase names, userIdentity and resources as structs, the free-form parts
// as JSON text), so a query written for Athena runs here unchanged; the derived columns that follow
// them are this project's (caller, source class, key kind, sensitive action, detection, outcome,
// provenance). Findings of the Sigma rules run at ingest are kept in ctl_findings.

/** Bumped when the tables change; an investigation of another version is refused with a message. */
export const SCHEMA_VERSION = 2;

const SESSION_ISSUER = 'STRUCT(type VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, userName VARCHAR)';
const USER_IDENTITY =
  'STRUCT(type VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, invokedBy VARCHAR, accessKeyId VARCHAR, userName VARCHAR, ' +
  'onBehalfOf STRUCT(userId VARCHAR, identityStoreArn VARCHAR), ' +
  `sessionContext STRUCT(attributes STRUCT(mfaAuthenticated VARCHAR, creationDate VARCHAR), sessionIssuer ${SESSION_ISSUER}, ec2RoleDelivery VARCHAR, ` +
  'webIdFederationData STRUCT(federatedProvider VARCHAR, attributes MAP(VARCHAR, VARCHAR)), sourceIdentity VARCHAR), credentialId VARCHAR)';
const RESOURCES = 'STRUCT(ARN VARCHAR, accountId VARCHAR, type VARCHAR)[]';

/**
 * The Athena columns in Athena's order: [column, the record's key, DuckDB type as read]. Struct
 * fields keep CloudTrail's camelCase names (DuckDB matches names case-insensitively, so
 * `useridentity.sessioncontext.sessionissuer.arn` works as in Athena).
 */
export const ATHENA_COLUMNS: readonly (readonly [string, string, string])[] = [
  ['eventversion', 'eventVersion', 'VARCHAR'],
  ['useridentity', 'userIdentity', USER_IDENTITY],
  ['eventtime', 'eventTime', 'VARCHAR'],
  ['eventsource', 'eventSource', 'VARCHAR'],
  ['eventname', 'eventName', 'VARCHAR'],
  ['awsregion', 'awsRegion', 'VARCHAR'],
  ['sourceipaddress', 'sourceIPAddress', 'VARCHAR'],
  ['useragent', 'userAgent', 'VARCHAR'],
  ['errorcode', 'errorCode', 'VARCHAR'],
  ['errormessage', 'errorMessage', 'VARCHAR'],
  ['requestparameters', 'requestParameters', 'JSON'],
  ['responseelements', 'responseElements', 'JSON'],
  ['additionaleventdata', 'additionalEventData', 'JSON'],
  ['requestid', 'requestID', 'VARCHAR'],
  ['eventid', 'eventID', 'VARCHAR'],
  ['resources', 'resources', RESOURCES],
  ['eventtype', 'eventType', 'VARCHAR'],
  ['apiversion', 'apiVersion', 'VARCHAR'],
  ['readonly', 'readOnly', 'VARCHAR'],
  ['recipientaccountid', 'recipientAccountId', 'VARCHAR'],
  ['serviceeventdetails', 'serviceEventDetails', 'JSON'],
  ['sharedeventid', 'sharedEventID', 'VARCHAR'],
  ['vpcendpointid', 'vpcEndpointId', 'VARCHAR'],
  ['vpcendpointaccountid', 'vpcEndpointAccountId', 'VARCHAR'],
  ['eventcategory', 'eventCategory', 'VARCHAR'],
  ['addendum', 'addendum', 'STRUCT(reason VARCHAR, updatedFields VARCHAR, originalRequestID VARCHAR, originalEventID VARCHAR)'],
  ['sessioncredentialfromconsole', 'sessionCredentialFromConsole', 'VARCHAR'],
  ['edgedevicedetails', 'edgeDeviceDetails', 'JSON'],
  ['tlsdetails', 'tlsDetails', 'STRUCT(tlsVersion VARCHAR, cipherSuite VARCHAR, clientProvidedHostHeader VARCHAR)'],
];

/**
 * The partition columns of the Athena table this project generates for a trail (see
 * core/remote/athenaDdl.ts), computed here from the event, so that a query filtering on them runs
 * unchanged on the local store and on Athena: [column, type, what].
 */
export const PARTITION_COLUMNS: readonly (readonly [string, string, string])[] = [
  ['account', 'VARCHAR', 'the account whose folder the log is in (recipientaccountid); partition of organization tables'],
  ['region', 'VARCHAR', 'the region folder (awsregion)'],
  ['timestamp', 'VARCHAR', "the day folder, 'yyyy/MM/dd' in UTC (from eventtime)"],
];

/** The columns after the Athena ones, with what each holds (for the README and `query --help`). */
export const DERIVED_COLUMNS: readonly (readonly [string, string, string])[] = [
  ['$path', 'VARCHAR', 'Athena\'s hidden column: the file or s3:// object the event was read from (as source_file), so a query that selects "$path" runs on both'],
  ['event_ts', 'TIMESTAMP', 'eventtime as a UTC timestamp (NULL when it cannot be read)'],
  ['caller_key', 'VARCHAR', 'the caller as the lenses group it: the ARN when there is one'],
  ['caller_label', 'VARCHAR', 'short caller name: alice, AdminRole/session, root, ec2.amazonaws.com'],
  ['caller_type', 'VARCHAR', 'userIdentity.type'],
  ['source_class', 'VARCHAR', 'public IPv4, private IPv4, AWS service, AWS Internal, …'],
  ['access_key_kind', 'VARCHAR', 'long-term (AKIA), temporary (ASIA), other, or NULL'],
  ['sensitive_action', 'VARCHAR', 'service:Action when the action is sensitive (the hovers\' list), else NULL'],
  ['tactic', 'VARCHAR', 'the sensitive action\'s tactic: defense evasion, persistence, …'],
  ['outcome', 'VARCHAR', "'success' or the error code"],
  ['source_file', 'VARCHAR', 'the file or s3:// object the event was read from'],
  ['source_position', 'INTEGER', 'the event\'s position (from 0) in that file'],
  ['duplicate_conflict', 'BOOLEAN', 'another event has this eventID with different content'],
  ['detection', 'VARCHAR', 'title of the highest-level Sigma rule finding on the event (a correlation\'s when no single-event rule matched), else NULL'],
  ['detection_level', 'VARCHAR', "that finding's level: informational, low, medium, high or critical"],
];

/** The explicit schema DuckDB reads each NDJSON line with (see storeRows.ts for the keys). */
export function lineColumns(): string {
  const record = ATHENA_COLUMNS.map(([, key, type]) => `"${key}" ${type}`).join(', ');
  const cols: Record<string, string> = { s: 'INTEGER', p: 'INTEGER', t: 'BIGINT', ck: 'VARCHAR', cl: 'VARCHAR', ct: 'VARCHAR', sc: 'VARCHAR', ak: 'VARCHAR', sa: 'VARCHAR', ta: 'VARCHAR', dt: 'VARCHAR', dl: 'VARCHAR', e: `STRUCT(${record})` };
  return `{${Object.entries(cols)
    .map(([k, v]) => `'${k}': '${v.replace(/'/g, "''")}'`)
    .join(', ')}}`;
}

const EVENT_COLUMNS = [
  'row_id BIGINT NOT NULL',
  ...ATHENA_COLUMNS.map(([name, , type]) => `${name} ${type === 'JSON' ? 'VARCHAR' : type}`),
  'event_ms BIGINT',
  'caller_key VARCHAR',
  'caller_label VARCHAR',
  'caller_type VARCHAR',
  'source_class VARCHAR',
  'access_key_kind VARCHAR',
  'sensitive_action VARCHAR',
  'tactic VARCHAR',
  'detection VARCHAR',
  'detection_level VARCHAR',
  'source_id INTEGER NOT NULL',
  'source_position INTEGER NOT NULL',
  'content_hash UBIGINT',
  'duplicate_conflict BOOLEAN NOT NULL DEFAULT false',
];

/** Statements that create an empty investigation. */
export const CREATE_TABLES = [
  `CREATE TABLE ctl_meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
  `CREATE TABLE ctl_sources (source_id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, format VARCHAR, stored_bytes BIGINT, text_bytes BIGINT, events INTEGER, added_at TIMESTAMP, warnings JSON, gzip BLOB)`,
  `CREATE TABLE ctl_refused (name VARCHAR, reason VARCHAR, added_at TIMESTAMP)`,
  `CREATE TABLE ctl_events (${EVENT_COLUMNS.join(', ')})`,
  // One row per finding of the rules run at ingest (single events and correlations); `finding` is
  // the whole Finding as JSON. Numbered across ingests, so a cancelled one takes out its own.
  `CREATE TABLE ctl_findings (finding_id INTEGER, rule_id VARCHAR, title VARCHAR, level VARCHAR, level_rank INTEGER, first_time VARCHAR, event_ids VARCHAR[], finding VARCHAR)`,
];

/** The view users query; recreated on every open, so it follows this code's version. */
export const CREATE_VIEW = `CREATE OR REPLACE VIEW cloudtrail_logs AS SELECT
  ${ATHENA_COLUMNS.map(([name]) => `e.${name}`).join(', ')},
  e.recipientaccountid AS account, e.awsregion AS region, strftime(make_timestamp(e.event_ms * 1000), '%Y/%m/%d') AS "timestamp",
  s.name AS "$path",
  make_timestamp(e.event_ms * 1000) AS event_ts,
  e.caller_key, e.caller_label, e.caller_type, e.source_class, e.access_key_kind, e.sensitive_action, e.tactic,
  coalesce(e.errorcode, 'success') AS outcome,
  s.name AS source_file, e.source_position, e.duplicate_conflict, e.detection, e.detection_level, e.row_id
FROM ctl_events e JOIN ctl_sources s USING (source_id)`;

/**
 * Trino functions that Athena queries use and DuckDB lacks, as macros (created in the temp schema
 * on every connection, never stored in the investigation).
 */
export const TRINO_MACROS = [
  `CREATE OR REPLACE TEMP MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)`,
  `CREATE OR REPLACE TEMP MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)`,
  `CREATE OR REPLACE TEMP MACRO from_iso8601_date(s) AS CAST(s AS DATE)`,
  `CREATE OR REPLACE TEMP MACRO date_format(t, f) AS strftime(t, replace(replace(replace(replace(replace(replace(replace(f, '%i', '%M'), '%s', '%S'), '%T', '%H:%M:%S'), '%r', '%I:%M:%S %p'), '%k', '%-H'), '%l', '%-I'), '%v', '%V'))`,
  `CREATE OR REPLACE TEMP MACRO date_parse(s, f) AS strptime(s, f)`,
  `CREATE OR REPLACE TEMP MACRO regexp_like(s, p) AS regexp_matches(s, p)`,
  `CREATE OR REPLACE TEMP MACRO approx_distinct(x) AS approx_count_distinct(x)`,
  `CREATE OR REPLACE TEMP MACRO to_unixtime(t) AS epoch(t)`,
  `CREATE OR REPLACE TEMP MACRO from_unixtime(n) AS to_timestamp(n)`,
  `CREATE OR REPLACE TEMP MACRO url_extract_host(u) AS regexp_extract(u, '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/:?#]+)', 1)`,
];
