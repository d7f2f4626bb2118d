// Loads DuckDB's Node-API binding on demand: activating the extension or running `summarize` never
// pays for it, and a build without a binding for this platform (the universal VSIX) says which build
// to install instead of failing with a module error.
import type * as DuckDB from '@duckdb/node-api';

export type DuckDBModule = typeof DuckDB;

/** Why the store cannot run here, worded for the user (what to install). */
export class StoreUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/** The platform packages DuckDB ships, as `vsce package --target` names them. */
export const DUCKDB_TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'] as const;

export function platformTarget(platform: string = process.platform, arch: string = process.arch): string {
  return `${platform}-${arch}`;
}

let loaded: DuckDBModule | undefined;

export function loadDuckDB(): DuckDBModule {
  if (loaded) return loaded;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('@duckdb/node-api') as DuckDBModule;
    return loaded;
  } catch (error) {
    const target = platformTarget();
    const supported = (DUCKDB_TARGETS as readonly string[]).includes(target);
    throw new StoreUnavailableError(
      supported
        ? `Investigations need the DuckDB engine, which this build of CloudTrail Lens does not include. Install the ${target} build (cloudtrail-lens-${target}.vsix) instead of the universal one. (${(error as Error).message.split('\n')[0]})`
        : `Investigations need the DuckDB engine, which is not built for ${target}; builds exist for ${DUCKDB_TARGETS.join(', ')}. Event documents, integrity and protection checks work without it.`,
    );
  }
}
