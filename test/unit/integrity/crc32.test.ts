import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { crc32Fallback } from '../../../src/core/integrity/crc32';
import { inspectBody } from '../../../src/core/integrity/gzipInspect';

// VS Code 1.90's extension host runs Node 20.9, which has no zlib.crc32: the fallback must agree.
describe('CRC-32 fallback for Node versions without zlib.crc32', () => {
  const native = (zlib as { crc32?: (d: Uint8Array, v?: number) => number }).crc32;

  it('agrees with zlib.crc32, also when continued from a previous value', () => {
    assert.ok(native, 'this Node has zlib.crc32 to compare with');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.uint8Array({ maxLength: 500 }), (a, b) => {
        assert.equal(crc32Fallback(a), native(a));
        assert.equal(crc32Fallback(b, crc32Fallback(a)), native(b, native(a)));
      }),
      { numRuns: 200 },
    );
  });

  it('lets the gzip reader check trailers the same way without zlib.crc32', () => {
    const body = zlib.gzipSync(JSON.stringify({ Records: [{ eventVersion: '1.09', eventTime: '2026-11-01T00:00:00Z' }] }));
    const withFallback = { ...zlib, crc32: crc32Fallback } as typeof zlib;
    assert.deepEqual(inspectBody(withFallback, crypto, body, 1 << 20), inspectBody(zlib, crypto, body, 1 << 20));
    const damaged = Buffer.from(body);
    damaged[damaged.length - 6] ^= 1; // a CRC byte of the trailer
    assert.equal(inspectBody(withFallback, crypto, damaged, 1 << 20).problem, 'corrupt');
  });
});
