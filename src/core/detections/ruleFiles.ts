/**
 * Reading Sigma rule files from folders (Node only). `*.yml` and `*.yaml` files are read
 * recursively, in name order; symbolic links to folders are not followed (a rule folder must not
 * lead the reader anywhere else on the disk), hidden folders and node_modules are skipped, and a
 * file over 1 MB is refused rather than read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuleOrigin, RuleRefusal, RuleSource } from './types';

export const MAX_RULE_FILE_BYTES = 1024 * 1024;

const RULE_FILE = /\.ya?ml$/i;

/**
 * The shipped rule pack: beside the bundle (`dist/` → `rules/`) or, for the compiled tests
 * (`out/src/core/detections/`), the repository's `rules/`.
 */
export function builtinRulesDir(): string {
  const candidates = [path.join(__dirname, '..', 'rules'), path.join(__dirname, '..', '..', '..', 'rules'), path.join(__dirname, '..', '..', '..', '..', 'rules')];
  for (const dir of candidates) {
    try {
      if (fs.statSync(dir).isDirectory()) return dir;
    } catch {
      // try the next
    }
  }
  return candidates[0];
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'it does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'it is not a folder';
  return e instanceof Error ? e.message : String(e);
}

async function readFile(file: string, origin: RuleOrigin, sources: RuleSource[], refused: RuleRefusal[]): Promise<void> {
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile()) return;
    if (stat.size > MAX_RULE_FILE_BYTES) {
      refused.push({ file, line: 0, message: `the file is ${(stat.size / 1024 / 1024).toFixed(1)} MB; a rule file may be at most 1 MB` });
      return;
    }
    const text = await fs.promises.readFile(file, 'utf8');
    sources.push({ file, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, origin });
  } catch (e) {
    refused.push({ file, line: 0, message: `cannot read the rule file: ${reason(e)}` });
  }
}

async function walk(dir: string, origin: RuleOrigin, sources: RuleSource[], refused: RuleRefusal[], signal: AbortSignal | undefined, depth: number): Promise<void> {
  signal?.throwIfAborted();
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch (e) {
    refused.push({ file: dir, line: 0, message: `cannot read the rule folder ${dir}: ${reason(e)}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    signal?.throwIfAborted();
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules' || depth >= 32) continue;
      await walk(full, origin, sources, refused, signal, depth + 1);
    } else if (RULE_FILE.test(entry.name) && (entry.isFile() || entry.isSymbolicLink())) {
      // A link to a file is read (stat follows it); a link to a folder is not a file and is skipped.
      await readFile(full, origin, sources, refused);
    }
  }
}

/**
 * Reads every rule file under the folders. A folder that is missing or unreadable is one refusal
 * (line 0) naming it; so is each file that is too large or unreadable.
 */
export async function readRuleFolders(dirs: readonly string[], origin: RuleOrigin, signal?: AbortSignal): Promise<{ sources: RuleSource[]; refused: RuleRefusal[] }> {
  const sources: RuleSource[] = [];
  const refused: RuleRefusal[] = [];
  for (const dir of dirs) {
    signal?.throwIfAborted();
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(dir);
    } catch (e) {
      refused.push({ file: dir, line: 0, message: `cannot read the rule folder ${dir}: ${reason(e)}` });
      continue;
    }
    if (stat.isFile() && RULE_FILE.test(dir)) {
      await readFile(dir, origin, sources, refused);
    } else if (!stat.isDirectory()) {
      refused.push({ file: dir, line: 0, message: `cannot read the rule folder ${dir}: it is not a folder` });
    } else {
      await walk(dir, origin, sources, refused, signal, 0);
    }
  }
  return { sources, refused };
}
