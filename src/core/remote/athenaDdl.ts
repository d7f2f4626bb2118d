// The Athena table over a trail's S3 bucket, as AWS documents it (JSON SerDe reading
// {"Records":[…]} through CloudTrailInputFormat, the free-form parts as strings), with partition
// projection over region and day, and over account for an organization trail, so that no partition
// has to be added and a query filtered on them reads only those folders. The partition columns
// have the names the local investigation store gives them (see PARTITION_COLUMNS), so a query runs
// unchanged on both.

export interface AthenaTableInput {
  /** Table name; letters, digits and underscores (Glue lowercases it). */
  table: string;
  /** Glue database; default `default`. */
  database?: string;
  bucket: string;
  /** The trail's S3 key prefix, without slashes at either end; empty or undefined for none. */
  prefix?: string;
  /** The account folder for a single-account trail. */
  accountId?: string;
  /** For an organization trail: the organization id and the member accounts to project. */
  organizationId?: string;
  accountIds?: string[];
  /** The regions to project (the trail's regions, or every enabled region for a multi-region trail). */
  regions: string[];
  /** The first day to project, 'yyyy/MM/dd'. */
  startDay: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,254}$/i;
const ACCOUNT = /^\d{12}$/;
const ORGANIZATION = /^o-[a-z0-9]{10,32}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const DAY = /^\d{4}\/(0[1-9]|1[0-2])\/(0[1-9]|[12]\d|3[01])$/;
// S3 bucket names (3–63 characters, lowercase, digits, dots, hyphens) and a prefix without quotes or
// control characters: both are written into string literals of the DDL.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const PREFIX = /^[^'\\\u0000-\u001f\u007f]*$/;

/** The table's data columns, in the order and with the types of AWS's documented CloudTrail table. */
export const ATHENA_TABLE_COLUMNS = `eventversion STRING,
  useridentity STRUCT<
    type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING, accesskeyid: STRING, username: STRING,
    onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>,
    sessioncontext: STRUCT<
      attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>,
      sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>,
      ec2roledelivery: STRING,
      webidfederationdata: STRUCT<federatedprovider: STRING, attributes: MAP<STRING, STRING>>,
      sourceidentity: STRING>,
    credentialid: STRING>,
  eventtime STRING,
  eventsource STRING,
  eventname STRING,
  awsregion STRING,
  sourceipaddress STRING,
  useragent STRING,
  errorcode STRING,
  errormessage STRING,
  requestparameters STRING,
  responseelements STRING,
  additionaleventdata STRING,
  requestid STRING,
  eventid STRING,
  resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
  eventtype STRING,
  apiversion STRING,
  readonly STRING,
  recipientaccountid STRING,
  serviceeventdetails STRING,
  sharedeventid STRING,
  vpcendpointid STRING,
  vpcendpointaccountid STRING,
  eventcategory STRING,
  addendum STRUCT<reason: STRING, updatedfields: STRING, originalrequestid: STRING, originaleventid: STRING>,
  sessioncredentialfromconsole STRING,
  edgedevicedetails STRING,
  tlsdetails STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>`;

/** Why an input cannot make a table, or undefined when it can. */
export function athenaTableProblem(input: AthenaTableInput): string | undefined {
  if (!IDENTIFIER.test(input.table)) return `The table name '${input.table}' is not an Athena identifier: use letters, digits and underscores.`;
  if (input.database !== undefined && !IDENTIFIER.test(input.database)) return `The database name '${input.database}' is not an Athena identifier: use letters, digits and underscores.`;
  if (!BUCKET.test(input.bucket)) return `'${input.bucket}' is not an S3 bucket name.`;
  if (input.prefix && !PREFIX.test(input.prefix)) return 'The S3 key prefix has a quote, a backslash or a control character, which a table location cannot hold.';
  if (input.organizationId !== undefined) {
    if (!ORGANIZATION.test(input.organizationId)) return `'${input.organizationId}' is not an organization id (o-…).`;
    if (!input.accountIds?.length) return 'An organization table needs the member accounts to project: give at least one account id.';
    const bad = input.accountIds.find((a) => !ACCOUNT.test(a));
    if (bad !== undefined) return `'${bad}' is not a 12-digit account id.`;
  } else if (!input.accountId || !ACCOUNT.test(input.accountId)) {
    return `'${input.accountId ?? ''}' is not a 12-digit account id.`;
  }
  if (input.regions.length === 0) return 'Give at least one region to project.';
  const region = input.regions.find((r) => !REGION.test(r));
  if (region !== undefined) return `'${region}' is not a region name.`;
  if (!DAY.test(input.startDay)) return `The first day '${input.startDay}' is not a date as yyyy/MM/dd.`;
  return undefined;
}

