import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { decodeText } from '../../core/events/reader';
import type { AwsSession } from '../aws/awsSession';

export const OBJECT_SCHEME = 'cloudtrail-lens-object';

export type ObjectRef = { kind: 's3'; bucket: string; key: string } | { kind: 'file'; path: string };

/** A read-only document showing an S3 object or a local file as text (gzip inflated, JSON pretty-printed). */
export function objectUri(ref: ObjectRef): vscode.Uri {
  const name = ref.kind === 's3' ? `/${ref.bucket}/${ref.key}` : `/${path.basename(ref.path)}`;
  return vscode.Uri.from({ scheme: OBJECT_SCHEME, path: name.replace(/\.gz$/, ''), query: JSON.stringify(ref) });
}

export function objectRefOf(uri: vscode.Uri): ObjectRef {
  return JSON.parse(uri.query) as ObjectRef;
}

/** True for CloudTrail event log files (not digests), by their key. */
export function isLogKey(key: string): boolean {
  return /\/CloudTrail(-Insight|-NetworkActivity|-Aggregated)?\//.test(key) && /\.json(\.gz)?$/.test(key);
}

export class ObjectDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly session: AwsSession) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref = objectRefOf(uri);
    let bytes: Buffer;
    let name: string;
    if (ref.kind === 's3') {
      name = `s3://${ref.bucket}/${ref.key}`;
      const store = await this.session.s3Store(ref.bucket);
      bytes = (await store.get(ref.key)).body;
    } else {
      name = ref.path;
      bytes = await fs.readFile(ref.path);
    }
    const text = await decodeText(bytes, name);
    try {
      return JSON.stringify(JSON.parse(text), null, 2) + '\n';
    } catch {
      return text; // not JSON: shown as it is, which is what a reader of the object would see
    }
  }
}
