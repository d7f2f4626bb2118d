// Property: no single-byte change to any log file or digest is ever reported valid, unless every
// reader still sees exactly the original content (a gzip header's time stamp, say). Three kinds of
// change: a stored byte, a content byte (re-gzipped, as a careful attacker would), and a character of
// a digest's signature metadata. Runs on an offline folder for speed.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { validateTrail } from '../../../src/core/integrity';
import { openLocalTrail, type LocalTrail } from '../../../src/core/integrity/localTrail';
import { folderTrail, START, type TrailFixture } from './trailFixture';

const END = new Date('2026-11-01T02:00:00Z');

/** What Node's gunzip (every member, CRC checked) reads, or undefined when it fails. */
function gunzipOrUndefined(body: Buffer): Buffer | undefined {
  try {
    return zlib.gunzipSync(body);
  } catch {
    return undefined;
  }
}

describe('integrity: property: a single-byte change is never reported valid', function () {
  this.timeout(120_000);
  let f: TrailFixture & { dir: string };
  let local: LocalTrail;
  let manifest: string;

  before(async () => {
    f = await folderTrail({ hours: 2, filesPerHour: 1, recordsPerFile: 2, start: START, seed: 'property' });
    local = await openLocalTrail(f.dir);
    manifest = await fs.readFile(path.join(f.dir, 'cloudtrail-lens-offline.json'), 'utf8');
    const clean = await validateTrail({ ...local, start: new Date(START), end: END });
    assert.equal(clean.summary.outcome, 'valid', 'the unchanged trail is valid, so a failure below is the change');
  });

  it('holds for 150 random changes to stored bytes, content bytes and signatures', async () => {
    const objects = f.objects;
    let unchangedContent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...objects.map((_, i) => i)),
        fc.constantFrom('stored' as const, 'content' as const, 'signature' as const),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (index, mode, position, delta) => {
          const o = objects[index];
          const file = path.join(f.dir, ...o.key.split('/'));
          const original = zlib.gunzipSync(o.body);
          let readersSeeOriginal = false;
          if (mode === 'signature' && o.kind === 'digest') {
            const m = JSON.parse(manifest) as { digestMetadata: Record<string, { signature: string }> };
            const sig = m.digestMetadata[o.key].signature;
            const at = position % sig.length;
            const hex = '0123456789abcdef';
            m.digestMetadata[o.key].signature = sig.slice(0, at) + hex[(hex.indexOf(sig[at]) + (delta % 15) + 1) % 16] + sig.slice(at + 1);
            await fs.writeFile(path.join(f.dir, 'cloudtrail-lens-offline.json'), JSON.stringify(m));
          } else if (mode === 'content') {
            const changed = Buffer.from(original);
            changed[position % changed.length] = (changed[position % changed.length] + delta) % 256;
            await fs.writeFile(file, zlib.gzipSync(changed));
          } else {
            const changed = Buffer.from(o.body);
            changed[position % changed.length] = (changed[position % changed.length] + delta) % 256;
            await fs.writeFile(file, changed);
            const read = gunzipOrUndefined(changed);
            readersSeeOriginal = read !== undefined && read.equals(original);
          }
          try {
            const store = await openLocalTrail(f.dir);
            const r = await validateTrail({ ...store, start: new Date(START), end: END });
            const about = r.findings.filter((x) => x.object?.key === o.key);
            if (readersSeeOriginal) {
              unchangedContent++;
              return; // e.g. the gzip time stamp: the content every reader sees is the original
            }
            assert.ok(about.length > 0, `${mode} change to ${o.key}: no finding names it`);
            assert.ok(
              about.every((x) => x.verdict !== 'valid'),
              `${mode} change at ${position} of ${o.key} reported valid: ${about.map((x) => x.verdict).join(', ')}`,
            );
            assert.notEqual(r.summary.outcome, 'valid');
          } finally {
            await fs.writeFile(file, o.body);
            await fs.writeFile(path.join(f.dir, 'cloudtrail-lens-offline.json'), manifest);
          }
        },
      ),
      { numRuns: 150, seed: 20261101 },
    );
    // Header bytes (time stamp, flags) are a small share of each file: most changes alter the content.
    assert.ok(unchangedContent < 40, `${unchangedContent} changes left the content unchanged`);
  });
});
