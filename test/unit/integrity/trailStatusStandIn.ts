// moto's GetTrailStatus has no LatestDigestDeliveryTime. This loopback proxy answers GetTrailStatus
// (botocore's long X-Amz-Target or SDK v3's short one) with the time a test sets (per region, from
// the request's credential scope) and passes every
// other request to an upstream (the simulator's ListPublicKeys stand-in, itself in front of moto).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';



export interface TrailStatusStandIn {
  url: string;
  /** LatestDigestDeliveryTime per region; a region without one answers as moto does (no such field). */
  latest: Map<string, Date>;
  calls: string[];
  close(): Promise<void>;
}

export async function startTrailStatusStandIn(upstream: string): Promise<TrailStatusStandIn> {
  const target = new URL(upstream);
  const latest = new Map<string, Date>();
  const calls: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (String(req.headers['x-amz-target'] ?? '').endsWith('.GetTrailStatus')) {
        const region = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? 'us-east-1';
        calls.push(region);
        const t = latest.get(region);
        const answer = JSON.stringify({ IsLogging: true, ...(t ? { LatestDigestDeliveryTime: t.getTime() / 1000 } : {}) });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(answer) });
        res.end(answer);
        return;
      }
      const forward = http.request({ hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      forward.on('error', (e) => {
        res.writeHead(502);
        res.end(e.message);
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    latest,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
