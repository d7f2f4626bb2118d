import type { TrailApi, TrailSummary } from './trailApi';

export interface RegionFailure {
  region: string;
  error: unknown;
}

export interface TrailCatalog {
  /** Each trail once (by ARN), sorted by name then home region. */
  trails: TrailSummary[];
  /** Regions where DescribeTrails failed; the others still count. */
  failures: RegionFailure[];
  regions: string[];
}

/**
 * DescribeTrails (with shadow trails) in every region, each trail listed once with its home region.
 * A region that fails (AccessDenied, an opt-in region not enabled) does not hide the others.
 */
export async function listTrails(apis: readonly TrailApi[], signal?: AbortSignal): Promise<TrailCatalog> {
  const settled = await Promise.allSettled(apis.map((api) => api.describeTrails(signal)));
  const byArn = new Map<string, TrailSummary>();
  const failures: RegionFailure[] = [];
  settled.forEach((result, i) => {
    if (result.status === 'rejected') {
      failures.push({ region: apis[i].region, error: result.reason });
      return;
    }
    const region = apis[i].region;
    for (const trail of result.value) {
      const known = byArn.get(trail.arn) ?? { ...trail, shadowRegions: [] };
      byArn.set(trail.arn, known);
      // A multi-region or organization trail shows in every region as a shadow of its home-region trail.
      if (region !== known.homeRegion && !known.shadowRegions?.includes(region)) known.shadowRegions = [...(known.shadowRegions ?? []), region].sort();
    }
  });
  const trails = [...byArn.values()].sort((a, b) => a.name.localeCompare(b.name) || a.homeRegion.localeCompare(b.homeRegion));
  return { trails, failures, regions: apis.map((a) => a.region) };
}

/** The account id in a trail ARN (`arn:aws:cloudtrail:us-east-1:111122223333:trail/name`). */
export function trailAccount(arn: string): string | undefined {
  return /^arn:[^:]+:cloudtrail:[^:]*:(\d{12}):trail\//.exec(arn)?.[1];
}

