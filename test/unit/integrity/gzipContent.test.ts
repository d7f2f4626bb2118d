// The content reader decides what "a reader of the file sees": these cases are the ones where
// readers disagree (aws-cli's Python zlib reads the first member, ignores trailing bytes and a
// missing trailer; Node and gunzip read every member).
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { ContentWorkers } from '../../../src/core/integrity/contentWorkers';
import { readContent } from '../../../src/core/integrity/gzipContent';
import { inspectBodyHere } from '../../../src/core/integrity/gzipInspect';

const text = Buffer.from(JSON.stringify({ Records: Array.from({ length: 200 }, (_, i) => ({ eventID: `e-${i}`, eventName: 'GetObject', n: i })) }));
const gz = zlib.gzipSync(text);
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Feeds `data` in chunks of `size` bytes (1 byte stresses every state boundary). */
function chunks(data: Buffer, size: number): AsyncIterable<Buffer> {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) parts.push(data.subarray(i, i + size));
  return Readable.from(parts);
}

describe('integrity: gzip content reader', () => {
  it('reads one clean member, whatever the chunk size, with the hash of the inflated bytes', async () => {
    for (const size of [1, 7, 64, 4096, gz.length]) {
      const r = await readContent(chunks(gz, size));
      assert.deepEqual([r.container, r.members, r.trailingBytes, r.problem, r.sha256, r.contentBytes, r.storedBytes], ['gzip', 1, 0, undefined, sha(text), text.length, gz.length], `chunk size ${size}`);
    }
  });

  it('reads a header with name, comment, extra field and header CRC', async () => {
    const raw = zlib.deflateRawSync(text);
    const header = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3]), Buffer.from([3, 0, 1, 2, 3]), Buffer.from('name\0'), Buffer.from('comment\0')]);
    const hcrc = Buffer.alloc(2);
    hcrc.writeUInt16LE(zlib.crc32(header) & 0xffff);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(zlib.crc32(text) >>> 0, 0);
    trailer.writeUInt32LE(text.length, 4);
    const file = Buffer.concat([header, hcrc, raw, trailer]);
    const r = await readContent(chunks(file, 3));
    assert.equal(r.problem, undefined, r.problemDetail);
    assert.equal(r.sha256, sha(text));
    const badHcrc = Buffer.from(file);
    badHcrc[header.length] ^= 1;
    assert.equal((await readContent(chunks(badHcrc, 5))).problem, 'corrupt');
  });

  it('counts several members and hashes all of them (what gunzip shows)', async () => {
    const a = text.subarray(0, 1000);
    const b = text.subarray(1000);
    const r = await readContent(chunks(Buffer.concat([zlib.gzipSync(a), zlib.gzipSync(b)]), 50));
    assert.equal(r.members, 2);
    assert.equal(r.sha256, sha(text), 'the content is both members, so a reader of every member sees the original');
    const empty = await readContent(chunks(Buffer.concat([zlib.gzipSync(Buffer.alloc(0)), gz]), 9));
    assert.equal(empty.members, 2, 'an empty first member (aws-cli would read nothing) is still a second member');
  });

  it('reports bytes after the gzip data, zero padding included', async () => {
    for (const tail of [Buffer.from('garbage'), Buffer.alloc(4), Buffer.from([0, 0xff])]) {
      const r = await readContent(chunks(Buffer.concat([gz, tail]), 13));
      assert.equal(r.problem, undefined);
      assert.ok(r.trailingBytes > 0, `tail ${tail.toString('hex')}`);
      assert.equal(r.sha256, sha(text));
    }
  });

  it('reports truncation anywhere: in the header, the deflate data and the trailer', async () => {
    for (const cut of [5, 11, Math.floor(gz.length / 2), gz.length - 8, gz.length - 3, gz.length - 1]) {
      const r = await readContent(chunks(gz.subarray(0, cut), 16));
      assert.equal(r.problem, 'truncated', `cut at ${cut} of ${gz.length}`);
    }
  });

  it('reports damaged deflate data, CRC and length fields', async () => {
    const crc = Buffer.from(gz);
    crc[gz.length - 6] ^= 0x40;
    assert.equal((await readContent(chunks(crc, 100))).problem, 'corrupt');
    const size = Buffer.from(gz);
    size[gz.length - 2] ^= 0x01;
    assert.equal((await readContent(chunks(size, 100))).problem, 'corrupt');
    const body = Buffer.from(gz);
    body[20] ^= 0xff;
    const r = await readContent(chunks(body, 100));
    assert.notEqual(r.problem === undefined && r.sha256 === sha(text), true, 'a changed deflate byte never reads as the original');
    const method = Buffer.from(gz);
    method[2] = 7;
    assert.equal((await readContent(chunks(method, 100))).problem, 'corrupt');
  });

  it('treats data without the gzip magic number as plain content', async () => {
    const r = await readContent(chunks(text, 100));
    assert.deepEqual([r.container, r.sha256, r.members], ['plain', sha(text), 0]);
    const empty = await readContent(chunks(Buffer.alloc(0), 1));
    assert.deepEqual([empty.container, empty.sha256], ['plain', sha(Buffer.alloc(0))]);
  });

  it('stops at the content limit (a gzip bomb is not inflated to the end)', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024));
    const r = await readContent(chunks(bomb, 64 * 1024), { maxContentBytes: 1024 * 1024 });
    assert.equal(r.problem, 'too-large');
    assert.ok(r.contentBytes <= 1024 * 1024);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await assert.rejects(readContent(chunks(gz, 10), { signal: controller.signal }), /stop/);
  });
});

