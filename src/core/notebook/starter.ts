// The starter query notebook: the staples of a CloudTrail investigation, written once in the SQL that
// runs both in Athena (Trino) and on a local investigation (DuckDB, with the Trino macros of the
// store), so the same notebook serves an incident on a laptop and one on an organization's bucket.
// Every query filters on the day partition ("timestamp") from the day the user gives, so Athena
// reads only those folders; queries that return events select eventid and "$path", which is what
// "Open as Events" needs to show the events whole.
import type { NotebookFileCell } from './notebookFile';

const DAY = /^\d{4}\/(0[1-9]|1[0-2])\/(0[1-9]|[12]\d|3[01])$/;

/** The day `ms` falls on in UTC, as the partition writes it (yyyy/MM/dd). */
export function partitionDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');
}

/** The one key and IP the "activity of one key or IP" query looks for, until the user edits them. */
export const PLACEHOLDER_KEY = 'AKIAIOSFODNN7EXAMPLE';
export const PLACEHOLDER_IP = '203.0.113.7';

export interface StarterQuery {
  title: string;
  why: string;
  sql: string;
}

/** The staples, each filtered from `startDay` ('yyyy/MM/dd'). */
export function starterQueries(startDay: string): StarterQuery[] {
  if (!DAY.test(startDay)) throw new Error(`'${startDay}' is not a day as yyyy/MM/dd`);
  const since = `"timestamp" >= '${startDay}'`;
  return [
    {
      title: 'Console logins without MFA',
      why: 'A password alone got into the console: the first thing to rule out after a credential leak.',
      sql: `SELECT eventtime, useridentity.arn AS principal, sourceipaddress,
  json_extract_scalar(responseelements, '$.ConsoleLogin') AS result, eventid, "$path"
FROM cloudtrail_logs
WHERE ${since}
  AND eventname = 'ConsoleLogin'
  AND json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'No'
ORDER BY eventtime`,
    },
    {
      title: 'Root user activity',
      why: 'The root user should almost never act; every call it made (not on its behalf by a service) is worth a look.',
      sql: `SELECT eventtime, eventname, eventsource, sourceipaddress, useragent, errorcode, eventid, "$path"
FROM cloudtrail_logs
WHERE ${since}
  AND useridentity.type = 'Root'
  AND useridentity.invokedby IS NULL
  AND eventtype <> 'AwsServiceEvent'
ORDER BY eventtime`,
    },
    {
      title: 'AccessDenied by principal',
      why: 'A burst of denied calls from one principal is what enumeration with stolen keys looks like.',
      sql: `SELECT useridentity.arn AS principal, count(*) AS denied,
  min(eventtime) AS first_seen, max(eventtime) AS last_seen
FROM cloudtrail_logs
WHERE ${since}
  AND errorcode IN ('AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation')
GROUP BY useridentity.arn
ORDER BY denied DESC, principal
LIMIT 100`,
    },
    {
      title: 'Trail tampering',
      why: 'Stopping, deleting or narrowing a trail is how an intruder hides what comes next.',
      sql: `SELECT eventtime, eventname, useridentity.arn AS principal, sourceipaddress,
  json_extract_scalar(requestparameters, '$.name') AS trail, errorcode, eventid, "$path"
FROM cloudtrail_logs
WHERE ${since}
  AND eventsource = 'cloudtrail.amazonaws.com'
  AND eventname IN ('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors')
ORDER BY eventtime`,
    },
    {
      title: 'Access keys created, and their use',
      why: 'A new long-term key is a classic way to stay in; its calls show what it was made for.',
      sql: `WITH created AS (
  SELECT json_extract_scalar(responseelements, '$.accessKey.accessKeyId') AS key_id,
    json_extract_scalar(responseelements, '$.accessKey.userName') AS user_name,
    eventtime AS created_at, useridentity.arn AS created_by
  FROM cloudtrail_logs
  WHERE ${since} AND eventname = 'CreateAccessKey' AND errorcode IS NULL
)
SELECT c.key_id, c.user_name, c.created_at, c.created_by,
  count(u.eventid) AS calls, min(u.eventtime) AS first_used, max(u.eventtime) AS last_used
FROM created c
LEFT JOIN cloudtrail_logs u ON u.useridentity.accesskeyid = c.key_id AND u."timestamp" >= '${startDay}'
GROUP BY c.key_id, c.user_name, c.created_at, c.created_by
ORDER BY c.created_at, c.key_id`,
    },
    {
      title: 'Activity of one access key or IP',
      why: 'Everything one key or one address did, in order: edit the two values in the first lines.',
      sql: `WITH target AS (SELECT '${PLACEHOLDER_KEY}' AS key_id, '${PLACEHOLDER_IP}' AS ip)
SELECT e.eventtime, e.eventname, e.eventsource, e.awsregion, e.sourceipaddress,
  e.useridentity.arn AS principal, e.errorcode, e.eventid, e."$path"
FROM cloudtrail_logs e CROSS JOIN target t
WHERE e."timestamp" >= '${startDay}'
  AND (e.useridentity.accesskeyid = t.key_id OR e.sourceipaddress = t.ip)
ORDER BY e.eventtime`,
    },
  ];
}

/** The starter notebook's cells: an introduction, then a title and a query for each staple. */
export function starterCells(startDay: string): NotebookFileCell[] {
  const cells: NotebookFileCell[] = [
    {
      kind: 'markdown',
      source: `# CloudTrail investigation staples

Each query runs where its cell's target says (the status bar under the cell): the open **local investigation**, **Athena** over the trail's bucket, or **CloudWatch Logs Insights**. The SQL is the same for the first two.

Every query filters on \`"timestamp"\`, the day folder CloudTrail writes under, from **${startDay}**: change it to your incident's window, because Athena charges for every log file a query reads. Rows with \`eventid\` and \`"$path"\` open as events with the cell's **Open as Events** action.`,
    },
  ];
  for (const q of starterQueries(startDay)) {
    cells.push({ kind: 'markdown', source: `## ${q.title}\n${q.why}` });
    cells.push({ kind: 'sql', source: q.sql, target: 'local' });
  }
  return cells;
}
