// Reads and writes `.ctnb` query notebooks (core/notebook/notebookFile.ts): SQL cells keep where they
// run in their metadata, and their last result as an output that the results renderer draws; the
// results are saved only when the user keeps outputs (cloudtrailLens.notebooks.saveOutputs).
import * as vscode from 'vscode';
import { parseNotebook, serializeNotebook, type NotebookFileCell, type SavedOutput } from '../../core/notebook/notebookFile';
import { resultAsText } from '../../core/notebook/resultEvents';
import type { QueryEngine, TabularResult } from '../../core/remote/queryResult';

export const NOTEBOOK_TYPE = 'cloudtrail-lens-notebook';
export const RESULT_MIME = 'application/vnd.cloudtrail-lens.result+json';
export const RENDERER_ID = 'cloudtrail-lens.results';
const ERROR_MIME = 'application/vnd.code.notebook.error';

/** What a result output carries: the rows, where they came from, and an id the renderer's actions name. */
export interface ResultPayload extends TabularResult {
  outputId: string;
  engine: QueryEngine;
  ranAt: string;
}

export interface CellMetadata {
  target?: QueryEngine;
  logs?: NotebookFileCell['logs'];
}

export function cellMetadata(cell: { metadata: Record<string, unknown> }): CellMetadata {
  return cell.metadata as CellMetadata;
}

export function newOutputId(): string {
  return `ctl-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** The output of a result: the renderer's JSON, and a plain-text table for viewers without the renderer. */
export function resultOutput(payload: ResultPayload): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.json(payload, RESULT_MIME), vscode.NotebookCellOutputItem.text(resultAsText(payload))], { outputId: payload.outputId });
}

export function errorOutput(message: string): vscode.NotebookCellOutput {
  const error = new Error(message);
  error.name = 'Query failed';
  error.stack = undefined;
  return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(error)]);
}

/** The result a cell output carries, if it is one. */
export function payloadOf(output: { items: readonly { mime: string; data: Uint8Array }[] }): ResultPayload | undefined {
  const item = output.items.find((i) => i.mime === RESULT_MIME);
  if (!item) return undefined;
  try {
    const value = JSON.parse(new TextDecoder().decode(item.data)) as ResultPayload;
    return Array.isArray(value?.columns) && Array.isArray(value?.rows) ? value : undefined;
  } catch {
    return undefined;
  }
}

function savedOf(outputs: readonly vscode.NotebookCellOutput[] | undefined): SavedOutput | undefined {
  for (const o of outputs ?? []) {
    const payload = payloadOf(o);
    if (payload) {
      const { outputId: _id, engine: _engine, ranAt, ...result } = payload;
      return { result, ranAt };
    }
    const error = o.items.find((i) => i.mime === ERROR_MIME);
    if (error) {
      try {
        return { error: String((JSON.parse(new TextDecoder().decode(error.data)) as { message?: string }).message ?? '') };
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export class QueryNotebookSerializer implements vscode.NotebookSerializer {
  constructor(private readonly keepOutputs: () => boolean) {}

  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const file = parseNotebook(content, 'This query notebook');
    const cells = file.cells.map((c) => {
      if (c.kind === 'markdown') return new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, c.source, 'markdown');
      const cell = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, c.source, 'sql');
      const metadata: CellMetadata = { target: c.target ?? 'local', ...(c.logs ? { logs: c.logs } : {}) };
      cell.metadata = metadata as Record<string, unknown>;
      if (c.output?.result) {
        const engine = c.output.result.stats?.engine ?? c.target ?? 'local';
        cell.outputs = [resultOutput({ ...c.output.result, outputId: newOutputId(), engine, ranAt: c.output.ranAt ?? '' })];
      } else if (c.output?.error) {
        cell.outputs = [errorOutput(c.output.error)];
      }
      return cell;
    });
    const data = new vscode.NotebookData(cells);
    data.metadata = file.investigation ? { investigation: file.investigation } : {};
    return data;
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const cells: NotebookFileCell[] = data.cells.map((c) => {
      if (c.kind === vscode.NotebookCellKind.Markup) return { kind: 'markdown', source: c.value };
      const m = (c.metadata ?? {}) as CellMetadata;
      const output = savedOf(c.outputs);
      return { kind: 'sql', source: c.value, target: m.target ?? 'local', ...(m.logs ? { logs: m.logs } : {}), ...(output ? { output } : {}) };
    });
    const investigation = typeof data.metadata?.investigation === 'string' ? data.metadata.investigation : undefined;
    return serializeNotebook({ ...(investigation ? { investigation } : {}), cells }, this.keepOutputs());
  }
}
