// The integration suite's entry point: VS Code's extension host loads this module and calls run(),
// both under @vscode/test-electron and in the web workbench of scripts/vscode/runTests.mjs.
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import * as vscode from 'vscode';

interface Results {
  vscodeVersion: string;
  tests: number;
  passes: number;
  failures: number;
  pending: number;
  durationMs: number;
  failed: { title: string; error: string }[];
}

/** Prefix of every line the suite prints; the web harness shows these and keeps the workbench's own chatter in a file. */
const PREFIX = '[suite] ';

export function run(): Promise<void> {
  // Mocha's reporters print through Base.consoleLog with format strings; the web workbench forwards
  // console arguments unformatted, so format them here into one line.
  (Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void }).consoleLog = (...args: unknown[]) =>
    console.log(PREFIX + format(...args));
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.CLOUDTRAIL_LENS_TEST_GREP;
  if (grep) {
    mocha.grep(grep);
  }
  const suiteDir = path.join(__dirname, 'suite');
  for (const file of readdirSync(suiteDir).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(suiteDir, file));
  }
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const failed: Results['failed'] = [];
    const runner = mocha.run((failures) => {
      const stats = runner.stats;
      const results: Results = {
        vscodeVersion: vscode.version,
        tests: runner.total,
        passes: stats?.passes ?? 0,
        failures,
        pending: stats?.pending ?? 0,
        durationMs: Date.now() - started,
        failed,
      };
      const out = process.env.CLOUDTRAIL_LENS_TEST_RESULTS;
      if (out) {
        writeFileSync(out, JSON.stringify(results, null, 2));
      }
      console.log(PREFIX + `Integration suite: ${results.passes} passing, ${failures} failing, ${results.pending} pending`);
      if (failures > 0) {
        reject(new Error(`${failures} integration test(s) failed`));
      } else {
        resolve();
      }
    });
    runner.on('fail', (test, error: Error) => failed.push({ title: test.fullTitle(), error: error.message }));
  });
}
