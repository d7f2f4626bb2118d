/** An Amazon Resource Name taken apart: `arn:partition:service:region:account:resource`. */
export interface ParsedArn {
  arn: string;
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
  /** `user` in `user/alice`, `function` in `function:my-fn`; undefined when the resource has no type. */
  resourceType?: string;
  resourceId: string;
}

const ARN = /^arn:([a-z0-9-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws|)?:(.+)$/s;

export function parseArn(value: string): ParsedArn | undefined {
  const m = ARN.exec(value);
  if (!m) {
    return undefined;
  }
  const [, partition, service, region, account = '', resource] = m;
  const slash = resource.indexOf('/');
  const colon = resource.indexOf(':');
  let resourceType: string | undefined;
  let resourceId = resource;
  // S3 object and bucket ARNs have no resource type: `bucket` or `bucket/key`.
  if (service !== 's3' || resource.startsWith('accesspoint/') || resource.startsWith('job/')) {
    const cut = slash < 0 ? colon : colon < 0 ? slash : Math.min(slash, colon);
    if (cut > 0) {
      resourceType = resource.slice(0, cut);
      resourceId = resource.slice(cut + 1);
    }
  }
  return { arn: value, partition, service, region, account, resource, resourceType, resourceId };
}

export function looksLikeArn(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('arn:') && ARN.test(value);
}
