/**
 * Read-only access to a trail's objects, behind one interface for S3 and for a local folder laid
 * out as `aws s3 sync` writes a bucket. Keys are always S3 keys ('/'-separated, relative to the
 * bucket root), whatever the store.
 */
export interface ObjectInfo {
  key: string;
  size: number;
  lastModified?: Date;
}

export interface StoredObject {
  key: string;
  body: Buffer;
  /** S3 user metadata (lower-case names without `x-amz-meta-`), or what a local folder recorded. */
  metadata: Record<string, string>;
  /** False when the store cannot know the object's metadata (a local folder without a record of it). */
  metadataKnown: boolean;
}

export interface ListOptions {
  /** List keys after this one (S3 StartAfter); keys come in ascending UTF-8 order. */
  startAfter?: string;
  signal?: AbortSignal;
}

export interface ObjectStore {
  /** What a message can call this store: `s3://bucket` or a folder path. */
  readonly description: string;
  /** The bucket name (for a local folder, the bucket it was downloaded from, when known). */
  readonly bucket: string | undefined;
  /** Every object whose key starts with `prefix`, in ascending key order, page by page. */
  list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo>;
  /** The "folders" directly under `prefix` (which must end with '/' or be empty), each ending with '/'. */
  listPrefixes(prefix: string, options?: { signal?: AbortSignal }): Promise<string[]>;
  /**
   * One page of what is directly under `prefix` (ending with '/' or empty): sub-folders and
   * objects, in key order; pass `nextToken` back for the next page.
   */
  listFolder(prefix: string, options?: { maxKeys?: number; nextToken?: string; signal?: AbortSignal }): Promise<FolderPage>;
  /**
   * The object's bytes as stored (gzip stays gzip) and its metadata. Throws ObjectNotFoundError, and
   * FileTooLargeError past `maxBytes` (default DEFAULT_MAX_GET_BYTES), counted while reading.
   */
  get(key: string, options?: GetOptions): Promise<StoredObject>;
  /** The object as a stream (for hashing large objects without holding them), with its metadata. */
  open(key: string, options?: { signal?: AbortSignal }): Promise<OpenedObject>;
}

export interface GetOptions {
  signal?: AbortSignal;
  /** Refuse an object larger than this (stored bytes). */
  maxBytes?: number;
}

/** What `get` holds in memory at most unless told otherwise: more than any CloudTrail file. */
export const DEFAULT_MAX_GET_BYTES = 512 * 1024 * 1024;

export interface FolderPage {
  folders: string[];
  objects: ObjectInfo[];
  nextToken?: string;
}

export interface OpenedObject extends Omit<StoredObject, 'body'> {
  stream: NodeJS.ReadableStream;
  size?: number;
}

/** The object does not exist (S3 NoSuchKey, or no such file). */
export class ObjectNotFoundError extends Error {
  constructor(
    readonly store: string,
    readonly key: string,
  ) {
    super(`${store}/${key} does not exist`);
    this.name = 'ObjectNotFoundError';
  }
}
