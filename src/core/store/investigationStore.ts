// An investigation: one DuckDB database file (`*.ctinv`) that holds the events of many log files in
// the Athena CloudTrail columns plus derived ones, the stored bytes of every source (to show events
// in full), and what was read and refused; a small JSON manifest is written beside it. Worker threads
// parse the files with the event reader's hostile-input rules and write NDJSON that DuckDB loads with
// an explicit schema (no per-value calls across Node-API), while DuckDB loads the previous batch.
import { randomBytes } from 'node:crypto';
import { promises as fs, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { isUtf8 } from 'node:buffer';
import * as zlib from 'node:zlib';
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import { DetectionMerger, ruleSetOf, type RulesPayload } from '../detections/detectionRun';
import { levelRank, type Finding } from '../detections/types';
import { MAX_JSON_DEPTH, byteFacts } from '../events/eventBytes';
import { EventFileWorkers, type WireIngested } from '../events/eventFileWorkers';
import { collectEventFiles, type RejectedInput } from '../events/eventFiles';
import { readDecoded } from '../events/reader';
import type { CloudTrailRecord } from '../events/records';
import { openRegularFile } from '../files/regularFile';
import { readCsv } from '../remote/athenaCsv';
import { loadDuckDB, StoreUnavailableError } from './duckdb';
import { bucketWidth, FACET_EXPRESSIONS, orderOf, searchCondition, searchText, sqlIdent, sqlString, whereOf, type Where } from './queries';
import { RESULT_ROW_COLUMN, resultTableSql, tableColumnNames, type ResultTableColumn } from './resultTable';
import { CREATE_TABLES, CREATE_VIEW, lineColumns, SCHEMA_VERSION, TRINO_MACROS, ATHENA_COLUMNS } from './schema';
import { FACETS, type InvestigationInfo, type FacetKey, type FacetValue, type InvestigationSummary, type Overview, type Selection, type TableRow, type TableSort, type Timeline } from './selection';

export interface StoreOptions {
  /** DuckDB's memory limit (default 512 MB): past it, DuckDB spills to a temp folder beside the file. */
  memoryLimitMB?: number;
  /** DuckDB's threads (default: every core). */
  threads?: number;
  /** Open without writing (the CLI's `query`, a second window). */
  readOnly?: boolean;
}

/** One input to read: a file or folder path, and the name provenance keeps (an s3:// URI for downloads). */
export interface IngestInput {
  path: string;
  name?: string;
}

export interface IngestOptions {
  signal?: AbortSignal;
  /** Files done, files in all, events stored so far. */
  onProgress?: (done: number, total: number, events: number) => void;
  /** Keep only events in [start, end) (ms since the epoch) and in these regions. */
  start?: number;
  end?: number;
  regions?: string[];
  /** Largest file, after gunzip (default 256 MB). */
  maxFileBytes?: number;
  /** Parsing threads (default: one per core). */
  workers?: number;
  /**
   * Sigma rules to run at ingest: each event's highest-level finding goes in its `detection` and
   * `detection_level` columns, every finding (correlations too) in ctl_findings.
   */
  rules?: RulesPayload;
}

export interface IngestReport {
  files: number;
  /** Events read, stored (after the time and region filters), and folded as identical repeats. */
  read: number;
  stored: number;
  outsideFilter: number;
  folded: number;
  /** eventIDs with different content in different copies (every copy is kept and flagged). */
  conflicts: number;
  refused: RejectedInput[];
  /** What folder walks left out by design (digests, hidden folders), with why. */
  skipped: RejectedInput[];
  warnings: { name: string; warning: string }[];
  /** Findings this ingest added (0 without rules). */
  findings: number;
  ms: number;
}

/** What an investigation holds, as a whole (the view's header). */
export type StoreInfo = InvestigationInfo;

export interface QueryResult {
  columns: string[];
  rows: unknown[][];
}

/** A manifest written beside the database (`<file>.json`), for people and tools that do not open DuckDB. */
export interface Manifest {
  schemaVersion: number;
  events: number;
  first?: string;
  last?: string;
  sources: { name: string; events: number; format: string | null; storedBytes: number }[];
  refused: { name: string; reason: string }[];
  conflicts: number;
  updated: string;
}

const FACET_TOP = 40;
/** Searches whose hits the overview keeps, for going back and forth between a few. */
const SEARCHES_KEPT = 8;
/** The in-memory database a read-write store keeps its search hits in, seen by all its connections. */
const SCRATCH = 'ctl_scratch';
/**
 * What a search's hits keep of each event: what the overview's facets, count and timeline and a
 * selection's filters read (whereOf: the facet expressions, event_ms, eventid), so those queries
 * read the hits alone.
 */
const HIT_COLUMNS =
  'row_id, event_ms, eventid, caller_key, caller_label, sourceipaddress, struct_pack(accessKeyId := useridentity.accessKeyId) AS useridentity, eventname, eventsource, errorcode, awsregion, recipientaccountid, useragent, sensitive_action, detection';
/** Most findings `findings()` gives back. */
const FINDINGS_MAX = 5_000;
/** Facets whose '' (no value) is not listed: most events are not sensitive and have no detection. */
const FACETS_WITHOUT_NONE: readonly FacetKey[] = ['sensitive', 'detection'];
const INGEST_MEMORY_MB = 256;
/** Parsed text staged as NDJSON before DuckDB loads it in one statement (bounds the temporary disk too). */
const STAGE_BYTES = 384 * 1024 * 1024;
const STACK_TOP = 6;

function num(v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : Number(v ?? 0);
}

function str(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

/** A signal's abort interrupts the connection's running query; the promise then rejects with AbortError. */
async function interruptible<T>(con: DuckDBConnection, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  signal?.throwIfAborted();
  const stop = (): void => con.interrupt();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    return await work();
  } catch (error) {
    if (signal?.aborted) throw new DOMException('The query was cancelled', 'AbortError');
    throw error;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

/** A WHERE for ctl_findings: the findings with an event in the selection (none: every finding). */
function findingsIn(w: ReturnType<typeof whereOf>): string {
  if (w.sql === 'true') return '';
  return `WHERE finding_id IN (SELECT f.finding_id FROM (SELECT finding_id, unnest(event_ids) AS eid FROM ctl_findings) f JOIN ctl_events ON ctl_events.eventid = f.eid WHERE ${w.sql})`;
}

export class InvestigationStore {
  /** Ordered row ids of the last table query, so windows deep into millions of rows are range reads. */
  private windowKey = '';
  private windowReady: Promise<boolean> | undefined;
  /** The materialized order of the current key is complete (the first page may read it too). */
  private windowDone = false;
  private windowSeq = 0;
  private total = -1;

  private constructor(
    readonly file: string,
    private readonly instance: DuckDBInstance,
    /** Writes (ingest); the overview; the table; everything else. DuckDB runs them in parallel. */
    private readonly write: DuckDBConnection,
    private readonly overviewCon: DuckDBConnection,
    private readonly rowsCon: DuckDBConnection,
    /** Creates and reads the materialized table order (temp tables belong to one connection). */
    private readonly windowCon: DuckDBConnection,
    private readonly otherCon: DuckDBConnection,
    readonly readOnly: boolean,
    private readonly memoryLimitMB?: number,
  ) {}

  /** Opens an investigation, creating it when `file` does not exist (unless read-only). */
  static async open(file: string, options: StoreOptions = {}): Promise<InvestigationStore> {
    const duckdb = loadDuckDB();
    const exists = existsSync(file);
    if (!exists && options.readOnly) throw new Error(`${file}: no such investigation`);
    if (exists) {
      // Opened without blocking and refused unless a regular file: a FIFO named *.ctinv must not hang.
      const head = Buffer.alloc(16);
      const opened = await openRegularFile(file).catch((error: Error) => {
        throw new Error(`${file} is not a CloudTrail Lens investigation: ${error.message}`, { cause: error });
      });
      try {
        await opened.handle.read(head, 0, 16, 0);
      } finally {
        await opened.handle.close();
      }
      // A DuckDB file has "DUCK" at byte 8; anything else is refused before DuckDB parses it.
      if (head.toString('latin1', 8, 12) !== 'DUCK') throw new Error(`${file} is not a CloudTrail Lens investigation (not a DuckDB database)`);
    }
    const config: Record<string, string> = {
      memory_limit: `${options.memoryLimitMB ?? 512}MB`,
      threads: String(options.threads ?? Math.max(1, availableParallelism())),
      preserve_insertion_order: 'false',
      // Nothing outside the investigation: no extensions fetched, no files but the ones this code names.
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      temp_directory: `${file}.tmp`,
      // One checkpoint at the end of an ingest, not one per 16 MB of log (each rewrites and compresses).
      checkpoint_threshold: '1GB',
    };
    if (options.readOnly) config.access_mode = 'READ_ONLY';
    let instance: DuckDBInstance;
    try {
      instance = await duckdb.DuckDBInstance.create(file, config);
    } catch (error) {
      const message = (error as Error).message;
      if (/lock/i.test(message)) throw new Error(`${file} is open in another window or process; close it there, or open it read-only`, { cause: error });
      throw new Error(`${file} could not be opened as an investigation (${message.split('\n')[0]})`, { cause: error });
    }
    const cons = await Promise.all([0, 1, 2, 3, 4].map(() => instance.connect()));
    const store = new InvestigationStore(file, instance, cons[0], cons[1], cons[2], cons[3], cons[4], options.readOnly === true, options.memoryLimitMB);
    await store.prepare(!exists);
    return store;
  }

  private async prepare(created: boolean): Promise<void> {
    if (created) {
      for (const sql of CREATE_TABLES) await this.write.run(sql);
      await this.write.run(`INSERT INTO ctl_meta VALUES ('schema_version', '${SCHEMA_VERSION}')`);
    } else {
      let version: string | undefined;
      try {
        version = str((await this.write.runAndReadAll(`SELECT value FROM ctl_meta WHERE key = 'schema_version'`)).getRows()[0]?.[0]);
      } catch {
        throw new Error(`${this.file} is a DuckDB database but not a CloudTrail Lens investigation (it has no ctl_meta table)`);
      }
      if (version !== String(SCHEMA_VERSION)) throw new Error(`${this.file} was written by another version of CloudTrail Lens (schema ${version}, this one reads ${SCHEMA_VERSION}); ingest the logs again into a new investigation`);
    }
    if (!this.readOnly) {
      await this.write.run(CREATE_VIEW);
      // A scratch database every connection sees (a read-only instance may not make one): a
      // search's hits, made once, serve the overview, the table and the summary alike.
      await this.write.run(`ATTACH ':memory:' AS ${SCRATCH}`);
      this.sharedHits = true;
    }
    for (const con of this.connections()) {
      for (const macro of TRINO_MACROS) await con.run(macro);
    }
  }

  private connections(): DuckDBConnection[] {
    return [this.write, this.overviewCon, this.rowsCon, this.windowCon, this.otherCon];
  }

  async close(): Promise<void> {
    for (const con of this.connections()) con.closeSync();
    this.instance.closeSync();
  }

  // ---------------------------------------------------------------- ingest

  /**
   * Reads files and folders into the investigation; what cannot be read is recorded with why. Two
   * ingests into one store run one after the other (each numbers its sources from the last one's,
   * and a cancelled one takes out only its own).
   */
  ingest(inputs: readonly IngestInput[], options: IngestOptions = {}): Promise<IngestReport> {
    if (this.readOnly) return Promise.reject(new Error(`${this.file} is open read-only`));
    const run = this.ingesting.catch(() => undefined).then(() => this.ingestNow(inputs, options));
    this.ingesting = run;
    return run;
  }
  private ingesting: Promise<unknown> = Promise.resolve();

  private async ingestNow(inputs: readonly IngestInput[], options: IngestOptions): Promise<IngestReport> {
    const started = Date.now();
    const signal = options.signal;
    const files: { path: string; name: string }[] = [];
    const skipped: RejectedInput[] = [];
    for (const input of inputs) {
      const collected = await collectEventFiles([input.path], signal);
      skipped.push(...collected.skipped);
      for (const f of collected.files) files.push({ path: f, name: input.name && collected.files.length === 1 && f === input.path ? input.name : f });
    }
    const report: IngestReport = { files: files.length, read: 0, stored: 0, outsideFilter: 0, folded: 0, conflicts: 0, refused: [], skipped, warnings: [], findings: 0, ms: 0 };
    // "no such file" is a refusal the user must see, not a design skip.
    for (const s of skipped.filter((x) => x.reason === 'no such file or folder')) report.refused.push(s);
    report.skipped = skipped.filter((x) => x.reason !== 'no such file or folder');

    const firstId = num((await this.write.runAndReadAll('SELECT coalesce(max(source_id), -1) + 1 FROM ctl_sources')).getRows()[0][0]);
    const firstFinding = num((await this.write.runAndReadAll('SELECT coalesce(max(finding_id), -1) + 1 FROM ctl_findings')).getRows()[0][0]);
    const rules = options.rules;
    let merger = rules ? new DetectionMerger(ruleSetOf(rules)) : undefined;
    const keep = { start: options.start, end: options.end, regions: options.regions && options.regions.length > 0 ? options.regions : undefined };
    const staging = await fs.mkdtemp(path.join(path.dirname(path.resolve(this.file)), `.${path.basename(this.file)}-ingest-`));
    const workers = new EventFileWorkers(options.workers ?? Math.max(1, availableParallelism()));
    const maxText = options.maxFileBytes ?? 256 * 1024 * 1024;
    const limits = { maxStored: maxText, maxText, maxDepth: MAX_JSON_DEPTH };
    const filter: string[] = [];
    if (typeof options.start === 'number') filter.push(`t >= ${Math.floor(options.start)}`);
    if (typeof options.end === 'number') filter.push(`t < ${Math.ceil(options.end)}`);
    if (options.regions && options.regions.length > 0) filter.push(`e.awsRegion IN (${options.regions.map(sqlString).join(', ')})`);
    const where = filter.length > 0 ? `WHERE ${filter.join(' AND ')}` : '';
    const columns = lineColumns();
    const select = ATHENA_COLUMNS.map(([name, key]) => `e."${key}" AS ${name}`).join(', ');

    // Batches of files sized for a few MB each, parsed by every worker; DuckDB loads them in turns.
    const batches: { start: number; files: typeof files }[] = [];
    const BATCH = 24;
    for (let i = 0; i < files.length; i += BATCH) batches.push({ start: i, files: files.slice(i, i + BATCH) });
    let done = 0;
    const ready: { out: string; results: WireIngested[]; ids: number[] }[] = [];
    const load = async (whileLoading?: () => void): Promise<void> => {
      const take = ready.splice(0);
      if (take.length === 0) return;
      const appender = await this.write.createAppender('ctl_sources');
      const now = new Date().toISOString().slice(0, 23).replace('T', ' ');
      const { timestampValue } = loadDuckDB();
      const nowMicros = BigInt(Date.parse(now + 'Z')) * 1000n;
      const outs: string[] = [];
      // No line is longer than its file's text (and the derived columns): DuckDB's line buffer
      // (two per thread) is sized for the longest file of these batches, not for the largest allowed.
      let longest = 0;
      for (const batch of take) {
        outs.push(batch.out);
        batch.results.forEach((r, i) => {
          if (!r.ok) return;
          longest = Math.max(longest, r.textBytes);
          appender.appendInteger(batch.ids[i]);
          appender.appendVarchar(r.name);
          appender.appendVarchar(r.format);
          appender.appendBigInt(BigInt(r.storedBytes));
          appender.appendBigInt(BigInt(r.textBytes));
          appender.appendInteger(r.recordCount);
          appender.appendTimestamp(timestampValue(nowMicros));
          appender.appendVarchar(JSON.stringify(r.warnings ?? []));
          appender.appendBlob(new Uint8Array(r.gzip));
          appender.endRow();
        });
      }
      appender.flushSync();
      appender.closeSync();
      const list = `[${outs.map(sqlString).join(', ')}]`;
      const insert = this.write.run(
        `INSERT INTO ctl_events SELECT s * 4294967296 + p, ${select}, t, ck, cl, ct, sc, ak, sa, ta, dt, dl, s, p, NULL, false
         FROM read_json(${list}, format = 'newline_delimited', columns = ${columns}, maximum_object_size = ${Math.max(1024 * 1024, Math.ceil(longest * 1.25) + 65536)}) ${where}`,
      );
      // DuckDB runs the statement on its own threads: this thread is free for other work meanwhile.
      whileLoading?.();
      const result = await insert;
      report.stored += num(result.rowsChanged);
      await Promise.all(outs.map((o) => fs.rm(o, { force: true })));
    };
    let staged = 0;
    const inFlight = new Set<Promise<void>>();
    /** Waits for the batches being parsed, then loads everything staged. */
    const drainAndLoad = async (whileLoading?: () => void): Promise<void> => {
      await Promise.all([...inFlight]);
      staged = 0;
      await load(whileLoading);
    };
    // While reading, DuckDB gets at most 256 MB (the parsing threads need the rest: the whole
    // process stayed near 640 MB instead of 930 MB for 460,800 events); queries get the full limit.
    const limit = (await this.write.runAndReadAll(`SELECT current_setting('memory_limit')`)).getRows()[0][0];
    if ((this.memoryLimitMB ?? 512) > INGEST_MEMORY_MB) await this.write.run(`SET memory_limit = '${INGEST_MEMORY_MB}MB'`);
    // A cancelled or failed ingest takes out what it added: the investigation stays as it was.
    let committed = false;
    const stopLoad = (): void => this.write.interrupt();
    signal?.addEventListener('abort', stopLoad, { once: true });
    try {
      let next = 0;
      const launch = (): void => {
        const batch = batches[next++];
        const out = path.join(staging, `batch-${batch.start}-${randomBytes(4).toString('hex')}.ndjson`);
        const ids = batch.files.map((_, i) => firstId + batch.start + i);
        const p = workers
          .ingest(
            batch.files.map((f) => f.path),
            limits,
            { out, sourceIds: ids, names: batch.files.map((f) => f.name), rules, keep: rules ? keep : undefined },
          )
          .then(({ results, matches }) => {
            if (matches) merger?.merge(matches);
            for (const r of results) {
              if (r.ok) {
                report.read += r.recordCount;
                for (const w of r.warnings ?? []) report.warnings.push({ name: r.name, warning: w });
              } else {
                report.refused.push({ name: r.name, reason: r.reason });
              }
            }
            ready.push({ out, results, ids });
            for (const r of results) if (r.ok) staged += r.textBytes;
            done += batch.files.length;
            options.onProgress?.(done, files.length, report.stored);
          })
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      };
      // Parse, then load, in turns: on few cores the parsing threads and DuckDB's threads slowed each
      // other down more than they gained by overlapping (measured 15 s overlapped, 9 s in turns, for
      // 460,800 events on 2 cores), and DuckDB loads many files in one statement best.
      while (next < batches.length) {
        signal?.throwIfAborted();
        // Launches at least one batch unless enough are running: the race never waits on nothing.
        while (next < batches.length && inFlight.size <= workers.count) launch();
        await Promise.race(inFlight);
        if (staged >= STAGE_BYTES) await drainAndLoad();
      }
      // Every file is parsed and its matches merged: the correlation rules run over the merged hits
      // while DuckDB loads the last batch (about 0.6 s for 460,800 events, which would follow it).
      let findings: Finding[] | undefined;
      const correlate = (): void => {
        if (merger) findings = merger.findings();
        merger = undefined;
      };
      await drainAndLoad(correlate);
      if (merger && !findings) correlate();
      signal?.throwIfAborted();
      if (report.refused.length > 0) {
        const appender = await this.write.createAppender('ctl_refused');
        const { timestampValue } = loadDuckDB();
        for (const r of report.refused) {
          appender.appendVarchar(r.name);
          appender.appendVarchar(r.reason);
          appender.appendTimestamp(timestampValue(BigInt(Date.now()) * 1000n));
          appender.endRow();
        }
        appender.flushSync();
        appender.closeSync();
      }
      const folded = await this.fold();
      report.folded = folded.folded;
      report.conflicts = folded.conflicts;
      report.stored -= folded.folded;
      report.outsideFilter = report.read - report.stored - report.folded;
      signal?.throwIfAborted();
      if (findings) report.findings = await this.storeFindings(findings, firstFinding);
      // Stored: the findings (tens of thousands at millions of events) are not held through the checkpoint.
      findings = undefined;
      signal?.throwIfAborted();
      committed = true;
      await this.write.run('CHECKPOINT');
      await this.writeManifest();
    } catch (error) {
      if (signal?.aborted) throw new DOMException('The ingest was cancelled; the investigation is as it was', 'AbortError');
      throw error;
    } finally {
      signal?.removeEventListener('abort', stopLoad);
      await this.write.run(`SET memory_limit = ${sqlString(str(limit))}`).catch(() => undefined);
      if (!committed) {
        // What was loaded goes again.
        await Promise.allSettled([...inFlight]);
        await this.write.run(`DELETE FROM ctl_events WHERE source_id >= ${firstId}`).catch(() => undefined);
        await this.write.run(`DELETE FROM ctl_sources WHERE source_id >= ${firstId}`).catch(() => undefined);
        await this.write.run(`DELETE FROM ctl_findings WHERE finding_id >= ${firstFinding}`).catch(() => undefined);
      }
      await workers.close();
      await fs.rm(staging, { recursive: true, force: true });
      this.invalidate();
    }
    report.ms = Date.now() - started;
    return report;
  }

  /**
   * Keeps an ingest's findings (those an earlier ingest has not kept already: the same rule on the
   * same events), numbered from `first`, and puts a correlation's title on its events that have no
   * detection of their own. Returns how many were kept.
   */
  private async storeFindings(findings: Finding[], first: number): Promise<number> {
    const known = new Set<string>();
    if (first > 0) {
      const rows = (await this.write.runAndReadAll(`SELECT rule_id, array_to_string(event_ids, chr(0)) FROM ctl_findings`)).getRows();
      for (const r of rows) known.add(`${str(r[0])}\u0000${str(r[1])}`);
    }
    const fresh = findings.filter((f) => !known.has(`${f.ruleId}\u0000${f.eventIds.join('\u0000')}`));
    if (fresh.length === 0) return 0;
    const { listValue } = loadDuckDB();
    const appender = await this.write.createAppender('ctl_findings');
    fresh.forEach((f, i) => {
      appender.appendInteger(first + i);
      appender.appendVarchar(f.ruleId);
      appender.appendVarchar(f.title);
      appender.appendVarchar(f.level);
      appender.appendInteger(levelRank(f.level));
      if (f.firstTime === undefined) appender.appendNull();
      else appender.appendVarchar(f.firstTime);
      appender.appendList(listValue(f.eventIds));
      appender.appendVarchar(JSON.stringify(f));
      appender.endRow();
    });
    appender.flushSync();
    appender.closeSync();
    // A correlation's events: the highest-level correlation's title, where no single-event rule matched.
    const marks = new Map<string, { title: string; level: string; rank: number }>();
    for (const f of fresh) {
      if (!f.correlation) continue;
      const rank = levelRank(f.level);
      for (const id of f.eventIds) {
        if (id === '') continue;
        const m = marks.get(id);
        if (!m || rank > m.rank) marks.set(id, { title: f.title, level: f.level, rank });
      }
    }
    if (marks.size > 0) {
      // Through a temporary table filled by an appender: at 5 M events (386,000 marked events) the
      // same rows as one JSON parameter took 47 s and 1.5 GB more memory.
      await this.write.run('CREATE OR REPLACE TEMP TABLE ctl_marks (id VARCHAR, title VARCHAR, level VARCHAR)');
      try {
        const marker = await this.write.createAppender('ctl_marks', 'main', 'temp');
        for (const [id, m] of marks) {
          marker.appendVarchar(id);
          marker.appendVarchar(m.title);
          marker.appendVarchar(m.level);
          marker.endRow();
        }
        marker.flushSync();
        marker.closeSync();
        await this.write.run(
          `UPDATE ctl_events SET detection = m.title, detection_level = m.level
           FROM temp.ctl_marks m
           WHERE ctl_events.eventid = m.id AND ctl_events.detection IS NULL`,
        );
      } finally {
        await this.write.run('DROP TABLE IF EXISTS temp.ctl_marks');
      }
    }
    return fresh.length;
  }

  /** Folds identical copies of an eventID into one and flags eventIDs whose copies differ. */
  private async fold(): Promise<{ folded: number; conflicts: number }> {
    const repeated = `SELECT eventid FROM ctl_events WHERE eventid IS NOT NULL GROUP BY eventid HAVING count(*) > 1`;
    // Only repeated eventIDs need their content compared: hashing every row would double the load.
    await this.write.run(`UPDATE ctl_events SET content_hash = hash(${ATHENA_COLUMNS.map(([name]) => name).join(', ')}) WHERE content_hash IS NULL AND eventid IN (${repeated})`);
    const deleted = await this.write.run(
      `DELETE FROM ctl_events WHERE row_id IN (
         SELECT row_id FROM (
           SELECT row_id, row_number() OVER (PARTITION BY eventid, content_hash ORDER BY row_id) AS n
           FROM ctl_events WHERE eventid IN (${repeated})) WHERE n > 1)`,
    );
    await this.write.run(
      `UPDATE ctl_events SET duplicate_conflict = true WHERE eventid IN (
         SELECT eventid FROM ctl_events WHERE eventid IS NOT NULL GROUP BY eventid HAVING count(DISTINCT content_hash) > 1)`,
    );
    const conflicts = num((await this.write.runAndReadAll(`SELECT count(DISTINCT eventid) FROM ctl_events WHERE duplicate_conflict`)).getRows()[0][0]);
    return { folded: num(deleted.rowsChanged), conflicts };
  }

  private async writeManifest(): Promise<void> {
    const info = await this.info();
    const sources = (await this.otherCon.runAndReadAll(`SELECT name, events, format, stored_bytes FROM ctl_sources ORDER BY source_id`)).getRows();
    const manifest: Manifest = {
      schemaVersion: SCHEMA_VERSION,
      events: info.events,
      first: info.first === undefined ? undefined : new Date(info.first).toISOString(),
      last: info.last === undefined ? undefined : new Date(info.last).toISOString(),
      sources: sources.map((r) => ({ name: str(r[0]), events: num(r[1]), format: r[2] === null ? null : str(r[2]), storedBytes: num(r[3]) })),
      refused: info.refused,
      conflicts: info.conflicts,
      updated: new Date().toISOString(),
    };
    await fs.writeFile(`${this.file}.json`, JSON.stringify(manifest, null, 2) + '\n');
  }

  private invalidate(): void {
    this.windowKey = '';
    this.windowReady = undefined;
    this.windowDone = false;
    this.total = -1;
    for (const hits of this.searchHits.values()) this.staleHits.push(hits);
    this.searchHits.clear();
  }

  /**
   * Tables of the events a search matches (at most SEARCHES_KEPT, newest last): in the scratch
   * database, for every connection, or (read-only) temp tables of the overview's connection.
   */
  private readonly searchHits = new Map<string, Promise<string>>();
  private sharedHits = false;
  /** Hit tables of before the last ingest, dropped at the next search. */
  private staleHits: Promise<string>[] = [];
  private hitsSeq = 0;

  /**
   * The table of the events a search matches (HIT_COLUMNS of them), made once per search text: the
   * overview's facets, count and timeline then read it, and the table and summary join it, instead
   * of each matching the text again over every event; clicking facets under one search reads only
   * its hits.
   */
  private async hitsOf(con: DuckDBConnection, search: string): Promise<string> {
    const drop = async (made: Promise<string>): Promise<void> => {
      const table = await made.catch(() => undefined);
      if (table) await con.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    };
    for (const stale of this.staleHits.splice(0)) await drop(stale);
    const known = this.searchHits.get(search);
    if (known) {
      this.searchHits.delete(search);
      this.searchHits.set(search, known);
      return known;
    }
    const table = this.sharedHits ? `${SCRATCH}.hits_${++this.hitsSeq}` : `ctl_hits_${++this.hitsSeq}`;
    const made = con.run(`CREATE ${this.sharedHits ? '' : 'TEMP '}TABLE ${table} AS SELECT ${HIT_COLUMNS} FROM ctl_events WHERE ${searchCondition('$1')}`, [search]).then(() => table);
    this.searchHits.set(search, made);
    made.catch(() => {
      if (this.searchHits.get(search) === made) this.searchHits.delete(search);
    });
    while (this.searchHits.size > SEARCHES_KEPT) {
      const [oldest, old] = this.searchHits.entries().next().value as [string, Promise<string>];
      this.searchHits.delete(oldest);
      await drop(old);
    }
    return made;
  }

  /**
   * A selection's search as a table of hits: the selection without its search, and the hits to
   * read or join (none without a search, or when this connection cannot see shared hits). A hits
   * table another caller was making and cancelled is made again here, once.
   */
  private async searched(con: DuckDBConnection, selection: Selection, signal: AbortSignal | undefined, anyConnection: boolean): Promise<{ base: Selection; hits?: string }> {
    const search = searchText(selection);
    if (search === '' || (!anyConnection && !this.sharedHits)) return { base: selection };
    for (let attempt = 0; ; attempt++) {
      try {
        return { base: { ...selection, search: undefined }, hits: await this.hitsOf(con, search) };
      } catch (error) {
        if (signal?.aborted || attempt > 0) throw error;
      }
    }
  }

  /** The WHERE of a selection, its search read from the hits when there are some (see searched). */
  private async searchedWhere(con: DuckDBConnection, selection: Selection, signal?: AbortSignal): Promise<Where> {
    const { base, hits } = await this.searched(con, selection, signal, false);
    const w = whereOf(base);
    return hits ? { sql: `${w.sql} AND row_id IN (SELECT row_id FROM ${hits})`, params: w.params } : w;
  }

  // ---------------------------------------------------------------- questions

  async info(): Promise<StoreInfo> {
    const con = this.otherCon;
    const [totals] = (await con.runAndReadAll(`SELECT count(*), min(event_ms), max(event_ms), count(DISTINCT eventid) FILTER (WHERE duplicate_conflict) FROM ctl_events`)).getRows();
    const sources = (await con.runAndReadAll(`SELECT name, events FROM ctl_sources ORDER BY source_id`)).getRows();
    const refused = (await con.runAndReadAll(`SELECT name, reason FROM ctl_refused ORDER BY added_at, name`)).getRows();
    return {
      name: path.basename(this.file),
      events: num(totals[0]),
      first: totals[1] === null ? undefined : num(totals[1]),
      last: totals[2] === null ? undefined : num(totals[2]),
      sources: sources.map((r) => ({ name: str(r[0]), events: num(r[1]) })),
      refused: refused.map((r) => ({ name: str(r[0]), reason: str(r[1]) })),
      conflicts: num(totals[3]),
    };
  }

  private async totalEvents(): Promise<number> {
    if (this.total < 0) this.total = num((await this.otherCon.runAndReadAll('SELECT count(*) FROM ctl_events')).getRows()[0][0]);
    return this.total;
  }

  /** Counts for the view: the selection's size, a timeline, and every facet's top values. */
  async overview(selection: Selection, stackBy?: FacetKey, signal?: AbortSignal): Promise<Overview> {
    const con = this.overviewCon;
    return interruptible(con, signal, async () => {
      const total = await this.totalEvents();
      // A search is matched once, into a table of its hits, which the queries below read.
      const { base, hits } = await this.searched(con, selection, signal, true);
      const from = hits ?? 'ctl_events';
      const where = whereOf(base);
      const facets = {} as Record<FacetKey, FacetValue[]>;
      for (const f of FACETS) facets[f] = [];
      // Facets without includes of their own share one scan (grouping sets); each facet with
      // includes is counted without them, so its other values stay visible with their counts.
      const own = FACETS.filter((f) => (selection.include?.[f]?.length ?? 0) > 0);
      const shared = FACETS.filter((f) => !own.includes(f));
      const groups: { keys: FacetKey[]; where: ReturnType<typeof whereOf> }[] = [];
      if (shared.length > 0) groups.push({ keys: shared, where });
      for (const f of own) groups.push({ keys: [f], where: whereOf(base, f) });
      for (const g of groups) {
        const cols = g.keys.map((k, i) => `${FACET_EXPRESSIONS[k]} AS c${i}`).join(', ');
        const sets = g.keys.map((_, i) => `(c${i})`).join(', ');
        const which = g.keys.map((_, i) => `WHEN grouping(c${i}) = 0 THEN ${i}`).join(' ');
        const value = `coalesce(${g.keys.map((_, i) => `c${i}`).join(', ')})`;
        const rows = (
          await con.runAndReadAll(
            `SELECT f, v, n, l FROM (
               SELECT CASE ${which} END AS f, ${value} AS v, count(*) AS n, any_value(caller_label) AS l
               FROM (SELECT ${cols}, caller_label FROM ${from} WHERE ${g.where.sql})
               GROUP BY GROUPING SETS (${sets}))
             WHERE NOT (f IN (${FACETS_WITHOUT_NONE.map((k) => g.keys.indexOf(k)).join(', ')}) AND v = '')
             QUALIFY row_number() OVER (PARTITION BY f ORDER BY n DESC, v) <= ${FACET_TOP}
             ORDER BY f, n DESC, v`,
            g.where.params as DuckDBValue[],
          )
        ).getRows();
        for (const r of rows) {
          const key = g.keys[num(r[0])];
          const entry: FacetValue = { value: str(r[1]), count: num(r[2]) };
          // Callers are keyed by ARN; the label (`alice`, `AdminRole/session`) is what people read.
          if (key === 'caller' && r[3] !== null && str(r[3]) !== entry.value) entry.label = str(r[3]);
          facets[key].push(entry);
        }
      }
      const [sel] = (await con.runAndReadAll(`SELECT count(*), min(event_ms), max(event_ms) FROM ${from} WHERE ${where.sql}`, where.params as DuckDBValue[])).getRows();
      const selected = num(sel[0]);
      const timeline = await this.timeline(con, selection, from, where, stackBy, stackBy ? facets[stackBy] : []);
      return {
        total,
        selected,
        first: sel[1] === null ? undefined : num(sel[1]),
        last: sel[2] === null ? undefined : num(sel[2]),
        timeline,
        facets,
      };
    });
  }

  private async timeline(con: DuckDBConnection, selection: Selection, from: string, where: Where, stackBy: FacetKey | undefined, stackValues: FacetValue[]): Promise<Timeline> {
    // The x axis is the chosen time window, else the whole investigation: filtering by caller or IP
    // keeps the axis, so two selections compare at a glance.
    let start = selection.start;
    let end = selection.end;
    if (start === undefined || end === undefined) {
      const [range] = (await con.runAndReadAll('SELECT min(event_ms), max(event_ms) FROM ctl_events')).getRows();
      if (range[0] === null) return { bucketMs: 60_000, series: ['events'], buckets: [] };
      start ??= num(range[0]);
      end ??= num(range[1]) + 1;
    }
    const width = bucketWidth(end - start);
    const origin = Math.floor(start / width) * width;
    const top = stackBy ? stackValues.slice(0, STACK_TOP).map((v) => v.value) : [];
    const series = stackBy ? [...top, '(other)'] : ['events'];
    const params = [...where.params];
    let stackExpr = '0';
    if (stackBy && top.length > 0) {
      const cases = top.map((v, i) => {
        params.push(v);
        return `WHEN ${FACET_EXPRESSIONS[stackBy]} = $${params.length} THEN ${i}`;
      });
      stackExpr = `CASE ${cases.join(' ')} ELSE ${top.length} END`;
    } else if (stackBy) {
      stackExpr = String(top.length);
    }
    const rows = (
      await con.runAndReadAll(
        `SELECT (event_ms - ${origin}) // ${width} AS b, ${stackExpr} AS s, count(*) AS n,
                count(*) FILTER (WHERE sensitive_action IS NOT NULL) AS sens, count(*) FILTER (WHERE errorcode IS NOT NULL) AS errs,
                count(*) FILTER (WHERE detection IS NOT NULL) AS dets
         FROM ${from} WHERE ${where.sql} AND event_ms IS NOT NULL GROUP BY ALL ORDER BY b, s`,
        params as DuckDBValue[],
      )
    ).getRows();
    const count = Math.max(1, Math.ceil((end - origin) / width));
    const buckets = Array.from({ length: Math.min(count, 2000) }, (_, i) => ({ t: origin + i * width, counts: series.map(() => 0), sensitive: 0, errors: 0, detections: 0 }));
    for (const r of rows) {
      const b = buckets[num(r[0])];
      if (!b) continue;
      b.counts[num(r[1])] += num(r[2]);
      b.sensitive += num(r[3]);
      b.errors += num(r[4]);
      b.detections += num(r[5]);
    }
    return { bucketMs: width, series, buckets };
  }

  /** A window of the table, in the sort asked; deep windows read a materialized order. */
  async rows(selection: Selection, sort: TableSort, offset: number, limit: number, signal?: AbortSignal): Promise<{ total: number; rows: TableRow[] }> {
    const con = this.rowsCon;
    offset = Math.max(0, Math.floor(offset));
    limit = Math.max(0, Math.min(1000, Math.floor(limit)));
    return interruptible(con, signal, async () => {
      const where = await this.searchedWhere(con, selection, signal);
      const key = JSON.stringify([selection, sort]);
      if (key !== this.windowKey) {
        this.windowKey = key;
        const table = `ctl_window_${++this.windowSeq}`;
        const previous = `ctl_window_${this.windowSeq - 1}`;
        // Materialized once per selection and sort (in the background of the first window):
        // afterwards any window is a range read, however deep.
        this.windowDone = false;
        this.windowReady = (async () => {
          await this.windowCon.run(`DROP TABLE IF EXISTS ${previous}`);
          await this.windowCon.run(
            `CREATE TEMP TABLE ${table} AS SELECT row_number() OVER (ORDER BY ${orderOf(sort)}) - 1 AS ord, row_id FROM ctl_events WHERE ${where.sql} ORDER BY ord`,
            where.params as DuckDBValue[],
          );
          if (this.windowKey === key) this.windowDone = true;
          return true;
        })().catch(() => false);
        this.windowTable = table;
      }
      const select = `SELECT row_id, eventtime, caller_label, eventname, eventsource, sourceipaddress, coalesce(errorcode, 'success'), awsregion, sensitive_action, detection, detection_level FROM ctl_events`;
      let rows: DuckDBValue[][];
      let total: number;
      const materialized = offset > 0 ? await this.windowReady : this.windowDone;
      if (materialized) {
        const ids = (await this.windowCon.runAndReadAll(`SELECT row_id FROM ${this.windowTable} WHERE ord >= ${offset} AND ord < ${offset + limit} ORDER BY ord`)).getRows().map((r) => r[0]);
        total = num((await this.windowCon.runAndReadAll(`SELECT count(*) FROM ${this.windowTable}`)).getRows()[0][0]);
        if (ids.length === 0) return { total, rows: [] };
        const found = (await con.runAndReadAll(`${select} WHERE row_id IN (${ids.map((id) => String(id)).join(', ')})`)).getRows();
        const byId = new Map(found.map((r) => [String(r[0]), r]));
        rows = ids.map((id) => byId.get(String(id))).filter((r): r is DuckDBValue[] => r !== undefined);
      } else {
        rows = (await con.runAndReadAll(`${select} WHERE ${where.sql} ORDER BY ${orderOf(sort)} LIMIT ${limit} OFFSET ${offset}`, where.params as DuckDBValue[])).getRows();
        total = num((await con.runAndReadAll(`SELECT count(*) FROM ctl_events WHERE ${where.sql}`, where.params as DuckDBValue[])).getRows()[0][0]);
      }
      return {
        total,
        rows: rows.map((r) => {
          const row: TableRow = { id: num(r[0]), time: str(r[1]), caller: str(r[2]), action: str(r[3]), source: str(r[4]), ip: str(r[5]), outcome: str(r[6]), region: str(r[7]) };
          if (r[8] !== null) row.sensitive = str(r[8]);
          if (r[9] !== null) {
            row.detection = str(r[9]);
            row.detectionLevel = str(r[10]);
          }
          return row;
        }),
      };
    });
  }
  private windowTable = '';

  /** Who did what from where, first and last seen, new access keys, failed calls: over the selection. */
  async summary(selection: Selection, signal?: AbortSignal): Promise<InvestigationSummary> {
    const con = this.otherCon;
    return interruptible(con, signal, async () => {
      const w = await this.searchedWhere(con, selection, signal);
      const p = w.params as DuckDBValue[];
      const q = async (sql: string): Promise<DuckDBValue[][]> => (await con.runAndReadAll(sql, p)).getRows();
      const www = await q(
        `SELECT caller_label, sensitive_action, coalesce(sourceipaddress, ''), count(*) n, min(eventtime), max(eventtime) FROM ctl_events
         WHERE ${w.sql} AND sensitive_action IS NOT NULL GROUP BY caller_key, caller_label, sensitive_action, sourceipaddress ORDER BY n DESC, 1 LIMIT 100`,
      );
      const callers = await q(`SELECT any_value(caller_label), count(*) n, min(eventtime), max(eventtime), caller_key FROM ctl_events WHERE ${w.sql} GROUP BY caller_key ORDER BY n DESC, 1 LIMIT 100`);
      const created = await q(
        `SELECT json_extract_string(responseelements, '$.accessKey.accessKeyId') k, caller_label, eventtime FROM ctl_events
         WHERE ${w.sql} AND eventname = 'CreateAccessKey' AND errorcode IS NULL AND k IS NOT NULL ORDER BY event_ms LIMIT 100`,
      );
      const firstUse = await q(
        `SELECT useridentity.accessKeyId k, arg_min(caller_label, event_ms), min(eventtime) FROM ctl_events
         WHERE ${w.sql} AND useridentity.accessKeyId LIKE 'AKIA%' GROUP BY k ORDER BY min(event_ms) DESC LIMIT 50`,
      );
      const failed = await q(
        `SELECT any_value(caller_label), count(*) n, mode(errorcode) FROM ctl_events WHERE ${w.sql} AND errorcode IS NOT NULL GROUP BY caller_key ORDER BY n DESC, 1 LIMIT 100`,
      );
      const byRule = await q(
        `SELECT title, level, count(*) n, sum(len(event_ids)) e, min(first_time), max(level_rank) r FROM ctl_findings ${findingsIn(w)}
         GROUP BY title, level ORDER BY r DESC, n DESC, title LIMIT 100`,
      );
      return {
        whoWhatWhere: www.map((r) => ({ caller: str(r[0]), action: str(r[1]), ip: str(r[2]), count: num(r[3]), first: str(r[4]), last: str(r[5]) })),
        callers: callers.map((r) => ({ caller: str(r[0]), count: num(r[1]), first: str(r[2]), last: str(r[3]) })),
        newAccessKeys: [
          ...created.map((r) => ({ accessKey: str(r[0]), caller: str(r[1]), first: str(r[2]), via: 'created (CreateAccessKey)' })),
          ...firstUse.map((r) => ({ accessKey: str(r[0]), caller: str(r[1]), first: str(r[2]), via: 'long-term key, first used in the selection' })),
        ],
        failedByCaller: failed.map((r) => ({ caller: str(r[0]), errors: num(r[1]), topError: str(r[2]) })),
        findingsByRule: byRule.map((r) => ({ title: str(r[0]), level: str(r[1]), findings: num(r[2]), events: num(r[3]), first: str(r[4]) })),
      };
    });
  }

  /**
   * The findings of the rules run at ingest, highest level first, then by time: every one, or those
   * with an event in the selection; at most 5,000.
   */
  async findings(selection?: Selection, signal?: AbortSignal): Promise<Finding[]> {
    const con = this.otherCon;
    return interruptible(con, signal, async () => {
      const w = whereOf(selection ?? {});
      const rows = (await con.runAndReadAll(`SELECT finding FROM ctl_findings ${findingsIn(w)} ORDER BY level_rank DESC, first_time NULLS LAST, finding_id LIMIT ${FINDINGS_MAX}`, w.params as DuckDBValue[])).getRows();
      return rows.map((r) => JSON.parse(str(r[0])) as Finding);
    });
  }

  /**
   * The selection's events (or the rows asked) in the table's order, whole as CloudTrail wrote
   * them, read back from the stored sources: at most `cap`; `total` says how many matched.
   */
  async slice(selection: Selection, sort: TableSort, cap: number, rowIds?: number[], signal?: AbortSignal): Promise<{ records: CloudTrailRecord[]; total: number; unreadable: number }> {
    const con = this.otherCon;
    return interruptible(con, signal, async () => {
      const w = whereOf(selection);
      let sql = w.sql;
      if (rowIds) sql = rowIds.length === 0 ? 'false' : `row_id IN (${rowIds.filter((id) => Number.isSafeInteger(id)).map(String).join(', ') || 'NULL'})`;
      const params = (rowIds ? [] : w.params) as DuckDBValue[];
      const total = num((await con.runAndReadAll(`SELECT count(*) FROM ctl_events WHERE ${sql}`, params)).getRows()[0][0]);
      const places = (await con.runAndReadAll(`SELECT source_id, source_position FROM ctl_events WHERE ${sql} ORDER BY ${orderOf(sort)} LIMIT ${Math.max(0, Math.floor(cap))}`, params)).getRows();
      const bySource = new Map<number, number[]>();
      for (const r of places) {
        const id = num(r[0]);
        const list = bySource.get(id) ?? [];
        list.push(num(r[1]));
        bySource.set(id, list);
      }
      const found = new Map<string, CloudTrailRecord>();
      let unreadable = 0;
      for (const [id, positions] of bySource) {
        signal?.throwIfAborted();
        const [row] = (await con.runAndReadAll(`SELECT name, gzip FROM ctl_sources WHERE source_id = ${id}`)).getRows();
        const blob = row?.[1] as { bytes?: Uint8Array } | null;
        let records: CloudTrailRecord[] | undefined;
        if (blob?.bytes) {
          try {
            const text = zlib.gunzipSync(blob.bytes, { maxOutputLength: 1024 * 1024 * 1024 });
            records = readDecoded(text, blob.bytes.length, str(row[0]), byteFacts(text, MAX_JSON_DEPTH, isUtf8)).records;
          } catch {
            records = undefined;
          }
        }
        for (const p of positions) {
          const record = records?.[p];
          if (record) found.set(`${id}:${p}`, record);
          else unreadable++;
        }
      }
      const records = places.map((r) => found.get(`${num(r[0])}:${num(r[1])}`)).filter((r): r is CloudTrailRecord => r !== undefined);
      return { records, total, unreadable };
    });
  }

  /**
   * Reads an Athena result file (CSV, header first) into `table`, replacing one of that name, with
   * the file's row order in its first column (RESULT_ROW_COLUMN). Refused, leaving the store as it
   * was, when the header is not the query's columns or any row is malformed or mistyped. Runs after
   * any ingest in progress, and keeps insertion order only for its own statement.
   */
  importResultCsv(file: string, table: string, columns: readonly ResultTableColumn[], signal?: AbortSignal): Promise<{ table: string; rows: number; columns: string[] }> {
    if (this.readOnly) return Promise.reject(new Error(`${this.file} is open read-only`));
    const run = this.ingesting.catch(() => undefined).then(() => this.importNow(file, table, columns, signal));
    this.ingesting = run;
    return run;
  }

  private async importNow(file: string, table: string, columns: readonly ResultTableColumn[], signal?: AbortSignal): Promise<{ table: string; rows: number; columns: string[] }> {
    const sql = resultTableSql(file, table, columns);
    const opened = await openRegularFile(file);
    let header: string[];
    try {
      // The header only (a cap of -1 stops after the first record), from the first 4 MB at most.
      header = (await readCsv(opened.handle.createReadStream({ start: 0, end: 4 * 1024 * 1024, autoClose: false }), -1, file)).header;
    } finally {
      await opened.handle.close();
    }
    const expected = columns.map((c) => c.name);
    if (header.length !== expected.length || header.some((h, i) => h !== expected[i])) {
      throw new Error(`${file}: its header (${header.slice(0, 8).join(', ')}) is not the query's columns (${expected.slice(0, 8).join(', ')}), so it is not this query's result file`);
    }
    const con = this.write;
    return interruptible(con, signal, async () => {
      // The store runs without insertion order (faster ingest); the row numbers must follow the file.
      await con.run('SET preserve_insertion_order = true');
      try {
        await con.run(sql);
      } catch (error) {
        throw new Error(`${file} could not be read into table ${table}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
      } finally {
        await con.run('SET preserve_insertion_order = false');
      }
      const [row] = (await con.runAndReadAll(`SELECT count(*) FROM ${sqlIdent(table)}`)).getRows();
      return { table, rows: num(row?.[0]), columns: [RESULT_ROW_COLUMN, ...tableColumnNames(columns)] };
    });
  }

  /** Any SQL (the CLI's `query`); values as JSON would write them (big integers as digits). */
  async query(sql: string, signal?: AbortSignal, maxRows = 1_000_000): Promise<QueryResult> {
    const con = this.otherCon;
    return interruptible(con, signal, async () => {
      const reader = await con.runAndReadUntil(sql, maxRows);
      const columns = reader.columnNames();
      const rows = reader.getRowsJson().slice(0, maxRows) as unknown[][];
      return { columns, rows };
    });
  }
}

export { StoreUnavailableError };
export const INVESTIGATION_EXTENSION = '.ctinv';
