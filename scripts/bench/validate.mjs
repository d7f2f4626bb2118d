// npm run bench:validate — one simulator bucket (24 hours x 20 files x 1000 records, cached in
// bench-data/validate/), validated in the same run by `aws cloudtrail validate-logs`, by our CLI, and
// by a floor (plain parallel GET + gunzip + SHA-256 of the same objects at the same concurrency),
// once with no added latency and once behind a proxy that holds every S3 request 30 ms.
//
// The bucket is served by a small loopback S3 (scripts/bench/staticS3.mjs): moto_server spends
// milliseconds of Python per request, which would measure moto rather than the tools. `--moto`
// runs the same comparison against moto_server as well. CloudTrail ListPublicKeys is answered by
// the simulator's stand-in. Every wall time includes process start, as a user would see it.
//
// Options: --concurrency N (default 16), --repeat N (best of N, default 1), --moto, --only-ours,
// --cli FILE (another build of the CLI, to compare two versions in one run).
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLatencyProxy } from './latencyProxy.mjs';
import { startStaticS3 } from './staticS3.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = (p) => require(path.join(root, 'out', p));
const { simulateTrail, writeTrailToFolder, writeTrailToS3, startCloudTrailStandIn } = out('test/fixtures/simulator/index.js');

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const concurrency = Number(option('--concurrency', '16'));
const repeat = Number(option('--repeat', '1'));
const withMoto = argv.includes('--moto');
const onlyOurs = argv.includes('--only-ours');
const cliFile = path.resolve(option('--cli', path.join(root, 'dist', 'cli.js')));

const SIM = { seed: 'bench-validate', hours: 24, filesPerHour: 20, recordsPerFile: 1000, start: '2026-11-01T00:00:00Z', bucket: 'bench-validate-logs' };
const START = '2026-11-01T00:00:00Z';
const END = '2026-11-02T00:00:00Z';
const dataDir = path.join(root, 'bench-data', 'validate');
const trailDir = path.join(dataDir, 'trail');
const stamp = path.join(dataDir, 'options.json');

for (const file of ['dist/cli.js', 'out/test/fixtures/simulator/index.js']) {
  if (!existsSync(path.join(root, file))) {
    console.error(`bench:validate: ${file} is missing; run "npm run build && npm run compile-tests" first (npm run bench:validate does).`);
    process.exit(2);
  }
}

