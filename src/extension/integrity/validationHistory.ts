import * as vscode from 'vscode';

/** What the tree shows of a trail's last integrity check. */
export interface ValidationRecord {
  /** ISO time the check finished. */
  finishedAt: string;
  verdict: 'valid' | 'invalid' | 'incomplete';
  /** One line such as "24/24 digests valid · 480/480 log files valid". */
  counts: string;
  /** Errors plus warnings: what the Problems panel got. */
  problems: number;
  /** The same, by severity (absent in records of older versions). */
  errors?: number;
  warnings?: number;
  /** The report's URI, while VS Code runs (reports are not kept across restarts). */
  report?: string;
  range: { start: string; end: string };
  regions: string[];
}

const KEY = 'cloudtrailLens.validationHistory';

/** The last validation of each trail (by ARN, or by folder for local trails), kept per workspace. */
export class ValidationHistory implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  get(trailId: string): ValidationRecord | undefined {
    return this.state.get<Record<string, ValidationRecord>>(KEY, {})[trailId];
  }

  async set(trailId: string, record: ValidationRecord): Promise<void> {
    const all = { ...this.state.get<Record<string, ValidationRecord>>(KEY, {}), [trailId]: record };
    await this.state.update(KEY, all);
    this.changed.fire(trailId);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
