// CRC-32 (the gzip trailer's checksum). Node has zlib.crc32 since 20.15 / 22.2, but VS Code 1.90's
// extension host runs Node 20.9, so this table-driven version stands in when it is missing. It is
// self-contained (no outer references) so that worker threads can receive it as source text.
import * as zlib from 'node:zlib';

export function crc32Fallback(data: Uint8Array, value = 0): number {
  const g = globalThis as { __ctlCrcTable?: Int32Array };
  let table = g.__ctlCrcTable;
  if (!table) {
    table = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
    g.__ctlCrcTable = table;
  }
  let crc = ~value;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

type Crc32 = (data: Uint8Array, value?: number) => number;

/** zlib.crc32 where Node has it, else the fallback. */
export const crc32: Crc32 = (zlib as { crc32?: Crc32 }).crc32 ?? crc32Fallback;

/** The zlib module, with crc32 filled in on Node versions that lack it. */
export function zlibWithCrc32(): typeof zlib {
  return (zlib as { crc32?: Crc32 }).crc32 ? zlib : ({ ...zlib, crc32: crc32Fallback } as typeof zlib);
}
