import { promises as fs, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { openRegularFile, readOpened, readRegularTextFile } from '../files/regularFile';
import { DEFAULT_MAX_GET_BYTES, ObjectNotFoundError, type FolderPage, type GetOptions, type ListOptions, type ObjectInfo, type ObjectStore, type OpenedObject, type StoredObject } from './objectStore';

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
  /**
   * GetTrailStatus of each region when the folder was downloaded: the latest digest delivery tells
   * offline validation which newest digests must be there. ISO 8601 times.
   */
  trailStatus?: Record<string, { latestDigestDeliveryTime?: string; askedAt: string; error?: string }>;
  [key: string]: unknown;
}

/** Reads the offline manifest of a folder, or undefined when the folder has none (a plain `aws s3 sync`). */
export async function readOfflineManifest(root: string): Promise<OfflineManifest | undefined> {
  const file = path.join(root, OFFLINE_MANIFEST);
  let text: string;
  try {
    text = await readRegularTextFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${file} cannot be read (${(error as Error).message}); remove it, or download the trail again into an empty folder.`, { cause: error });
  }
  let manifest: OfflineManifest;
  try {
    manifest = JSON.parse(text) as OfflineManifest;
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); remove it, or download the trail again into an empty folder.`, { cause: error });
  }
  if (typeof manifest !== 'object' || manifest === null || manifest.format !== 'cloudtrail-lens-offline/1' || typeof manifest.digestMetadata !== 'object' || manifest.digestMetadata === null || Array.isArray(manifest.digestMetadata)) {
    throw new Error(`${file} is not a CloudTrail Lens offline manifest (format cloudtrail-lens-offline/1 with digestMetadata); remove it, or download the trail again into an empty folder.`);
  }
  for (const [key, meta] of Object.entries(manifest.digestMetadata)) {
    if (typeof meta !== 'object' || meta === null || Object.values(meta).some((v) => typeof v !== 'string')) {
      throw new Error(`${file} records metadata for ${key} that is not a map of strings; remove it, or download the trail again into an empty folder.`);
    }
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
      const entries = await this.entries(dir);
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          await walk(full);
          continue;
        }
        // Every other entry is an object, as S3 would list it: a FIFO, a device, a socket or a link
        // is listed too (reading it says what it is), so that nothing in a trail's folders is passed
        // over in silence. Symbolic links are not followed into folders (a link to / would be walked).
        const key = toKey(this.root, full);
        if (key.startsWith(prefix) && (options.startAfter === undefined || key > options.startAfter)) {
          found.push({ key, ...(await this.sizeOf(full, entry)) });
        }
      }
    };
    await walk(base);
    found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    yield* found;
  }

  /** The entries of a folder; none when it does not exist (as S3 lists nothing), an error naming it otherwise. */
  private async entries(dir: string): Promise<Dirent[]> {
    try {
      return await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw new Error(`cannot list folder ${dir} (${(error as Error).message})`, { cause: error });
    }
  }

  /** Size and time of a listed entry (a link's target when it has one; 0 for what is not a regular file). */
  private async sizeOf(full: string, entry: Dirent): Promise<{ size: number; lastModified?: Date }> {
    const stat = await (entry.isSymbolicLink() ? fs.stat(full) : fs.lstat(full)).catch(() => undefined);
    return stat?.isFile() ? { size: stat.size, lastModified: stat.mtime } : { size: 0, lastModified: stat?.mtime };
  }

  async listPrefixes(prefix: string): Promise<string[]> {
    const dir = path.join(this.root, ...prefix.split('/').filter(Boolean));
    return (await this.entries(dir))
      .filter((e) => e.isDirectory())
      .map((e) => `${prefix}${e.name}/`)
      .sort();
  }

  async listFolder(prefix: string, options: { maxKeys?: number; nextToken?: string } = {}): Promise<FolderPage> {
    const dir = path.join(this.root, ...prefix.split('/').filter(Boolean));
    const entries = await this.entries(dir);
    // Folders and objects (every entry that is not a folder, as in list()) in S3 key order; the
    // token is the index to continue from.
    const all = entries
      .map((e) => ({ key: `${prefix}${e.name}${e.isDirectory() ? '/' : ''}`, folder: e.isDirectory(), entry: e }))
      .filter((e) => this.manifest === undefined || prefix !== '' || (e.key !== OFFLINE_MANIFEST && e.key !== PUBLIC_KEYS_FILE))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const start = options.nextToken ? Number(options.nextToken) : 0;
    const end = Math.min(all.length, start + (options.maxKeys ?? 1000));
    const page: FolderPage = { folders: [], objects: [], nextToken: end < all.length ? String(end) : undefined };
    for (const e of all.slice(start, end)) {
      if (e.folder) {
        page.folders.push(e.key);
      } else {
        page.objects.push({ key: e.key, ...(await this.sizeOf(path.join(dir, e.entry.name), e.entry)) });
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

  /**
   * A folder with a manifest knows the metadata of every digest it downloaded: one it has no record
   * of came from elsewhere and has none (as an S3 object without a signature). Without a manifest
   * (a plain `aws s3 sync`) no object's metadata is known.
   */
  private metadataOf(key: string): { metadata: Record<string, string>; metadataKnown: boolean } {
    if (!this.manifest) return { metadata: {}, metadataKnown: false };
    const recorded = Object.hasOwn(this.manifest.digestMetadata, key) ? this.manifest.digestMetadata[key] : undefined;
    return { metadata: { ...recorded }, metadataKnown: true };
  }

  /**
   * Opens a regular file (a link to one is followed). Anything else is refused with
   * NotARegularFileError, which says what it is; reading is never unbounded or blocking.
   */
  async open(key: string): Promise<OpenedObject> {
    const file = this.fileOf(key);
    const opened = await this.openFile(file, key);
    return { key, stream: opened.handle.createReadStream({ highWaterMark: 256 * 1024 }), size: opened.size, ...this.metadataOf(key) };
  }

  async get(key: string, options: GetOptions = {}): Promise<StoredObject> {
    const file = this.fileOf(key);
    const opened = await this.openFile(file, key);
    const body = await readOpened(opened, file, { maxBytes: options.maxBytes ?? DEFAULT_MAX_GET_BYTES, signal: options.signal });
    return { key, body, ...this.metadataOf(key) };
  }

  private async openFile(file: string, key: string): ReturnType<typeof openRegularFile> {
    try {
      return await openRegularFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new ObjectNotFoundError(this.description, key);
      throw error;
    }
  }
}
