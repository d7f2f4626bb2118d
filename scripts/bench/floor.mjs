// The floor: plain parallel GET + gunzip + SHA-256 of the given objects, nothing else (no listing,
// no parsing, no checks). Usage: node floor.mjs ENDPOINT BUCKET CONCURRENCY KEYS_FILE [--sdk]
// (one key per line). Without --sdk the GETs are bare unsigned HTTP (the absolute floor, which real
// S3 would refuse); with --sdk they are the AWS SDK's signed GetObject, as any tool reading a private
// bucket must send. Prints {"objects":N,"bytes":B,"ms":T}.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import { createGunzip } from 'node:zlib';

const [endpoint, bucket, concurrencyText, keysFile, mode] = process.argv.slice(2);
const sdk = mode === '--sdk';
const keys = readFileSync(keysFile, 'utf8').split('\n').filter(Boolean);
const concurrency = Number(concurrencyText);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const base = new URL(endpoint);

let client;
let GetObjectCommand;
if (sdk) {
  const require = createRequire(import.meta.url);
  const s3 = require('@aws-sdk/client-s3');
  const { NodeHttpHandler } = require('@smithy/node-http-handler');
  GetObjectCommand = s3.GetObjectCommand;
  client = new s3.S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, requestHandler: new NodeHttpHandler({ httpAgent: agent }) });
}

function hashStream(stream) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    stream.on('data', (c) => (bytes += c.length));
    const gunzip = createGunzip();
    gunzip.on('data', (c) => hash.update(c));
    gunzip.on('end', () => resolve({ bytes, sha256: hash.digest('hex') }));
    gunzip.on('error', reject);
    stream.pipe(gunzip);
  });
}

async function fetchAndHash(key) {
  if (sdk) return hashStream((await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body);
  return new Promise((resolve, reject) => {
    const req = http.get({ hostname: base.hostname, port: base.port, path: `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`, agent }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`${key}: HTTP ${res.statusCode}`));
      hashStream(res).then(resolve, reject);
    });
    req.on('error', reject);
  });
}

const started = process.hrtime.bigint();
let next = 0;
let bytes = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < keys.length) {
      const r = await fetchAndHash(keys[next++]);
      bytes += r.bytes;
    }
  }),
);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
agent.destroy();
process.stdout.write(JSON.stringify({ objects: keys.length, bytes, ms }) + '\n');
