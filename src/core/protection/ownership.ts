// Whose trail is it, seen from the account the checks run as? Organization trails are owned by the
// management account; a member account sees them (DescribeTrails lists them, with the management
// account in the ARN) but may not change them and usually cannot read their bucket or key; a
// CloudTrail delegated administrator may change them although the trail stays the management
// account's. A multi-region trail also shows in every other region as a shadow trail.
import type { TrailSummary } from '../aws/trailApi';
import { trailAccount } from '../aws/trailCatalog';
import type { TrailOwnership } from './types';

/** `delegatedAdmins`: the CloudTrail delegated administrators, when ListDelegatedAdministrators answered. */
export function trailOwnership(trail: TrailSummary, viewer: string | undefined, delegatedAdmins?: readonly string[]): TrailOwnership {
  const owner = trailAccount(trail.arn);
  const shadowRegions = trail.shadowRegions && trail.shadowRegions.length > 0 ? { shadowRegions: [...trail.shadowRegions] } : {};
  const base = { ...(owner ? { owner } : {}), ...(viewer ? { viewer } : {}), ...shadowRegions };
  if (!viewer || !owner) return { kind: 'unknown', ...base };
  if (viewer === owner) return { kind: trail.isOrganizationTrail ? 'organization-management' : 'own', ...base };
  if (!trail.isOrganizationTrail) return { kind: 'other-account', ...base };
  return { kind: delegatedAdmins?.includes(viewer) ? 'organization-delegated' : 'organization-member', ...base };
}

/** One sentence for reports and tooltips. */
export function describeOwnership(o: TrailOwnership): string {
  const shadows = o.shadowRegions && o.shadowRegions.length > 0 ? ` It also appears as a shadow trail in ${o.shadowRegions.length} other region${o.shadowRegions.length === 1 ? '' : 's'} (${o.shadowRegions.join(', ')}); it is checked once, in its home region.` : '';
  switch (o.kind) {
    case 'own':
      return `A trail of account ${o.owner}, the account these checks run as.${shadows}`;
    case 'organization-management':
      return `An organization trail of management account ${o.owner}, the account these checks run as; it logs every member account.${shadows}`;
    case 'organization-delegated':
      return `An organization trail of management account ${o.owner}, seen from account ${o.viewer}, a CloudTrail delegated administrator: it may change the trail, which stays the management account's.${shadows}`;
    case 'organization-member':
      return `An organization trail of management account ${o.owner}, seen from member account ${o.viewer}: members may read it but not change it, and usually cannot read its bucket or key.${shadows}`;
    case 'other-account':
      return `A trail of account ${o.owner}, seen from account ${o.viewer}.${shadows}`;
    default:
      return `A trail of account ${o.owner ?? '(unknown)'}; the account these checks run as could not be read (sts:GetCallerIdentity).${shadows}`;
  }
}
