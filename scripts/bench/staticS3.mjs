// A small loopback S3 for the validation benchmark: serves one bucket from a folder written by the
// trail simulator (digest metadata from its cloudtrail-lens-offline.json), path-style, with the
// calls both validators make: GetBucketLocation, HeadBucket, ListObjects (v1, aws-cli) and
// ListObjectsV2 (the SDK), GetObject. It answers from memory-mapped listings and file streams, so
// the benchmark measures the tools rather than an emulator (moto spends milliseconds per request).
// It checks no signatures: it is a loopback test fixture, never a real endpoint.
import { createReadStream, promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

function xml(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

async function walk(root, dir, out) {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await walk(root, full, out);
    else if (entry.isFile()) {
      const key = path.relative(root, full).split(path.sep).join('/');
      if (key.startsWith('AWSLogs/') || key.includes('/AWSLogs/')) out.push({ key, size: (await fs.stat(full)).size, file: full });
    }
  }
}

/** Starts the server; resolves with its URL and a close function. */
export async function startStaticS3({ root, bucket, region = 'us-east-1' }) {
  const manifest = JSON.parse(await fs.readFile(path.join(root, 'cloudtrail-lens-offline.json'), 'utf8'));
  const objects = [];
  await walk(root, root, objects);
  objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const byKey = new Map(objects.map((o) => [o.key, o]));
  const stats = { requests: 0 };

  const list = (q, v2) => {
    const prefix = q.get('prefix') ?? '';
    const after = v2 ? (q.get('continuation-token') ?? q.get('start-after') ?? '') : (q.get('marker') ?? '');
    const delimiter = q.get('delimiter');
    const max = Math.min(Number(q.get(v2 ? 'max-keys' : 'max-keys') ?? 1000) || 1000, 1000);
    const contents = [];
    const prefixes = new Set();
    let truncated = false;
    let last = '';
    for (const o of objects) {
      if (!o.key.startsWith(prefix) || o.key <= after) continue;
      if (delimiter) {
        const rest = o.key.slice(prefix.length);
        const at = rest.indexOf(delimiter);
        if (at >= 0) {
          const p = prefix + rest.slice(0, at + delimiter.length);
          if (!prefixes.has(p)) {
            if (contents.length + prefixes.size >= max) {
              truncated = true;
              break;
            }
            prefixes.add(p);
          }
          last = o.key;
          continue;
        }
      }
      if (contents.length + prefixes.size >= max) {
        truncated = true;
        break;
      }
      contents.push(o);
      last = o.key;
    }
    const items = contents.map((o) => `<Contents><Key>${xml(o.key)}</Key><LastModified>2026-11-02T00:00:00.000Z</LastModified><ETag>"0"</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`).join('');
    const common = [...prefixes].map((p) => `<CommonPrefixes><Prefix>${xml(p)}</Prefix></CommonPrefixes>`).join('');
    const paging = v2
      ? `<KeyCount>${contents.length + prefixes.size}</KeyCount>${truncated ? `<NextContinuationToken>${xml(last)}</NextContinuationToken>` : ''}`
      : `<Marker>${xml(after)}</Marker>${truncated ? `<NextMarker>${xml(last)}</NextMarker>` : ''}`;
    return `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${xml(prefix)}</Prefix><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${paging}${items}${common}</ListBucketResult>`;
  };

  const server = http.createServer((req, res) => {
    stats.requests++;
    const url = new URL(req.url, 'http://localhost');
    const parts = url.pathname.split('/');
    const name = decodeURIComponent(parts[1] ?? '');
    const key = parts.slice(2).map(decodeURIComponent).join('/');
    const send = (status, body, type = 'application/xml') => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'x-amz-bucket-region': region });
      res.end(body);
    };
    if (name !== bucket) return send(404, `<Error><Code>NoSuchBucket</Code><Message>no bucket ${xml(name)}</Message></Error>`);
    if (!key) {
      if (req.method === 'HEAD') return send(200, '');
      if (url.searchParams.has('location')) return send(200, `<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${region === 'us-east-1' ? '' : region}</LocationConstraint>`);
      return send(200, list(url.searchParams, url.searchParams.get('list-type') === '2'));
    }
    const o = byKey.get(key);
    if (!o) return send(404, `<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>${xml(key)}</Key></Error>`);
    const headers = { 'content-type': 'application/octet-stream', 'content-length': o.size, etag: '"0"', 'last-modified': 'Mon, 02 Nov 2026 00:00:00 GMT' };
    for (const [k, v] of Object.entries(manifest.digestMetadata[key] ?? {})) headers[`x-amz-meta-${k}`] = v;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return res.end();
    createReadStream(o.file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    objects,
    stats,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}
