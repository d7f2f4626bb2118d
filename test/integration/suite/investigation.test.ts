// The Investigation view in the real VS Code: the store thread, the real webview (what it asks, and
// through the harness's probes what it shows), slices opened with lenses, and event documents that
// offer an investigation instead of a document without lenses.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HostMessage, WebviewMessage } from '../../../src/extension/investigation/protocol';
import type { InvestigationDocument, InvestigationEditorProvider } from '../../../src/extension/investigation/investigationEditor';
import type { Overview } from '../../../src/core/store/selection';
import { invictusDir } from '../../fixtures/paths';
import { hoverLinks, hoverText, probe, probesDir, runLink } from '../editorQueries';
import { simulateTrail, writeTrailToFolder } from '../../fixtures/simulator';
import { WORKSPACE_TRAIL } from '../prepareWorkspace';

const BERT = 'arn:aws:iam::123837392027:user/bert-jan';

interface Exchange {
  document: InvestigationDocument;
  direction: 'from-view' | 'to-view';
  message: WebviewMessage | HostMessage;
}


interface ViewReading {
  events: number;
  selected: number;
  facets: Record<string, { value: string; count: number; pressed: string | null }[]>;
  buckets: { t: number; count: number }[];
  rows: { id: string; cells: string[] }[];
  unavailable: string | null;
}

