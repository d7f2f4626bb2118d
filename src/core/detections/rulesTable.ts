// The Markdown table of rules the README shows (scripts/rulesTable.mjs prints it, a test checks it).
import * as path from 'node:path';
import { levelRank, type RuleInfo } from './types';

/** The first sentence of a description, on one line, with `|` escaped for a table cell. */
function firstSentence(text: string | undefined): string {
  const one = (text ?? '').replace(/\s+/g, ' ').trim();
  const end = one.search(/\.(\s|$)/);
  return (end >= 0 ? one.slice(0, end + 1) : one).replace(/\|/g, '\\|');
}

/** One row per rule that makes findings, grouped by the tactic folder, highest level first. */
export function rulesTable(rules: readonly RuleInfo[], root: string): string {
  const rows = rules
    .filter((r) => !r.correlationOnly)
    .map((r) => {
      const file = path.relative(root, r.file).split(path.sep).join('/');
      return { r, file, folder: file.split('/').slice(-2, -1)[0] ?? '' };
    })
    .sort((a, b) => a.folder.localeCompare(b.folder) || levelRank(b.r.level) - levelRank(a.r.level) || a.r.title.localeCompare(b.r.title));
  const lines = ['| rule | level | what it catches | kind | source |', '|---|---|---|---|---|'];
  for (const { r, file } of rows) {
    lines.push(`| ${r.title.replace(/\|/g, '\\|')} | ${r.level} | ${firstSentence(r.description)} | ${r.kind === 'correlation' ? 'correlation' : 'event'} | [${path.posix.basename(file)}](${file}) (${r.origin === 'builtin' ? `${r.author ?? 'CloudTrail Lens'}, ${r.license ?? 'MIT'}` : r.origin}) |`);
  }
  return lines.join('\n');
}
