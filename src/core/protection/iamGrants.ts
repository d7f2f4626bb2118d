// Who may touch the logs, from the account's IAM identity policies (GetAccountAuthorizationDetails).
//
// A principal (user or role) is listed for an action when one of its policies (inline, attached,
// or through a group for users) has an Allow covering the action and resource, wildcards included,
// no unconditional Deny in its own policies covers it, and its permissions boundary (when read)
// allows it too. Conditions on an Allow are not evaluated: the grant is listed and marked
// "conditional". Not evaluated: SCPs, resource policies, session policies, and other accounts.
// This is information to review, not proof that a call would succeed.
import { coversAction, coversResource, parsePolicy, type PolicyDocument } from './policyDocument';
import type { AuthorizationDetails, IamEntity } from './protectionReader';

export interface GrantTarget {
  action: string;
  /** The ARN the action would act on (a trail, or a sample log object). */
  resource: string;
}

export interface Grant {
  /** `user/alice` or `role/Admin` (with its path left out). */
  principal: string;
  arn: string;
  /** The target actions the principal is allowed, in target order. */
  actions: string[];
  /** The policies that allow them: a managed policy's name, `inline X`, `group G: X`. */
  via: string[];
  /** Every allowing statement has a Condition. */
  conditional: boolean;
}

export interface GrantsResult {
  grants: Grant[];
  /** Policies that could not be parsed, or boundaries that could not be read. */
  notes: string[];
}

interface LabelledPolicy {
  label: string;
  doc: PolicyDocument;
}

export function findGrants(details: AuthorizationDetails, targets: readonly GrantTarget[]): GrantsResult {
  const notes: string[] = [];
  const parsed = new Map<string, PolicyDocument | undefined>();
  const parse = (key: string, label: string, text: string | undefined): PolicyDocument | undefined => {
    if (parsed.has(key)) return parsed.get(key);
    let doc: PolicyDocument | undefined;
    try {
      doc = text ? parsePolicy(text) : undefined;
      if (!doc) notes.push(`${label}: no document returned`);
    } catch (error) {
      notes.push(`${label}: ${error instanceof Error ? error.message : String(error)}`);
    }
    parsed.set(key, doc);
    return doc;
  };
  const managed = new Map(details.policies.map((p) => [p.arn, p]));
  const groups = new Map(details.entities.filter((e) => e.kind === 'group').map((g) => [g.name, g]));

  const policiesOf = (entity: IamEntity, prefix: string): LabelledPolicy[] => {
    const out: LabelledPolicy[] = [];
    for (const p of entity.inlinePolicies) {
      const doc = parse(`${entity.arn}#${p.name}`, `${entity.kind}/${entity.name} inline ${p.name}`, p.document);
      if (doc) out.push({ label: `${prefix}inline ${p.name}`, doc });
    }
    for (const arn of entity.attachedPolicyArns) {
      const m = managed.get(arn);
      const doc = parse(arn, m?.name ?? arn, m?.document);
      if (doc) out.push({ label: `${prefix}${m?.name ?? arn}`, doc });
    }
    return out;
  };

  const grants: Grant[] = [];
  for (const entity of details.entities) {
    if (entity.kind === 'group') continue;
    const policies = policiesOf(entity, '');
    for (const g of entity.groups) {
      const group = groups.get(g);
      if (group) policies.push(...policiesOf(group, `group ${g}: `));
    }
    let boundary: PolicyDocument | undefined;
    if (entity.permissionsBoundaryArn) {
      const m = managed.get(entity.permissionsBoundaryArn);
      boundary = parse(entity.permissionsBoundaryArn, `boundary ${m?.name ?? entity.permissionsBoundaryArn}`, m?.document);
    }
    const actions: string[] = [];
    const via = new Set<string>();
    let conditional = true;
    for (const target of targets) {
      const allowing = policies.flatMap((p) => p.doc.statements.filter((s) => s.effect === 'Allow' && coversAction(s, target.action) && coversResource(s, target.resource, 'broad')).map((s) => ({ p, s })));
      if (allowing.length === 0) continue;
      const denied = policies.some((p) => p.doc.statements.some((s) => s.effect === 'Deny' && !s.condition && coversAction(s, target.action) && coversResource(s, target.resource, 'narrow')));
      if (denied) continue;
      if (boundary && !boundary.statements.some((s) => s.effect === 'Allow' && coversAction(s, target.action) && coversResource(s, target.resource, 'broad'))) continue;
      if (!actions.includes(target.action)) actions.push(target.action);
      for (const a of allowing) via.add(a.p.label);
      conditional &&= allowing.every((a) => a.s.condition !== undefined);
    }
    if (actions.length > 0) grants.push({ principal: `${entity.kind}/${entity.name}`, arn: entity.arn, actions, via: [...via], conditional });
  }
  grants.sort((a, b) => a.principal.localeCompare(b.principal));
  return { grants, notes };
}

/** `user/mallory: cloudtrail:StopLogging, cloudtrail:DeleteTrail (via danger, inline inl)`. */
export function describeGrant(g: Grant): string {
  return `${g.principal}: ${g.actions.join(', ')} (via ${g.via.join(', ')}${g.conditional ? '; with conditions' : ''})`;
}