describe('Investigations', function () {
  this.timeout(180_000);
  let api: { investigations: InvestigationEditorProvider };
  let dir: string;
  const exchanges: Exchange[] = [];
  let watch: vscode.Disposable;

  /** The first message matching `test` (already exchanged, or the next one). */
  function waitFor(test: (e: Exchange) => boolean, timeoutMs = 60_000): Promise<Exchange> {
    const seen = exchanges.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error('the view and the host did not exchange the awaited message'));
      }, timeoutMs);
      const sub = api.investigations.onDidExchange((e) => {
        if (!test(e)) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(e);
      });
    });
  }

  before(async () => {
    const extension = vscode.extensions.getExtension<{ investigations: InvestigationEditorProvider }>('cloudtrail-lens.cloudtrail-lens')!;
    api = await extension.activate();
    watch = api.investigations.onDidExchange((e) => exchanges.push(e));
    dir = mkdtempSync(path.join(tmpdir(), 'investigation-it-'));
  });

  after(async () => {
    watch.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(dir, { recursive: true, force: true });
  });

  describe('over the shared Invictus dataset', () => {
    let document: InvestigationDocument;

    before(async () => {
      exchanges.length = 0;
      const target = vscode.Uri.file(path.join(dir, 'invictus.ctinv'));
      const opened = await vscode.commands.executeCommand<InvestigationDocument | undefined>('cloudtrailLens.newInvestigation', undefined, [vscode.Uri.file(invictusDir)], target);
      assert.ok(opened?.client, 'New Investigation opened no investigation');
      document = opened;
    });

    it('stores every event of the dataset and the view shows their count', async () => {
      const info = await document.client!.info();
      assert.equal(info.events, 2900);
      assert.equal(info.sources.length, 55);
      const init = await waitFor((e) => e.document === document && e.message.type === 'init' && e.message.info.events === 2900);
      assert.equal((init.message as Extract<HostMessage, { type: 'init' }>).info.name, 'invictus.ctinv');
    });

    it('answers the real webview: facet counts, timeline buckets and table rows', async () => {
      const asked = await waitFor((e) => e.document === document && e.direction === 'from-view' && e.message.type === 'overview');
      assert.deepEqual((asked.message as Extract<WebviewMessage, { type: 'overview' }>).selection.include ?? {}, {});
      const reply = await waitFor((e) => e.document === document && e.message.type === 'overview' && e.direction === 'to-view' && (e.message as { overview: Overview }).overview.total === 2900);
      const overview = (reply.message as Extract<HostMessage, { type: 'overview' }>).overview;
      assert.deepEqual(overview.facets.caller[0], { value: BERT, count: 2641, label: 'bert-jan' });
      assert.equal(overview.facets.errorCode.find((v) => v.value === 'ThrottlingException')?.count, 102);
      assert.equal(overview.facets.region[0].value, 'us-east-1');
      assert.equal(overview.timeline.buckets.reduce((n, b) => n + b.counts.reduce((a, c) => a + c, 0), 0), 2900);
      assert.equal(overview.timeline.bucketMs, 30_000);
      // The view may ask while the ingest still runs (rules make it longer): the answer after it counts.
      const rows = await waitFor((e) => e.document === document && e.message.type === 'rows' && e.direction === 'to-view' && (e.message as Extract<HostMessage, { type: 'rows' }>).total === 2900);
      const r = rows.message as Extract<HostMessage, { type: 'rows' }>;
      assert.equal(r.total, 2900);
      assert.equal(r.rows[0].time, '2023-07-10T11:42:18Z');
    });

    it('shows the counts in the view, and a click on a facet value narrows the selection', async function () {
      if (!probesDir) this.skip(); // the @vscode/test-electron runner has no browser page to read the webview with
      const shown = await probe<ViewReading>('read-investigation');
      assert.equal(shown.events, 2900);
      assert.equal(shown.selected, 2900);
      assert.deepEqual(shown.facets.caller[0], { value: BERT, count: 2641, pressed: 'false' });
      assert.equal(shown.buckets.reduce((n, b) => n + b.count, 0), 2900);
      assert.ok(shown.rows.length > 10, `${shown.rows.length} table rows shown`);
      const narrowed = await probe<ViewReading>('click-facet', { facet: 'errorCode', value: 'ThrottlingException' });
      assert.equal(narrowed.selected, 102);
      assert.equal(narrowed.buckets.reduce((n, b) => n + b.count, 0), 102);
      const asked = await waitFor((e) => e.direction === 'from-view' && e.message.type === 'overview' && ((e.message as Extract<WebviewMessage, { type: 'overview' }>).selection.include?.errorCode ?? []).includes('ThrottlingException'));
      assert.ok(asked);
      const excluded = await probe<ViewReading>('click-facet', { facet: 'region', value: 'us-east-1', alt: true });
      assert.ok(excluded.selected < 102, `excluding us-east-1 left ${excluded.selected}`);
    });

    it('computes detections at ingest: the Detections facet, timeline marks, and Findings rows that open their events', async () => {
      const reply = await waitFor((e) => e.document === document && e.message.type === 'overview' && e.direction === 'to-view' && (e.message as { overview: Overview }).overview.total === 2900);
      const overview = (reply.message as Extract<HostMessage, { type: 'overview' }>).overview;
      const deleted = overview.facets.detection.find((v) => v.value === 'CloudTrail Trail Deleted');
      assert.equal(deleted?.count, 3, JSON.stringify(overview.facets.detection.slice(0, 10)));
      assert.ok(overview.timeline.buckets.some((b) => b.detections > 0));
      const findingsApi = (api as unknown as { findings: { rows(): { finding: { title: string; eventIds: string[] }; source: { kind: string; label: string }; open(): Thenable<unknown> }[] } }).findings;
      const deadline = Date.now() + 30_000;
      const trailDeletedRows = () => findingsApi.rows().filter((r) => r.source.kind === 'investigation' && r.source.label === 'invictus.ctinv' && r.finding.title === 'CloudTrail Trail Deleted');
      while (trailDeletedRows().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const trailDeleted = trailDeletedRows();
      assert.equal(trailDeleted.length, 3);
      const editor = (await trailDeleted[0].open()) as vscode.TextEditor | undefined;
      assert.ok(editor, 'the finding opened no document');
      const records = (JSON.parse(editor.document.getText()) as { Records: { eventID: string; eventName: string }[] }).Records;
      assert.deepEqual(records.map((r) => r.eventID), trailDeleted[0].finding.eventIds);
      assert.equal(records[0].eventName, 'DeleteTrail');
    });

    it('opens a slice as an event document with its lenses', async () => {
      const editor = await api.investigations.openSlice(document, { include: { errorCode: ['ThrottlingException'] } }, { column: 'time', descending: false });
      assert.ok(editor, 'no document opened');
      assert.equal(editor.document.languageId, 'cloudtrail');
      const records = (JSON.parse(editor.document.getText()) as { Records: { errorCode: string }[] }).Records;
      assert.equal(records.length, 102);
      assert.ok(records.every((x) => x.errorCode === 'ThrottlingException'));
      const lenses = ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 8)) ?? []).filter((l) => !l.command?.title.startsWith('$(warning) '));
      const titles = lenses.slice(0, 2).map((l) => l.command?.title ?? '');
      assert.match(titles[0], / · .* · \d+ events here$/);
      assert.match(titles[1], / · .*IPv4 · \d+ events here$/);
    });

    it('"Open in Investigation" reads an event document\'s sources', async () => {
      const opened = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('cloudtrailLens.openAsEvents', undefined, [vscode.Uri.file(path.join(invictusDir, '218007301253_CloudTrail_us-east-1_20230710T1220Z_WMiHxZgr5Hdd6UDc.json'))]);
      assert.ok(opened);
      const count = (JSON.parse(opened.document.getText()) as { Records: unknown[] }).Records.length;
      const target = vscode.Uri.file(path.join(dir, 'from-document.ctinv'));
      const investigation = await vscode.commands.executeCommand<InvestigationDocument | undefined>('cloudtrailLens.openInInvestigation', opened.document.uri, undefined, target);
      assert.ok(investigation?.client);
      assert.equal((await investigation.client.info()).events, count);
    });
  });

  it('a hover\'s "Investigate" opens the sources with the view on that address', async () => {
    const file = vscode.Uri.file(path.join(invictusDir, '218007301253_CloudTrail_us-east-1_20230710T1220Z_WMiHxZgr5Hdd6UDc.json'));
    const opened = await vscode.commands.executeCommand<vscode.TextEditor>('cloudtrailLens.openAsEvents', file);
    const text = opened.document.getText();
    const records = (JSON.parse(text) as { Records: { sourceIPAddress?: string }[] }).Records;
    const ip = records[0].sourceIPAddress!;
    const link = hoverLinks(await hoverText(opened.document.uri, opened.document.positionAt(text.indexOf(`"${ip}"`) + 2))).find((l) => l.label === 'Investigate');
    exchanges.length = 0;
    const target = vscode.Uri.file(path.join(dir, 'from-hover.ctinv'));
    const investigation = await runLink<InvestigationDocument | undefined>(link, target);
    assert.ok(investigation?.client);
    assert.equal((await investigation.client.info()).events, records.length);
    const init = await waitFor((e) => e.document === investigation && e.message.type === 'init' && e.message.select !== undefined);
    assert.deepEqual((init.message as Extract<HostMessage, { type: 'init' }>).select, { include: { sourceIp: [ip] } });
    const asked = await waitFor((e) => e.document === investigation && e.direction === 'from-view' && e.message.type === 'overview' && ((e.message as Extract<WebviewMessage, { type: 'overview' }>).selection.include?.sourceIp ?? []).includes(ip));
    const overview = await investigation.client.overview((asked.message as Extract<WebviewMessage, { type: 'overview' }>).selection);
    assert.equal(overview.selected, records.filter((r) => r.sourceIPAddress === ip).length);
  });

  it('investigates the simulated trail of the workspace: regions and hours', async () => {
    const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const target = vscode.Uri.file(path.join(dir, 'trail.ctinv'));
    const document = await vscode.commands.executeCommand<InvestigationDocument | undefined>('cloudtrailLens.newInvestigation', vscode.Uri.file(path.join(workspace, WORKSPACE_TRAIL.folder)), undefined, target);
    assert.ok(document?.client);
    const { hours, filesPerHour, recordsPerFile, regions } = WORKSPACE_TRAIL;
    const total = hours * filesPerHour * recordsPerFile * regions.length;
    const overview = await document.client.overview({});
    assert.equal(overview.selected, total);
    assert.deepEqual(overview.facets.region.map((v) => [v.value, v.count]).sort(), regions.map((r) => [r, total / regions.length]).sort());
    const hourly = await document.client.overview({ start: overview.first!, end: overview.first! + 3_600_000 });
    assert.equal(hourly.timeline.buckets.reduce((n, b) => n + b.counts[0], 0), hourly.selected);
    assert.ok(hourly.selected > 0 && hourly.selected < total);
  });

  it('offers an investigation instead of an event document that would have no lenses', async () => {
    const big = path.join(dir, 'big');
    await writeTrailToFolder(simulateTrail({ seed: 11, hours: 4, filesPerHour: 9, recordsPerFile: 100, regions: ['us-east-1', 'eu-west-1'] }), big);
    const opened = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('cloudtrailLens.openAsEvents', vscode.Uri.file(path.join(big, 'AWSLogs')));
    assert.equal(opened, undefined, 'a document over 300,000 lines was opened without asking');
    const shown = vscode.window.visibleTextEditors.filter((e) => e.document.languageId === 'cloudtrail' && e.document.lineCount > 300_000);
    assert.equal(shown.length, 0);
    // The same trail, one region and hour: below the limit, it opens as a document as before.
    const hour = path.join(big, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1');
    const small = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('cloudtrailLens.openAsEvents', vscode.Uri.file(hour));
    assert.ok(small, 'half of the trail (3,600 events) should open as a document');
    // (the simulator repeats an eventID now and then, as CloudTrail does; the document folds it)
    assert.ok((JSON.parse(small.document.getText()) as { Records: unknown[] }).Records.length > 3590);
    assert.ok(small.document.lineCount < 300_000);
  });
});
