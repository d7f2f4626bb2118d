// The thread the investigation store runs on (bundled as dist/storeWorker.js): DuckDB's calls and the
// ingest's coordination never block the extension host's thread. One store per thread.
import { parentPort } from 'node:worker_threads';
import { InvestigationStore } from './investigationStore';
import type { FromStore, StoreMethod, ToStore } from './storeProtocol';

let store: InvestigationStore | undefined;
const running = new Map<number, AbortController>();

function reply(message: FromStore): void {
  parentPort!.postMessage(message);
}

async function call(id: number, method: StoreMethod, args: unknown[], signal: AbortSignal): Promise<unknown> {
  if (method === 'open') {
    if (store) throw new Error('this store thread already has an investigation open');
    store = await InvestigationStore.open(args[0] as string, (args[1] ?? {}) as object);
    return undefined;
  }
  if (!store) throw new Error('no investigation is open');
  const s = store;
  switch (method) {
    case 'ingest':
      return s.ingest(args[0] as never, { ...(args[1] as object), signal, onProgress: (done, total, events) => reply({ id, progress: [done, total, events] }) });
    case 'info':
      return s.info();
    case 'overview':
      return s.overview(args[0] as never, args[1] as never, signal);
    case 'rows':
      return s.rows(args[0] as never, args[1] as never, args[2] as number, args[3] as number, signal);
    case 'summary':
      return s.summary(args[0] as never, signal);
    case 'findings':
      return s.findings(args[0] as never, signal);
    case 'slice':
      return s.slice(args[0] as never, args[1] as never, args[2] as number, args[3] as never, signal);
    case 'query':
      return s.query(args[0] as string, signal, args[1] as number | undefined);
    case 'importResultCsv':
      return s.importResultCsv(args[0] as string, args[1] as string, args[2] as never, signal);
    case 'close':
      store = undefined;
      await s.close();
      return undefined;
  }
}

parentPort?.on('message', (m: ToStore) => {
  if ('cancel' in m) {
    running.get(m.cancel)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(m.id, controller);
  call(m.id, m.method, m.args, controller.signal)
    .then((value) => reply({ id: m.id, ok: true, value }))
    .catch((error: Error) => reply({ id: m.id, ok: false, error: { name: error?.name ?? 'Error', message: error?.message ?? String(error) } }))
    .finally(() => running.delete(m.id));
});
