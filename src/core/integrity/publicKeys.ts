// CloudTrail public keys for digest signatures: where they come from (ListPublicKeys in the digest's
// region, or a saved answer), and which one verifies a digest (by fingerprint, valid when it was signed).
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { PublicKey, TrailApi } from '../aws/trailApi';

export interface PublicKeySource {
  /** For reports: where the keys come from, e.g. `ListPublicKeys in eu-west-1` or a file path. */
  describe(region: string): string;
  /** False when the keys come from a file: they are then only as trustworthy as that file. */
  readonly fromAws: boolean;
  /** The keys of `region` whose validity overlaps [start, end]. */
  listPublicKeys(region: string, start: Date, end: Date, signal?: AbortSignal): Promise<PublicKey[]>;
}

/** ListPublicKeys through the CloudTrail API of each region (keys are per region). */
export function trailApiKeySource(apiFor: (region: string) => TrailApi): PublicKeySource {
  return {
    fromAws: true,
    describe: (region) => `ListPublicKeys in ${region}`,
    listPublicKeys: (region, start, end, signal) => apiFor(region).listPublicKeys(start, end, signal),
  };
}

/**
 * Keys from a saved ListPublicKeys answer (`public-keys.json`, `--public-keys FILE`): the same keys for
 * every region, or a list per region.
 */
export function fixedKeySource(keys: readonly PublicKey[] | Readonly<Record<string, readonly PublicKey[]>>, description: string): PublicKeySource {
  return {
    fromAws: false,
    describe: () => description,
    listPublicKeys: async (region, start, end) => {
      const list = Array.isArray(keys) ? keys : ((keys as Record<string, readonly PublicKey[]>)[region] ?? []);
      return list.filter((k) => k.validityStart.getTime() <= end.getTime() && k.validityEnd.getTime() >= start.getTime());
    },
  };
}

/** A key that can verify signatures. */
export interface UsableKey {
  info: PublicKey;
  key: KeyObject;
}

export type KeyChoice = { ok: true; key: UsableKey } | { ok: false; code: 'public-key-not-found' | 'public-key-unusable'; reason: string };

/** Reads DER in either form CloudTrail has shown: PKCS#1 RSAPublicKey (the usual) or SubjectPublicKeyInfo. */
export function parsePublicKeyDer(der: Buffer): KeyObject | undefined {
  for (const type of ['pkcs1', 'spki'] as const) {
    try {
      const key = createPublicKey({ key: der, format: 'der', type });
      if (key.asymmetricKeyType === 'rsa') return key;
    } catch {
      // try the other form
    }
  }
  return undefined;
}

export function fingerprintOf(der: Buffer): string {
  return createHash('md5').update(der).digest('hex');
}

function overlaps(k: PublicKey, start: number, end: number): boolean {
  return k.validityStart.getTime() <= end && k.validityEnd.getTime() >= start;
}

/**
 * Chooses the key that verifies a digest: its fingerprint, valid at some time of the signing window,
 * its bytes hashing to that fingerprint (a saved keys file could pair a fingerprint with other bytes).
 */
export function chooseKey(keys: readonly PublicKey[], fingerprint: string, signedFrom: number, signedTo: number): KeyChoice {
  const wanted = fingerprint.toLowerCase();
  const same = keys.filter((k) => k.fingerprint.toLowerCase() === wanted);
  if (same.length === 0) return { ok: false, code: 'public-key-not-found', reason: `no public key has fingerprint ${fingerprint}` };
  const valid = same.filter((k) => overlaps(k, signedFrom, signedTo));
  if (valid.length === 0) {
    return { ok: false, code: 'public-key-not-found', reason: `the public key with fingerprint ${fingerprint} was not valid when the digest was signed` };
  }
  for (const info of valid) {
    if (fingerprintOf(info.value) !== wanted) continue;
    const key = parsePublicKeyDer(info.value);
    if (key) return { ok: true, key: { info, key } };
  }
  return { ok: false, code: 'public-key-unusable', reason: `the public key with fingerprint ${fingerprint} is not an RSA key in PKCS#1 or SubjectPublicKeyInfo DER whose MD5 is that fingerprint` };
}
