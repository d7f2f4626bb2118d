// The rules a run uses: the shipped pack (unless turned off), the user's folders, minus the rules
// the user disabled. Read once per run, compiled here for this thread and handed to workers as text.
import { createHash } from 'node:crypto';
import type { RulesPayload } from './detectionRun';
import { builtinRulesDir, readRuleFolders } from './ruleFiles';
import { compileRules, type RuleSet } from './ruleSet';
import type { RuleRefusal, RuleSource } from './types';

export interface RuleChoice {
  /** The shipped pack (default true). */
  builtin?: boolean;
  /** More folders of Sigma rules (YAML), read recursively. */
  folders?: readonly string[];
  /** Rule ids or titles not to run. */
  disabled?: readonly string[];
  signal?: AbortSignal;
}

export interface LoadedRules {
  ruleSet: RuleSet;
  payload: RulesPayload;
  /** Files and rules that could not be read or run, with the file, line and why. */
  refused: RuleRefusal[];
}

export async function loadRules(choice: RuleChoice = {}): Promise<LoadedRules> {
  const sources: RuleSource[] = [];
  const refused: RuleRefusal[] = [];
  if (choice.builtin !== false) {
    const pack = await readRuleFolders([builtinRulesDir()], 'builtin', choice.signal);
    sources.push(...pack.sources);
    refused.push(...pack.refused);
  }
  if (choice.folders && choice.folders.length > 0) {
    const user = await readRuleFolders(choice.folders, 'user', choice.signal);
    sources.push(...user.sources);
    refused.push(...user.refused);
  }
  return fromSources(sources, choice.disabled ?? [], refused);
}

/** Compiles rule texts already read; `refused` gathers what reading them refused. */
export function fromSources(sources: RuleSource[], disabled: readonly string[], refused: RuleRefusal[] = []): LoadedRules {
  const hash = createHash('sha256');
  for (const s of sources) hash.update(`${s.origin}\u0000${s.file}\u0000${s.text}\u0000`);
  hash.update(JSON.stringify(disabled));
  const payload: RulesPayload = { key: hash.digest('hex'), sources, disabled: [...disabled] };
  const ruleSet = compileRules(sources, { disabled });
  return { ruleSet, payload, refused: [...refused, ...ruleSet.refused] };
}