const trail = simulateTrail(SIM);
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== JSON.stringify(SIM)) {
  mkdirSync(dataDir, { recursive: true });
  const started = Date.now();
  process.stdout.write('Writing the simulator trail to bench-data/validate/trail (once; cached) ... ');
  const written = await writeTrailToFolder(trail, trailDir);
  writeFileSync(stamp, JSON.stringify(SIM));
  console.log(`${written.files} objects, ${(written.bytes / 1e6).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function baseEnv(s3Endpoint) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return Object.assign(env, {
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    AWS_ENDPOINT_URL_S3: s3Endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
}

function timed(file, args, env) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    execFile(file, args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, code: error ? error.code : 0, stdout, stderr });
    });
  });
}

async function best(run) {
  let result;
  for (let i = 0; i < repeat; i++) {
    const r = await run();
    if (!result || r.ms < result.ms) result = r;
  }
  return result;
}

const common = ['--trail-arn', trail.trailArn, '--start-time', START, '--end-time', END, '--s3-bucket', SIM.bucket, '--region', 'us-east-1'];

async function measure(label, s3Endpoint, keysFile, cloudTrailUrl) {
  const env = baseEnv(s3Endpoint);
  const row = { setting: label };
  if (!onlyOurs) {
    const aws = await best(() => timed('aws', ['cloudtrail', 'validate-logs', ...common, '--endpoint-url', cloudTrailUrl], env));
    if (aws.code !== 0 || !/^24\/24 digest files valid$/m.test(aws.stdout)) throw new Error(`aws-cli did not validate the bench trail (exit ${aws.code}): ${aws.stdout.slice(-400)}${aws.stderr.slice(-400)}`);
    row.awsCli = aws.ms;
  }
  const ours = await best(() => timed(process.execPath, [cliFile, 'validate', ...common, '--concurrency', String(concurrency)], { ...env, AWS_ENDPOINT_URL_CLOUDTRAIL: cloudTrailUrl }));
  if (ours.code !== 0 || !/^24\/24 digest files valid$/m.test(ours.stdout) || !/^480\/480 log files valid$/m.test(ours.stdout)) {
    throw new Error(`our CLI did not validate the bench trail (exit ${ours.code}): ${ours.stdout.slice(-400)}${ours.stderr.slice(-400)}`);
  }
  row.ours = ours.ms;
  for (const [name, extra] of [['floor', []], ['floorSdk', ['--sdk']]]) {
    const floor = await best(() => timed(process.execPath, [path.join(root, 'scripts', 'bench', 'floor.mjs'), s3Endpoint, SIM.bucket, String(concurrency), keysFile, ...extra], env));
    if (floor.code === 0) row[name] = floor.ms;
    else if (name === 'floor') console.log(`(${label}: unsigned GETs refused, ${floor.stderr.match(/HTTP \d+/)?.[0] ?? 'failed'}: no raw floor)`);
    else throw new Error(`the floor failed: ${floor.stderr}`);
  }
  return row;
}

const fmt = (ms) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`);
const ratio = (a, b) => (a === undefined || b === undefined ? '-' : `${(a / b).toFixed(2)}x`);

async function compare(targetLabel, upstream, objectKeys, cloudTrailUrl) {
  const keysFile = path.join(dataDir, 'floor-keys.txt');
  writeFileSync(keysFile, objectKeys.join('\n') + '\n');
  const rows = [];
  rows.push(await measure(`${targetLabel}, no added latency`, upstream, keysFile, cloudTrailUrl));
  const proxy = await startLatencyProxy({ upstream, delayMs: 30 });
  try {
    rows.push(await measure(`${targetLabel}, 30 ms per S3 request`, proxy.url, keysFile, cloudTrailUrl));
  } finally {
    await proxy.close();
  }
  return rows;
}

const results = [];
const server = await startStaticS3({ root: trailDir, bucket: SIM.bucket });
const objectKeys = server.objects.map((o) => o.key);
const bytes = server.objects.reduce((n, o) => n + o.size, 0);
// GetTrailStatus answers as CloudTrail would a few minutes after the newest digest, so the newest
// digests are checked as in a real run.
const latestDigestDelivery = new Date(Date.parse(END) + 10 * 60 * 1000);
const standIn = await startCloudTrailStandIn({ upstream: server.url, keys: trail.keys, latestDigestDelivery });
console.log(`Bench trail: ${objectKeys.length} objects (24 digests, 480 log files, 480,000 records), ${(bytes / 1e6).toFixed(0)} MB stored; concurrency ${concurrency}; best of ${repeat}; ${process.platform} ${process.arch}, ${(await import('node:os')).cpus().length} CPUs, Node ${process.version}`);
try {
  results.push(...(await compare('static loopback S3', server.url, objectKeys, standIn.url)));
} finally {
  await server.close();
}

if (withMoto) {
  const { startMoto } = out('test/fixtures/moto.js');
  const { S3Client } = require('@aws-sdk/client-s3');
  const moto = await startMoto({ accountId: '111122223333' });
  const motoStandIn = await startCloudTrailStandIn({ upstream: moto.endpoint, keys: trail.keys, latestDigestDelivery });
  try {
    const s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
    process.stdout.write('Writing the trail to moto_server ... ');
    await writeTrailToS3(trail, s3, { concurrency: 8 });
    s3.destroy();
    console.log('done');
    results.push(...(await compare('moto_server', moto.endpoint, objectKeys, motoStandIn.url)));
  } finally {
    await motoStandIn.close();
    await moto.stop();
  }
}
await standIn.close();

const header = ['Setting', 'aws-cli', 'ours', 'floor (raw GET)', 'floor (SDK GET)', 'aws-cli/ours', 'ours/floor raw', 'ours/floor SDK'];
const lines = results.map((r) => [r.setting, fmt(r.awsCli), fmt(r.ours), fmt(r.floor), fmt(r.floorSdk), ratio(r.awsCli, r.ours), ratio(r.ours, r.floor), ratio(r.ours, r.floorSdk)]);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const show = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log('');
console.log(show(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const l of lines) console.log(show(l));
console.log('\nTargets: at 30 ms ours at least 8x faster than aws-cli (aws-cli/ours >= 8); ours within 1.15x of the raw GET floor in both settings.');
console.log('floor (raw GET): unsigned HTTP GETs, which real S3 refuses for a private bucket; floor (SDK GET): the same with the SDK\'s signed GetObject.');
writeFileSync(path.join(dataDir, 'results.json'), JSON.stringify({ when: new Date().toISOString(), concurrency, repeat, results }, null, 2) + '\n');
if (spawnSync('sh', ['-c', 'command -v aws']).status !== 0 && !onlyOurs) console.log('(aws-cli was not found on PATH)');
