import { Readable } from 'node:stream';
import { GetBucketLocationCommand, GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { FileTooLargeError } from '../files/regularFile';
import { DEFAULT_MAX_GET_BYTES, ObjectNotFoundError, type FolderPage, type GetOptions, type ListOptions, type ObjectInfo, type ObjectStore, type OpenedObject, type StoredObject } from './objectStore';

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.name === 'NoSuchBucket') return false; // the bucket, not the object: let the caller say so
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/** A bucket through the S3 API (read-only: List, Get, GetBucketLocation/HeadBucket). */
export class S3ObjectStore implements ObjectStore {
  readonly description: string;

  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {
    this.description = `s3://${bucket}`;
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    const pages = paginateListObjectsV2({ client: this.client, pageSize: 1000 }, { Bucket: this.bucket, Prefix: prefix, StartAfter: options.startAfter });
    for await (const page of pages) {
      options.signal?.throwIfAborted();
      for (const o of page.Contents ?? []) {
        if (o.Key !== undefined) {
          yield { key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified };
        }
      }
    }
  }

  async listPrefixes(prefix: string, options: { signal?: AbortSignal } = {}): Promise<string[]> {
    const prefixes: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }), { abortSignal: options.signal });
      for (const p of page.CommonPrefixes ?? []) {
        if (p.Prefix) prefixes.push(p.Prefix);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return prefixes;
  }

  async listFolder(prefix: string, options: { maxKeys?: number; nextToken?: string; signal?: AbortSignal } = {}): Promise<FolderPage> {
    const page = await this.client.send(
      new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, Delimiter: '/', MaxKeys: options.maxKeys ?? 1000, ContinuationToken: options.nextToken }),
      { abortSignal: options.signal },
    );
    return {
      folders: (page.CommonPrefixes ?? []).map((p) => p.Prefix).filter((p): p is string => p !== undefined),
      objects: (page.Contents ?? []).filter((o) => o.Key !== undefined && o.Key !== prefix).map((o) => ({ key: o.Key as string, size: o.Size ?? 0, lastModified: o.LastModified })),
      nextToken: page.IsTruncated ? page.NextContinuationToken : undefined,
    };
  }

  async open(key: string, options: { signal?: AbortSignal } = {}): Promise<OpenedObject> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: options.signal });
      const body = result.Body;
      if (!(body instanceof Readable)) {
        throw new Error(`s3://${this.bucket}/${key}: the S3 response has no readable body`);
      }
      return { key, stream: body, size: result.ContentLength, metadata: result.Metadata ?? {}, metadataKnown: true };
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(this.description, key);
      throw error;
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<StoredObject> {
    const max = options.maxBytes ?? DEFAULT_MAX_GET_BYTES;
    const opened = await this.open(key, options);
    const stream = opened.stream as Readable;
    const tooLarge = (): FileTooLargeError => {
      stream.destroy();
      return new FileTooLargeError(`${this.description}/${key}`, max);
    };
    if (opened.size !== undefined && opened.size > max) throw tooLarge();
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      length += chunk.length;
      if (length > max) throw tooLarge();
      chunks.push(chunk);
    }
    return { key, body: Buffer.concat(chunks), metadata: opened.metadata, metadataKnown: true };
  }
}

/**
 * The region a bucket lives in: GetBucketLocation (needs s3:GetBucketLocation), then the
 * x-amz-bucket-region header of HeadBucket as a fallback. `null`/empty means us-east-1, `EU` eu-west-1.
 */
export async function bucketRegion(client: S3Client, bucket: string, signal?: AbortSignal): Promise<string> {
  try {
    const location = await client.send(new GetBucketLocationCommand({ Bucket: bucket }), { abortSignal: signal });
    const constraint = location.LocationConstraint as string | undefined;
    if (!constraint) return 'us-east-1';
    return constraint === 'EU' ? 'eu-west-1' : constraint;
  } catch (error) {
    const e = error as { name?: string; $response?: { headers?: Record<string, string> }; $metadata?: { httpStatusCode?: number } };
    const header = e.$response?.headers?.['x-amz-bucket-region'];
    if (header) return header;
    if (e.name === 'NoSuchBucket') throw error;
    try {
      const head = await client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: signal });
      if (head.BucketRegion) return head.BucketRegion;
    } catch (headError) {
      const h = headError as { $response?: { headers?: Record<string, string> } };
      const region = h.$response?.headers?.['x-amz-bucket-region'];
      if (region) return region;
    }
    throw error;
  }
}
