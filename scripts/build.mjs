// Bundles the extension and the CLI with esbuild. `--production` minifies and drops source maps
// (the VSIX ships neither maps nor sources); `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { chmodSync } from 'node:fs';

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
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The worker threads that read event files (loaded by path from dist/, beside the other two).
  { ...common, entryPoints: ['src/core/events/eventWorker.ts'], outfile: 'dist/eventWorker.js' },
  {
    ...common,
    entryPoints: ['src/core/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  },
];

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
  console.log(`esbuild: built dist/extension.js, dist/cli.js and dist/eventWorker.js in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}