describe('integrity: the worker-thread reader agrees with the streaming reader', () => {
  const shape = (r: Awaited<ReturnType<typeof readContent>>) => ({
    container: r.container,
    members: r.members,
    trailing: r.trailingBytes > 0,
    problem: r.problem,
    // A damaged file's partial hash means nothing; a clean one's must match exactly.
    sha256: r.problem ? undefined : r.sha256,
    contentBytes: r.problem ? undefined : r.contentBytes,
  });
  const cases: [string, Buffer][] = [
    ['clean', gz],
    ['two members', Buffer.concat([zlib.gzipSync(text.subarray(0, 500)), zlib.gzipSync(text.subarray(500))])],
    ['empty first member', Buffer.concat([zlib.gzipSync(Buffer.alloc(0)), gz])],
    ['trailing text', Buffer.concat([gz, Buffer.from('garbage')])],
    ['zero padding', Buffer.concat([gz, Buffer.alloc(3)])],
    ['lone 0x1f after', Buffer.concat([gz, Buffer.from([0x1f])])],
    ['plain', text],
    ['empty', Buffer.alloc(0)],
    ['one byte', Buffer.from([0x1f])],
    ...[3, 10, 12, 40, gz.length - 9, gz.length - 8, gz.length - 5, gz.length - 1].map((cut): [string, Buffer] => [`cut at ${cut}`, gz.subarray(0, cut)]),
  ];

  it('on hand-made cases', async () => {
    for (const [name, data] of cases) {
      assert.deepEqual(shape(inspectBodyHere(data, 1 << 30)), shape(await readContent(chunks(data, 37))), name);
    }
  });

  it('on every single-byte change of a small gzip file', async () => {
    const small = zlib.gzipSync(Buffer.from('{"Records":[{"eventID":"1","eventName":"GetObject"}]}'));
    await fc.assert(
      fc.asyncProperty(fc.nat(small.length - 1), fc.integer({ min: 1, max: 255 }), async (at, delta) => {
        const changed = Buffer.from(small);
        changed[at] = (changed[at] + delta) % 256;
        assert.deepEqual(shape(inspectBodyHere(changed, 1 << 20)), shape(await readContent(chunks(changed, 5), { maxContentBytes: 1 << 20 })));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('in a worker thread, with the content limit', async () => {
    const workers = new ContentWorkers(1);
    try {
      assert.deepEqual(shape(await workers.inspect(Buffer.from(gz), 1 << 30)), shape(await readContent(chunks(gz, 100))));
      const bomb = zlib.gzipSync(Buffer.alloc(8 * 1024 * 1024));
      assert.equal((await workers.inspect(bomb, 1024 * 1024)).problem, 'too-large');
    } finally {
      await workers.close();
    }
  });
});
