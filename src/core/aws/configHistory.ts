// AWS Config's view of a resource around an event: the configuration item recorded just before
// the event's time and the first one after it, so a responder sees what the call changed. Read-only
// calls: ListDiscoveredResources (to turn a name into Config's resource id), GetResourceConfigHistory,
// and DescribeConfigurationRecorderStatus (to say why there is no history).
import {
  DescribeConfigurationRecorderStatusCommand,
  GetResourceConfigHistoryCommand,
  ListDiscoveredResourcesCommand,
  type ConfigServiceClient,
  type ConfigurationItem,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import { configTargetOf, type ConfigTarget } from './configTarget';

export { configTargetOf, type ConfigTarget };

/** Why there is no history to show, in words a user can act on. */
export class ConfigHistoryError extends Error {
  constructor(
    message: string,
    readonly reason: 'not-recorded' | 'config-off' | 'unsupported',
  ) {
    super(message);
    this.name = 'ConfigHistoryError';
  }
}

export interface ConfigAround {
  target: ConfigTarget;
  resourceId: string;
  region: string;
  /** The newest item captured at or before the event; undefined when Config has none that early. */
  before?: ConfigurationItem;
  /** The first item captured after the event; undefined when nothing changed since (or not yet recorded). */
  after?: ConfigurationItem;
}

function captured(item: ConfigurationItem): number {
  return item.configurationItemCaptureTime ? item.configurationItemCaptureTime.getTime() : NaN;
}

function named(error: unknown): string {
  return (error as { name?: string })?.name ?? '';
}

/**
 * Config's items for the resource `arn` names, just before and just after `eventMs`, in `region`.
 * Throws ConfigHistoryError when Config does not record the resource (or is off in the region);
 * other errors (access denied, network) as the SDK throws them.
 */
export async function configAround(client: ConfigServiceClient, arn: string, eventMs: number, region: string, signal?: AbortSignal): Promise<ConfigAround> {
  const target = configTargetOf(arn);
  if (!target) throw new ConfigHistoryError(`AWS Config history is not shown for ${arn}: its resource type is not one this maps to a Config resource type.`, 'unsupported');
  const resourceType = target.resourceType as ResourceType;
  // Config's id is not always the ARN's name (IAM: AIDA…, RDS: db-…): ask Config first.
  let resourceId = target.name;
  try {
    const listed = await client.send(new ListDiscoveredResourcesCommand({ resourceType, resourceName: target.name, includeDeletedResources: true, limit: 10 }), { abortSignal: signal });
    const match = listed.resourceIdentifiers?.find((r) => r.resourceName === target.name) ?? listed.resourceIdentifiers?.[0];
    if (match?.resourceId) resourceId = match.resourceId;
  } catch (error) {
    if (named(error) === 'AccessDeniedException') throw error;
    // Listing is a convenience: the history call below says what is wrong.
  }
  const history = async (input: { laterTime?: Date; earlierTime?: Date; chronologicalOrder: 'Reverse' | 'Forward' }): Promise<ConfigurationItem[]> => {
    try {
      const out = await client.send(new GetResourceConfigHistoryCommand({ resourceType, resourceId, limit: 10, ...input }), { abortSignal: signal });
      return out.configurationItems ?? [];
    } catch (error) {
      if (named(error) === 'ResourceNotDiscoveredException' || named(error) === 'NoAvailableConfigurationRecorderException') {
        const off = await recorderOff(client, signal);
        throw new ConfigHistoryError(
          off
            ? `AWS Config is not recording in ${region} (no configuration recorder is on), so it has no history of ${arn}.`
            : `AWS Config has no history of ${arn} in ${region}: its recorder does not record ${target.resourceType}, or the resource was never discovered there.`,
          off ? 'config-off' : 'not-recorded',
        );
      }
      throw error;
    }
  };
  // The API filters by time, and so does this (an emulator may not): at or before, then after.
  const olderOrEqual = (await history({ laterTime: new Date(eventMs), chronologicalOrder: 'Reverse' })).filter((i) => captured(i) <= eventMs);
  const newer = (await history({ earlierTime: new Date(eventMs + 1), chronologicalOrder: 'Forward' })).filter((i) => captured(i) > eventMs);
  const before = olderOrEqual.sort((a, b) => captured(b) - captured(a))[0];
  const after = newer.sort((a, b) => captured(a) - captured(b))[0];
  return { target, resourceId, region, before, after };
}

async function recorderOff(client: ConfigServiceClient, signal?: AbortSignal): Promise<boolean> {
  try {
    const status = await client.send(new DescribeConfigurationRecorderStatusCommand({}), { abortSignal: signal });
    return !(status.ConfigurationRecordersStatus ?? []).some((s) => s.recording);
  } catch {
    return false;
  }
}

/** Config writes configurations as JSON text, sometimes JSON text inside JSON text: read both. */
function unpack(value: unknown, depth = 0): unknown {
  if (typeof value === 'string' && depth < 3) {
    const t = value.trim();
    if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']')) || (t.startsWith('"') && t.endsWith('"'))) {
      try {
        return unpack(JSON.parse(t), depth + 1);
      } catch {
        return value;
      }
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => unpack(v, depth));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unpack(v, depth)]));
  return value;
}

/**
 * One side of the diff: the item's time, status and configuration as readable JSON (keys sorted, so
 * the diff shows changes, not reorderings), or a note saying why there is nothing on that side.
 */
export function configItemText(item: ConfigurationItem | undefined, side: 'before' | 'after', eventTime: string): string {
  if (!item) {
    const note =
      side === 'before'
        ? `AWS Config recorded no configuration of this resource at or before ${eventTime}: it did not exist yet, or Config did not record it then.`
        : `AWS Config recorded no configuration of this resource after ${eventTime}: nothing changed since, or Config has not recorded the change yet.`;
    return `${JSON.stringify({ note }, null, 2)}\n`;
  }
  const view = {
    configurationItemCaptureTime: item.configurationItemCaptureTime?.toISOString(),
    configurationItemStatus: item.configurationItemStatus,
    configurationStateId: item.configurationStateId,
    arn: item.arn,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    resourceName: item.resourceName,
    awsRegion: item.awsRegion,
    tags: item.tags,
    configuration: unpack(item.configuration),
    supplementaryConfiguration: unpack(item.supplementaryConfiguration),
    relationships: item.relationships,
  };
  return `${JSON.stringify(sortKeys(view), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