/** The folder above the account folders: s3://bucket/prefix/AWSLogs/[o-id/]. */
function logsRoot(input: AthenaTableInput): string {
  const prefix = input.prefix ? `${input.prefix.replace(/^\/+|\/+$/g, '')}/` : '';
  return `s3://${input.bucket}/${prefix}AWSLogs/${input.organizationId ? `${input.organizationId}/` : ''}`;
}

/**
 * CREATE EXTERNAL TABLE for the trail's logs with partition projection. Throws with the reason
 * when the input cannot make a table (see athenaTableProblem).
 */
export function athenaTableDdl(input: AthenaTableInput): string {
  const problem = athenaTableProblem(input);
  if (problem) throw new Error(problem);
  const org = input.organizationId !== undefined;
  const root = logsRoot(input);
  const location = org ? root : `${root}${input.accountId}/CloudTrail/`;
  const template = org ? `${root}\${account}/CloudTrail/\${region}/\${timestamp}` : `${location}\${region}/\${timestamp}`;
  const partitions = [...(org ? ['account STRING'] : []), 'region STRING', '`timestamp` STRING'];
  const properties: [string, string][] = [
    ['projection.enabled', 'true'],
    ...(org ? ([['projection.account.type', 'enum'], ['projection.account.values', (input.accountIds ?? []).join(',')]] as [string, string][]) : []),
    ['projection.region.type', 'enum'],
    ['projection.region.values', input.regions.join(',')],
    ['projection.timestamp.type', 'date'],
    ['projection.timestamp.format', 'yyyy/MM/dd'],
    ['projection.timestamp.range', `${input.startDay},NOW`],
    ['projection.timestamp.interval', '1'],
    ['projection.timestamp.interval.unit', 'DAYS'],
    ['storage.location.template', template],
  ];
  const name = input.database ? `${input.database}.${input.table}` : input.table;
  return `CREATE EXTERNAL TABLE ${name} (
  ${ATHENA_TABLE_COLUMNS}
)
COMMENT 'CloudTrail logs of s3://${input.bucket}, made by CloudTrail Lens'
PARTITIONED BY (${partitions.join(', ')})
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '${location}'
TBLPROPERTIES (
${properties.map(([k, v]) => `  '${k}'='${v}'`).join(',\n')}
)`;
}

/** The SQL with comments and string literals blanked, and quoted identifiers unquoted, for scanning. */
function scannable(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"([^"]*)"/g, '$1')
    .toLowerCase();
}

/**
 * Why a query would scan the whole projected table: it reads `table` and never compares the day
 * partition (`timestamp`) in a WHERE clause. Undefined when it filters by day or does not read the
 * table. A heuristic on the text, on the safe side: a filter inside a subquery of another table
 * still counts, so the user is asked to confirm rather than refused outright.
 */
export function unboundedScanProblem(sql: string, table: string): string | undefined {
  const text = scannable(sql);
  const name = table.toLowerCase().replace(/[^a-z0-9_.]/g, '');
  const short = name.slice(name.lastIndexOf('.') + 1);
  const reads = new RegExp(`\\b(from|join)\\s+(\\w+\\.)?${short}\\b`).test(text);
  if (!reads) return undefined;
  const where = text.search(/\bwhere\b/);
  if (where >= 0 && /\btimestamp\s*(>=|>|<=|<|=|between\b|in\b|like\b)/.test(text.slice(where))) return undefined;
  return `The query reads ${table} without a condition on "timestamp" (the day partition, 'yyyy/MM/dd'), so Athena would read every log file the trail ever wrote and charge for all of it. Add for example WHERE "timestamp" >= '2026/11/01'.`;
}

/** Athena's price, $5 per TB scanned with a 10 MB minimum per query, as one line. */
export function scanCost(bytesScanned: number): string {
  const billed = Math.max(bytesScanned, 10 * 1024 * 1024);
  const dollars = (billed / 1024 ** 4) * 5;
  const size = bytesScanned >= 1024 ** 3 ? `${(bytesScanned / 1024 ** 3).toFixed(2)} GB` : bytesScanned >= 1024 ** 2 ? `${(bytesScanned / 1024 ** 2).toFixed(1)} MB` : `${(bytesScanned / 1024).toFixed(1)} KB`;
  return `${size} scanned, about $${dollars < 0.01 ? dollars.toFixed(5) : dollars.toFixed(2)}${bytesScanned < billed ? ' (10 MB minimum)' : ''}`;
}
