import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ObjectNotFoundError, type FolderPage, type ListOptions, type ObjectInfo, type ObjectStore, type OpenedObject, type StoredObject } from './objectStore';

/** The manifest a download for offline validation writes beside the objects. */
export const OFFLINE_MANIFEST = 'cloudtrail-lens-offline.json';
export const PUBLIC_KEYS_FILE = 'public-keys.json';

export interface OfflineManifest {
  format: 'cloudtrail-lens-offline/1';
  bucket: string;
  prefix: string | null;
  trailArn?: string;
  /** S3 user metadata of each digest, by S3 key: signature, signature-algorithm, backfill-generation-timestamp. */
  digestMetadata: Record<string, Record<string, string>>;
  [key: string]: unknown;
}

/** Reads the offline manifest of a folder, or undefined when the folder has none (a plain `aws s3 sync`). */
export async function readOfflineManifest(root: string): Promise<OfflineManifest | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path.join(root, OFFLINE_MANIFEST), 'utf8');
  } catch {
    return undefined;
  }
  const manifest = JSON.parse(text) as OfflineManifest;
  if (manifest.format !== 'cloudtrail-lens-offline/1' || typeof manifest.digestMetadata !== 'object' || manifest.digestMetadata === null) {
    throw new Error(`${path.join(root, OFFLINE_MANIFEST)} is not a CloudTrail Lens offline manifest (format cloudtrail-lens-offline/1)`);
  }
  return manifest;
}

function toKey(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/**
 * A folder laid out as `aws s3 sync s3://bucket/ folder` writes it: the object with key `a/b/c` is
 * the file `folder/a/b/c`. Digest metadata comes from the offline manifest when there is one.
 */
export class LocalObjectStore implements ObjectStore {
  readonly description: string;

  private constructor(
    readonly root: string,
    readonly bucket: string | undefined,
    private readonly manifest: OfflineManifest | undefined,
  ) {
    this.description = root;
  }

  static async open(root: string): Promise<LocalObjectStore> {
    const manifest = await readOfflineManifest(root);
    return new LocalObjectStore(path.resolve(root), manifest?.bucket, manifest);
  }

  /** True when the folder came with the digests' S3 metadata (signatures). */
  get hasMetadata(): boolean {
    return this.manifest !== undefined;
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    // Start from the deepest folder the prefix names, then filter by the full prefix.
    const slash = prefix.lastIndexOf('/');
    const base = path.join(this.root, ...(slash >= 0 ? prefix.slice(0, slash).split('/') : []));
    const found: ObjectInfo[] = [];
    const walk = async (dir: string): Promise<void> => {
      options.signal?.throwIfAborted();
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          await walk(full);
        } else if (entry.isFile()) {
          const key = toKey(this.root, full);
          if (key.startsWith(prefix) && (options.startAfter === undefined || key > options.startAfter)) {
            const stat = await fs.stat(full);
            found.push({ key, size: stat.size, lastModified: stat.mtime });
          }
        }
      }
    };
    await walk(base);
    found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    yield* found;
  }

  async listPrefixes(prefix: string): Promise<string[]> {
    const dir = path.join(this.root, ...prefix.split('/').filter(Boolean));
    try {
      const entries = await fs.readdir(dir, { withFileTypes: true });
      return entries
        .filter((e) => e.isDirectory())
        .map((e) => `${prefix}${e.name}/`)
        .sort();
    } catch {
      return [];
    }
  }

  async listFolder(prefix: string, options: { maxKeys?: number; nextToken?: string } = {}): Promise<FolderPage> {
    const dir = path.join(this.root, ...prefix.split('/').filter(Boolean));
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return { folders: [], objects: [] };
    }
    // Folders and files in S3 key order; the token is the index to continue from.
    const all = entries
      .filter((e) => e.isDirectory() || e.isFile())
      .map((e) => ({ key: `${prefix}${e.name}${e.isDirectory() ? '/' : ''}`, folder: e.isDirectory() }))
      .filter((e) => this.manifest === undefined || prefix !== '' || (e.key !== OFFLINE_MANIFEST && e.key !== PUBLIC_KEYS_FILE))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const start = options.nextToken ? Number(options.nextToken) : 0;
    const end = Math.min(all.length, start + (options.maxKeys ?? 1000));
    const page: FolderPage = { folders: [], objects: [], nextToken: end < all.length ? String(end) : undefined };
    for (const e of all.slice(start, end)) {
      if (e.folder) {
        page.folders.push(e.key);
      } else {
        const stat = await fs.stat(path.join(dir, e.key.slice(prefix.length)));
        page.objects.push({ key: e.key, size: stat.size, lastModified: stat.mtime });
      }
    }
    return page;
  }

  private fileOf(key: string): string {
    const file = path.join(this.root, ...key.split('/'));
    if (!file.startsWith(this.root + path.sep)) {
      throw new Error(`${key} points outside ${this.root}`);
    }
    return file;
  }

  private metadataOf(key: string): { metadata: Record<string, string>; metadataKnown: boolean } {
    const recorded = this.manifest?.digestMetadata[key];
    return recorded ? { metadata: { ...recorded }, metadataKnown: true } : { metadata: {}, metadataKnown: false };
  }

  async open(key: string): Promise<OpenedObject> {
    const file = this.fileOf(key);
    let size: number;
    try {
      size = (await fs.stat(file)).size;
    } catch {
      throw new ObjectNotFoundError(this.description, key);
    }
    return { key, stream: createReadStream(file), size, ...this.metadataOf(key) };
  }

  async get(key: string): Promise<StoredObject> {
    const file = this.fileOf(key);
    let body: Buffer;
    try {
      body = await fs.readFile(file);
    } catch {
      throw new ObjectNotFoundError(this.description, key);
    }
    return { key, body, ...this.metadataOf(key) };
  }
}
