// Bundles the extension and the CLI with esbuild. `--production` minifies and drops source maps
// (the VSIX ships neither maps nor sources); `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  // Prefer ES module builds: jsonc-parser's UMD "main" loads its parts with a dynamic require
  // that a bundle cannot follow.
  mainFields: ['module', 'main'],
};

const builds = [
  // DuckDB is never loaded on the extension host's thread (only dist/storeWorker.js loads it).
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', '@duckdb/node-api'] },
  // The worker threads that read event files (loaded by path from dist/, beside the other two).
  { ...common, entryPoints: ['src/core/events/eventWorker.ts'], outfile: 'dist/eventWorker.js' },
  // The investigation store's thread: DuckDB runs here, never on the extension host's thread. The
  // engine is a native addon, loaded from node_modules (dist/node_modules in a platform VSIX).
  { ...common, entryPoints: ['src/core/store/storeWorker.ts'], outfile: 'dist/storeWorker.js', external: ['@duckdb/node-api'] },
  // The Investigation view's browser code (no Node APIs), loaded by its webview.
  {
    ...common,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    mainFields: ['browser', 'module', 'main'],
    entryPoints: ['src/webview/investigation/main.ts'],
    outfile: 'dist/webview/investigation.js',
  },
  // The query notebooks' results renderer: an ES module VS Code loads into the notebook's webview.
  {
    ...common,
    platform: 'browser',
    target: 'es2022',
    format: 'esm',
    mainFields: ['browser', 'module', 'main'],
    entryPoints: ['src/webview/notebook/renderer.ts'],
    outfile: 'dist/webview/notebookRenderer.js',
  },
  {
    ...common,
    entryPoints: ['src/core/cli/main.ts'],
    outfile: 'dist/cli.js',
    external: ['@duckdb/node-api'],
    banner: { js: '#!/usr/bin/env node' },
  },
];

// The view's stylesheet, loaded by its own <link> (the webview's CSP allows no inline style).
mkdirSync('dist/webview', { recursive: true });
copyFileSync('src/webview/investigation/investigation.css', 'dist/webview/investigation.css');

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log('esbuild: watching src/ for changes');
} else {
  const started = Date.now();
  await Promise.all(builds.map((options) => esbuild.build(options)));
  chmodSync('dist/cli.js', 0o755);
  console.log(`esbuild: built dist/extension.js, dist/cli.js, dist/eventWorker.js, dist/storeWorker.js, dist/webview/investigation.js and dist/webview/notebookRenderer.js in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}
