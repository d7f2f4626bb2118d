import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { IndexDetector } from '../../core/events/eventIndex';
import type { LoadedRules } from '../../core/detections/loadRules';
import type { RuleRefusal } from '../../core/detections/types';
import { escapeControl } from '../../core/text/safeText';
import type { Config } from '../config';
import { log } from '../log';

/**
 * The detection rules the editor runs: the shipped pack and the user's folders, read when the
 * first CloudTrail document is indexed (not at activation) and again when the settings change.
 * A user's rule that cannot run gets a diagnostic on its file and line.
 */
export class RuleService implements vscode.Disposable {
  private loading: Promise<LoadedRules | undefined> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the rules change (settings, a reload): indexes with findings are stale. */
  readonly onDidChange = this.changed.event;
  private readonly refusals = vscode.languages.createDiagnosticCollection('cloudtrailLens.rules');
  private key = '';

  constructor(private config: Config) {
    this.key = this.keyOf(config);
  }

  private keyOf(c: Config): string {
    return JSON.stringify([c.detectionsEnabled, c.builtinRulesEnabled, c.detectionRuleFolders, c.detectionDisabledRules, vscode.workspace.isTrusted]);
  }

  updateConfig(config: Config): void {
    this.config = config;
    const key = this.keyOf(config);
    if (key !== this.key) {
      this.key = key;
      this.reload();
    }
  }

  /** Reads the rules again (their files may have changed). */
  reload(): void {
    this.loading = undefined;
    this.changed.fire();
  }

  get minimumLevel(): Config['detectionMinimumLevel'] {
    return this.config.detectionMinimumLevel;
  }

  /** The rules, or undefined when detections are off or none could be read. */
  rules(): Promise<LoadedRules | undefined> {
    this.loading ??= this.load();
    return this.loading;
  }

  /** A matcher for one index build, or undefined when there are no rules. */
  async detector(): Promise<IndexDetector | undefined> {
    const loaded = await this.rules();
    if (!loaded) return undefined;
    const { DetectionBatch, groupFacts } = await import('../../core/detections/detectionRun');
    const batch = new DetectionBatch(loaded.ruleSet);
    return {
      addOne: (r) => batch.match(r),
      correlate: (hits) =>
        loaded.ruleSet.correlate(hits).map((f) => {
          f.event ??= groupFacts(f);
          return f;
        }),
    };
  }

  /** Rule folders as the user wrote them: `~` and paths relative to the first workspace folder resolved. */
  folders(): string[] {
    const base = vscode.workspace.workspaceFolders?.[0]?.uri.scheme === 'file' ? vscode.workspace.workspaceFolders[0].uri.fsPath : undefined;
    return this.config.detectionRuleFolders.map((f) => {
      const home = f === '~' || f.startsWith('~/') ? path.join(os.homedir(), f.slice(1)) : f;
      return path.isAbsolute(home) ? home : base ? path.join(base, home) : home;
    });
  }

  private async load(): Promise<LoadedRules | undefined> {
    this.refusals.clear();
    if (!this.config.detectionsEnabled) return undefined;
    const started = performance.now();
    try {
      const { loadRules } = await import('../../core/detections/loadRules');
      const loaded = await loadRules({ builtin: this.config.builtinRulesEnabled, folders: this.folders(), disabled: this.config.detectionDisabledRules });
      log.info(`Detections: ${loaded.ruleSet.rules.length} rule(s) loaded in ${(performance.now() - started).toFixed(0)} ms${loaded.refused.length ? `, ${loaded.refused.length} refused` : ''}`);
      this.showRefusals(loaded.refused);
      return loaded.ruleSet.rules.length > 0 ? loaded : undefined;
    } catch (error) {
      log.error('Detections: the rules could not be loaded', error);
      void vscode.window.showErrorMessage('CloudTrail Lens could not load its detection rules; events are shown without findings.', 'Show Log').then((a) => a && log.show());
      return undefined;
    }
  }

  private showRefusals(refused: readonly RuleRefusal[]): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const r of refused) {
      log.warn(`Detections: rule refused: ${escapeControl(`${r.file}:${r.line}: ${r.message}`)}`);
      const line = Math.max(0, r.line - 1);
      const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), `CloudTrail Lens cannot run this rule: ${escapeControl(r.message)}`, vscode.DiagnosticSeverity.Warning);
      d.source = 'CloudTrail Lens';
      const list = byFile.get(r.file) ?? [];
      list.push(d);
      byFile.set(r.file, list);
    }
    for (const [file, list] of byFile) if (path.isAbsolute(file)) this.refusals.set(vscode.Uri.file(file), list);
    if (refused.length > 0) {
      void vscode.window.showWarningMessage(`CloudTrail Lens could not run ${refused.length} detection rule(s); the Problems panel says why.`, 'Show Problems').then((a) => a && vscode.commands.executeCommand('workbench.actions.view.problems'));
    }
  }

  dispose(): void {
    this.changed.dispose();
    this.refusals.dispose();
  }
}
