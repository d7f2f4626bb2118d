import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import { clearNotifications, hoverLinks, hoverText, notifications, probesDir, runLink } from '../editorQueries';
import { sensitiveAction } from '../../../src/core/events/actions';
import { invictusDir } from '../../fixtures/paths';

async function lensTitles(uri: vscode.Uri, count: number): Promise<string[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, count)) ?? [];
  return lenses.slice(0, count).map((l) => l.command?.title ?? '(unresolved)');
}

function positionOf(document: vscode.TextDocument, needle: string, from = 0): vscode.Position {
  const at = document.getText().indexOf(needle, from);
  assert.ok(at >= 0, `${needle} not found`);
  return document.positionAt(at + 2);
}

async function eventCount(editor: vscode.TextEditor): Promise<number> {
  return (JSON.parse(editor.document.getText()) as { Records: unknown[] }).Records.length;
}

describe('Event documents', function () {
  this.timeout(120_000);
  let editor: vscode.TextEditor;

  before(async () => {
    await vscode.extensions.getExtension('cloudtrail-lens.cloudtrail-lens')?.activate();
    const opened = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('cloudtrailLens.openAsEvents', undefined, [vscode.Uri.file(invictusDir)]);
    assert.ok(opened, 'Open as CloudTrail Events opened no editor');
    editor = opened;
  });

  it('opens a folder of real log files as one sorted, read-only cloudtrail document of valid JSON', async () => {
    const document = editor.document;
    assert.equal(document.uri.scheme, 'cloudtrail-lens');
    assert.equal(document.languageId, 'cloudtrail');
    assert.equal(path.basename(document.uri.path), 'CloudTrail.cloudtrail');
    const records = (JSON.parse(document.getText()) as { Records: { eventTime: string }[] }).Records;
    assert.equal(records.length, 2900);
    const times = records.map((r) => r.eventTime);
    assert.deepEqual(times, [...times].sort());
  });

  it('shows a caller lens and an IP lens above each event, with counts', async () => {
    const titles = await lensTitles(editor.document.uri, 6);
    assert.deepEqual(titles, [
      'benjamin · IAMUser · 105 events here',
      '10.248.16.43 · private IPv4 · 89 events here',
      'benjamin · IAMUser · 105 events here',
      '10.248.16.43 · private IPv4 · 89 events here',
      'benjamin · IAMUser · 105 events here',
      '10.248.16.43 · private IPv4 · 89 events here',
    ]);
    // executeCodeLensProvider returns only the lenses it resolved: resolve them all to count them.
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 10_000)) ?? [];
    // Besides: a detection lens above each event a rule matched (see detections.test.ts).
    const ownLenses = lenses.filter((l) => !l.command?.title.startsWith('$(warning) '));
    assert.equal(ownLenses.length, 5800 - (await countEventsWithoutSource(editor.document)));
    assert.equal(lenses[0].range.start.line, 2);
  });

  it('explains a source IP, an error code and an identity in hovers', async () => {
    const document = editor.document;
    const ip = await hoverText(document.uri, positionOf(document, '"10.248.16.43"'));
    assert.match(ip, /\*\*Source\*\* `10\.248\.16\.43` · private IPv4/);
    assert.match(ip, /89 events from this source in this document, first `2023-07-10T11:42:18Z`/);
    const error = await hoverText(document.uri, positionOf(document, '"NoSuchPublicAccessBlockConfiguration"'));
    assert.match(error, /\*\*Error\*\* `NoSuchPublicAccessBlockConfiguration`/);
    const identity = await hoverText(document.uri, positionOf(document, '"userIdentity"'));
    assert.match(identity, /\*\*Caller\*\* `benjamin` · IAMUser/);
  });

  it('hover links act on the hovered value: pivot, narrow, copy; the caller card is on the userIdentity key only', async () => {
    const errors = await vscode.commands.executeCommand<vscode.TextEditor>('cloudtrailLens.openFiltered', editor.document.uri, { kind: 'errors' });
    const document = errors.document;
    assert.equal(await hoverText(document.uri, positionOf(document, '"userName"')), '');
    const identity = await hoverText(document.uri, positionOf(document, '"userIdentity"'));
    const links = hoverLinks(identity);
    assert.deepEqual(
      links.map((l) => l.label),
      ['All events of this caller', 'Only this caller here', 'Investigate', 'Copy ARN'],
    );
    const first = (JSON.parse(document.getText()) as { Records: { userIdentity: { arn: string } }[] }).Records[0].userIdentity.arn;
    const all = (JSON.parse(editor.document.getText()) as { Records: { userIdentity?: { arn?: string }; errorCode?: string }[] }).Records;
    const pivot = await runLink<vscode.TextEditor>(links[0]);
    assert.equal(await eventCount(pivot), all.filter((r) => r.userIdentity?.arn === first).length);
    const narrowed = await runLink<vscode.TextEditor>(links[1]);
    assert.equal(await eventCount(narrowed), all.filter((r) => r.userIdentity?.arn === first && r.errorCode).length);
    assert.match(path.basename(narrowed.document.uri.path), /^CloudTrail · failed calls · .+\.cloudtrail$/);
    await runLink(links[3]);
    assert.equal(await vscode.env.clipboard.readText(), first);
    // The whole document: nothing to narrow, so no "Only … here" link.
    const ip = hoverLinks(await hoverText(editor.document.uri, positionOf(editor.document, '"10.248.16.43"')));
    assert.deepEqual(
      ip.map((l) => l.label),
      ['All events of this source', 'Investigate', 'Copy address'],
    );
  });

  it('lists every event in the outline', async () => {
    const symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', editor.document.uri)) ?? [];
    assert.equal(symbols.length, 2900);
    assert.equal(symbols[0].name, 'GetRegionOptStatus');
    assert.match(symbols[0].detail, /^2023-07-10T11:42:18Z · benjamin · 10\.248\.16\.43$/);
  });

  it('opens a caller lens as a derived document holding only that caller’s events', async () => {
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 1)) ?? [];
    const command = lenses[0].command;
    assert.ok(command);
    const derived = await vscode.commands.executeCommand<vscode.TextEditor>(command.command, ...(command.arguments ?? []));
    assert.equal(path.basename(derived.document.uri.path), 'CloudTrail · benjamin.cloudtrail');
    assert.equal(await eventCount(derived), 105);
    const titles = await lensTitles(derived.document.uri, 1);
    assert.equal(titles[0], 'benjamin · IAMUser · 105 events here');
  });

  it('pivots from a filtered document: a caller lens opens every event of that caller in the whole source', async () => {
    const errors = await vscode.commands.executeCommand<vscode.TextEditor>('cloudtrailLens.openFiltered', editor.document.uri, { kind: 'errors' });
    const lenses = ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', errors.document.uri, 4)) ?? []).filter((l) => !l.command?.title.startsWith('$(warning) '));
    const command = lenses[0].command;
    assert.ok(command);
    assert.match(command.tooltip ?? '', /^Open every event of .* in the whole source of this document \(Filter Events… narrows this one\)$/);
    const inErrors = Number(/· (\d+) events? here$/.exec(command.title)?.[1]);
    const pivot = await vscode.commands.executeCommand<vscode.TextEditor>(command.command, ...(command.arguments ?? []));
    const label = /^(.*?) · /.exec(command.title)?.[1] ?? '';
    assert.equal(path.basename(pivot.document.uri.path), `CloudTrail · ${label}.cloudtrail`);
    const all = (JSON.parse(editor.document.getText()) as { Records: { userIdentity?: { arn?: string; userName?: string } }[] }).Records;
    const pivoted = (JSON.parse(pivot.document.getText()) as { Records: { userIdentity?: { arn?: string } }[] }).Records;
    const arn = pivoted[0].userIdentity?.arn;
    assert.ok(arn);
    assert.equal(pivoted.length, all.filter((r) => r.userIdentity?.arn === arn).length);
    assert.ok(pivoted.length > inErrors, `${pivoted.length} events in the source, ${inErrors} in the errors document`);
  });

  it('filters to errors only, and exports the result as CSV', async () => {
    await vscode.window.showTextDocument(editor.document);
    const errors = await vscode.commands.executeCommand<vscode.TextEditor>('cloudtrailLens.openFiltered', editor.document.uri, { kind: 'errors' });
    const count = await eventCount(errors);
    assert.equal(count, (JSON.parse(editor.document.getText()) as { Records: { errorCode?: string }[] }).Records.filter((r) => r.errorCode).length);
    assert.ok(count > 100);
    const target = vscode.Uri.file(path.join(mkdtempSync(path.join(tmpdir(), 'export-')), 'errors.csv'));
    await vscode.commands.executeCommand('cloudtrailLens.exportEventsCsv', target);
    const csv = readFileSync(target.fsPath, 'utf8').trimEnd().split('\r\n');
    assert.equal(csv.length, count + 1);
    assert.match(csv[0], /^eventTime,eventName,eventSource,.*,requestParameters,responseElements,resources$/);
    assert.ok(csv.slice(1).some((row) => /"\{""[a-zA-Z]+"":/.test(row)), 'no row holds requestParameters as JSON');
  });

  it('goes to an event picked in "Go to Event…"', async () => {
    await vscode.window.showTextDocument(editor.document);
    const picking = vscode.commands.executeCommand('cloudtrailLens.goToEvent');
    await pause(1000);
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await picking;
    // The third event's opening brace: lines 2, 30 and 80 hold the first three (see the lens test).
    assert.equal(vscode.window.activeTextEditor?.selection.active.line, 80);
  });

  it('"Go to Event…" takes several words in any order: the first event with both', async () => {
    await vscode.window.showTextDocument(editor.document);
    const symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', editor.document.uri)) ?? [];
    const target = symbols.find((s) => s.name === 'GetBucketPolicy' && s.detail.includes('bert-jan'));
    assert.ok(target, 'no GetBucketPolicy by bert-jan in the dataset');
    const picking = vscode.commands.executeCommand('cloudtrailLens.goToEvent', 'BERT-JAN getbucketpolicy');
    await pause(1000);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await picking;
    assert.equal(vscode.window.activeTextEditor?.selection.active.line, target.range.start.line);
  });

  it('"Open as CloudTrail Events" from the palette asks, offering the active file first', async () => {
    const file = path.join(invictusDir, '218007301253_CloudTrail_us-east-1_20230710T1145Z_7xgocspSowgK0Gto.json');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(file)));
    const opening = vscode.commands.executeCommand<vscode.TextEditor | undefined>('cloudtrailLens.openAsEvents');
    await pause(1000);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const opened = await opening;
    assert.ok(opened, 'the active file was not offered first');
    assert.equal(opened.document.uri.scheme, 'cloudtrail-lens');
    assert.equal(await eventCount(opened), (JSON.parse(readFileSync(file, 'utf8')) as { Records: unknown[] }).Records.length);
  });

  it('a file that cannot be opened gives one notification, with its name and the reason', async function () {
    if (!probesDir) this.skip(); // reading the notification center needs the harness's browser page
    const dir = mkdtempSync(path.join(tmpdir(), 'broken-'));
    writeFileSync(path.join(dir, 'broken.json'), '{"Records": [ {"eventName": "x", ');
    await clearNotifications();
    const opened = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('cloudtrailLens.openAsEvents', vscode.Uri.file(path.join(dir, 'broken.json')));
    assert.equal(opened, undefined);
    const shown = await notifications();
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.match(shown[0].message, /^Could not open broken\.json: .+\.$/);
    assert.deepEqual(shown[0].buttons, ['Show Log']);
    await clearNotifications();
  });

  it('filters by the most frequent event name picked from "Filter Events…"', async () => {
    await vscode.window.showTextDocument(editor.document);
    const filtering = vscode.commands.executeCommand<vscode.TextEditor>('cloudtrailLens.filterEvents', 'eventName');
    await pause(1000);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const derived = await filtering;
    assert.equal(path.basename(derived.document.uri.path), 'CloudTrail · Decrypt.cloudtrail');
    assert.equal(await eventCount(derived), 178);
  });

  it('filters to sensitive actions from "Filter Events…", and to several event names at once', async () => {
    await vscode.window.showTextDocument(editor.document);
    const records = (JSON.parse(editor.document.getText()) as { Records: { eventSource?: string; eventName?: string; userIdentity?: { type?: string } }[] }).Records;
    const sensitive = await vscode.commands.executeCommand<vscode.TextEditor>('cloudtrailLens.filterEvents', 'sensitive');
    assert.equal(path.basename(sensitive.document.uri.path), 'CloudTrail · sensitive actions.cloudtrail');
    const expected = records.filter((r) => sensitiveAction(r.eventSource, r.eventName) !== undefined).length;
    assert.ok(expected > 10);
    assert.equal(await eventCount(sensitive), expected);
    // Several names at once: one document with the events of any of them.
    const both = await vscode.commands.executeCommand<vscode.TextEditor>('cloudtrailLens.openFiltered', editor.document.uri, { kind: 'eventName', value: 'StopLogging', more: ['DeleteTrail'] });
    assert.equal(path.basename(both.document.uri.path), 'CloudTrail · StopLogging, DeleteTrail.cloudtrail');
    assert.equal(await eventCount(both), records.filter((r) => r.eventName === 'StopLogging' || r.eventName === 'DeleteTrail').length);
  });

  it('filters by a time window typed in two input boxes (prefilled with the first and last event)', async () => {
    await vscode.window.showTextDocument(editor.document);
    const filtering = vscode.commands.executeCommand<vscode.TextEditor>('cloudtrailLens.filterEvents', 'timeWindow');
    await pause(800);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await pause(800);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const derived = await filtering;
    assert.equal(path.basename(derived.document.uri.path), 'CloudTrail · 2023-07-10 11\uA78942\uA78918Z to 2023-07-10 12\uA78937\uA78950Z.cloudtrail');
    assert.equal(await eventCount(derived), 2900);
  });

  it('hovers in a raw CloudTrail log file opened as plain JSON', async () => {
    const file = path.join(invictusDir, '218007301253_CloudTrail_us-east-1_20230710T1145Z_7xgocspSowgK0Gto.json');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'json');
    const text = await hoverText(document.uri, positionOf(document, '"GetStorageLensConfiguration"'));
    assert.match(text, /\*\*Action\*\* `GetStorageLensConfiguration` · Amazon S3/);
  });

  it('names tabs after what they hold: region and day of a trail folder, time of a log file, the filter values', async () => {
    const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const day = path.join(workspace, 'trail-logs', 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2026', '11', '01');
    const opened = await vscode.commands.executeCommand<vscode.TextEditor>('cloudtrailLens.openAsEvents', vscode.Uri.file(day));
    assert.equal(path.basename(opened.document.uri.path), 'us-east-1 · 2026-11-01.cloudtrail');
    const file = readdirSync(day).find((f) => f.endsWith('.json.gz'))!;
    const [, hh, mm] = /T(\d{2})(\d{2})Z_/.exec(file)!;
    const single = await vscode.commands.executeCommand<vscode.TextEditor>('cloudtrailLens.openAsEvents', vscode.Uri.file(path.join(day, file)));
    assert.equal(path.basename(single.document.uri.path), `us-east-1 · 2026-11-01 ${hh}\uA789${mm}.cloudtrail`);
    const month = await vscode.commands.executeCommand<vscode.TextEditor>('cloudtrailLens.openAsEvents', vscode.Uri.file(path.dirname(day)));
    assert.equal(path.basename(month.document.uri.path), 'us-east-1 · 2026-11.cloudtrail');
  });

  it('shows the events of good files and leaves out a truncated one, never a partial file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mixed-'));
    const good = readFileSync(path.join(invictusDir, '218007301253_CloudTrail_us-east-1_20230710T1145Z_7xgocspSowgK0Gto.json'));
    writeFileSync(path.join(dir, 'good.json.gz'), gzipSync(good));
    writeFileSync(path.join(dir, 'truncated.json.gz'), gzipSync(good).subarray(0, 200));
    const opened = await vscode.commands.executeCommand<vscode.TextEditor>('cloudtrailLens.openAsEvents', vscode.Uri.file(dir));
    assert.equal(await eventCount(opened), (JSON.parse(good.toString()) as { Records: unknown[] }).Records.length);
  });
});

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function countEventsWithoutSource(document: vscode.TextDocument): Promise<number> {
  return (JSON.parse(document.getText()) as { Records: { sourceIPAddress?: string }[] }).Records.filter((r) => r.sourceIPAddress === undefined).length;
}
