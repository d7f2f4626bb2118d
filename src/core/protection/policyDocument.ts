// IAM policy documents (bucket policies and identity policies) read properly: Statement as an object
// or an array; Action, NotAction, Resource, NotResource, Principal values as a string or an array;
// wildcards `*` and `?` in actions (case-insensitive) and resources (case-sensitive).
//
// What this does NOT do, by design: evaluate conditions against a request (there is no request),
// SCPs, permission boundaries, session policies or ACLs. Callers decide per check how a statement
// with a Condition counts, and say so in the evidence.

export class PolicyParseError extends Error {}

/** A principal entry: `AWS`, `Service`, `Federated`, `CanonicalUser`, or `*` for "anyone". */
export interface PrincipalEntry {
  type: string;
  value: string;
}

export interface PrincipalSpec {
  /** `"*"` or `{"AWS": "*"}`: everyone, including anonymous callers. */
  anyone: boolean;
  entries: PrincipalEntry[];
}

/** Condition operator → condition key → values, all as strings. */
export type ConditionBlock = Record<string, Record<string, string[]>>;

export interface PolicyStatement {
  sid?: string;
  effect: 'Allow' | 'Deny';
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  condition?: ConditionBlock;
}

export interface PolicyDocument {
  statements: PolicyStatement[];
}

function strings(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  for (const v of list) {
    if (typeof v !== 'string') throw new PolicyParseError(`${field} holds a ${typeof v}, not a string`);
  }
  return list as string[];
}

function principal(value: unknown, field: string): PrincipalSpec | undefined {
  if (value === undefined) return undefined;
  if (value === '*') return { anyone: true, entries: [{ type: '*', value: '*' }] };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PolicyParseError(`${field} is neither "*" nor an object`);
  const entries: PrincipalEntry[] = [];
  for (const [type, v] of Object.entries(value as Record<string, unknown>)) {
    for (const s of strings(v, `${field}.${type}`) ?? []) entries.push({ type, value: s });
  }
  return { anyone: entries.some((e) => e.type === 'AWS' && e.value === '*'), entries };
}

function condition(value: unknown): ConditionBlock | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) throw new PolicyParseError('Condition is not an object');
  const block: ConditionBlock = {};
  for (const [operator, keys] of Object.entries(value as Record<string, unknown>)) {
    if (typeof keys !== 'object' || keys === null) throw new PolicyParseError(`Condition.${operator} is not an object`);
    block[operator] = {};
    for (const [key, v] of Object.entries(keys as Record<string, unknown>)) {
      block[operator][key] = (Array.isArray(v) ? v : [v]).map((x) => String(x));
    }
  }
  return block;
}

function statement(raw: unknown, index: number): PolicyStatement {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new PolicyParseError(`Statement[${index}] is not an object`);
  const s = raw as Record<string, unknown>;
  const effect = typeof s.Effect === 'string' ? s.Effect.toLowerCase() : '';
  if (effect !== 'allow' && effect !== 'deny') throw new PolicyParseError(`Statement[${index}] has no Effect Allow or Deny`);
  return {
    sid: typeof s.Sid === 'string' && s.Sid !== '' ? s.Sid : undefined,
    effect: effect === 'allow' ? 'Allow' : 'Deny',
    principal: principal(s.Principal, 'Principal'),
    notPrincipal: principal(s.NotPrincipal, 'NotPrincipal'),
    action: strings(s.Action, 'Action'),
    notAction: strings(s.NotAction, 'NotAction'),
    resource: strings(s.Resource, 'Resource'),
    notResource: strings(s.NotResource, 'NotResource'),
    condition: condition(s.Condition),
  };
}

/**
 * Parses a policy document. IAM hands identity policies over URL-encoded (RFC 3986); bucket
 * policies come as plain JSON. Both are accepted.
 */
export function parsePolicy(text: string): PolicyDocument {
  let parsed: unknown;
  const trimmed = text.trim();
  try {
    // A JSON policy starts with "{"; anything else is the URL-encoded form (which may start with an encoded newline).
    parsed = JSON.parse(trimmed.startsWith('{') ? trimmed : decodeURIComponent(trimmed).trim());
  } catch (error) {
    throw new PolicyParseError(`the policy is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new PolicyParseError('the policy is not a JSON object');
  const raw = (parsed as { Statement?: unknown }).Statement;
  if (raw === undefined) return { statements: [] };
  const list = Array.isArray(raw) ? raw : [raw];
  return { statements: list.map((s, i) => statement(s, i)) };
}

const patternCache = new Map<string, RegExp>();

/** `*` any run of characters, `?` one character; everything else literal. */
export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const cacheKey = `${ignoreCase ? 'i' : 's'}:${pattern}`;
  let re = patternCache.get(cacheKey);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    patternCache.set(cacheKey, re);
  }
  return re.test(value);
}

/** Whether an action pattern (`s3:Delete*`, `*`, `cloudtrail:stoplogging`) covers an action. */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatch(pattern, action, true);
}

/**
 * How to read a statement for a question:
 * - `broad` ("could this allow it?"): a policy variable such as `${aws:username}` may stand for
 *   anything, and a statement without Resource counts for every resource.
 * - `narrow` ("does this surely cover it?"): a resource with a policy variable never counts, nor a
 *   statement without Resource. Use it before crediting a Deny as protection.
 */
export type MatchMode = 'broad' | 'narrow';

export function resourceMatches(pattern: string, arn: string, mode: MatchMode): boolean {
  if (pattern.includes('${')) {
    if (mode === 'narrow') return false;
    return wildcardMatch(pattern.replace(/\$\{[^}]*\}/g, '*'), arn, false);
  }
  return wildcardMatch(pattern, arn, false);
}

/** Whether the statement's Action (or NotAction) covers the action. */
export function coversAction(s: PolicyStatement, action: string): boolean {
  if (s.action) return s.action.some((p) => actionMatches(p, action));
  if (s.notAction) return !s.notAction.some((p) => actionMatches(p, action));
  return false;
}

/** Whether the statement's Resource (or NotResource) covers the ARN. */
export function coversResource(s: PolicyStatement, arn: string, mode: MatchMode): boolean {
  if (s.resource) return s.resource.some((p) => resourceMatches(p, arn, mode));
  // NotResource: read literally in both modes; a variable in it makes the exclusion uncertain,
  // so `narrow` does not credit the statement at all.
  if (s.notResource) {
    if (mode === 'narrow' && s.notResource.some((p) => p.includes('${'))) return false;
    return !s.notResource.some((p) => resourceMatches(p, arn, 'broad'));
  }
  return mode === 'broad';
}

/** Whether the statement applies to everyone (`Principal: "*"` or `{"AWS": "*"}`). */
export function appliesToAnyone(s: PolicyStatement): boolean {
  return s.principal?.anyone === true;
}

/** Whether the statement names this service principal (`{"Service": "cloudtrail.amazonaws.com"}`). */
export function namesService(s: PolicyStatement, service: string): boolean {
  return (s.principal?.entries ?? []).some((e) => e.type === 'Service' && e.value.toLowerCase() === service) || appliesToAnyone(s);
}

/** Every condition key of the statement with its operator (keys are case-insensitive in IAM: compare lower-cased). */
export function conditionKeys(s: PolicyStatement): { operator: string; key: string; values: string[] }[] {
  const out: { operator: string; key: string; values: string[] }[] = [];
  for (const [operator, keys] of Object.entries(s.condition ?? {})) {
    for (const [key, values] of Object.entries(keys)) out.push({ operator, key, values });
  }
  return out;
}

function list(values: string[] | undefined): string {
  if (!values) return '';
  return values.length === 1 ? values[0] : `[${values.join(', ')}]`;
}

function principalText(p: PrincipalSpec): string {
  if (p.anyone) return '*';
  return p.entries.map((e) => `${e.type}:${e.value}`).join(', ');
}

/**
 * The statement in one quotable line: `Sid: Effect Principal Action on Resource if Condition`.
 * Long lists are kept whole; this is evidence, and cutting it would hide what was read.
 */
export function describeStatement(s: PolicyStatement): string {
  const parts: string[] = [];
  if (s.sid) parts.push(`${s.sid}:`);
  parts.push(s.effect);
  if (s.principal) parts.push(principalText(s.principal));
  if (s.notPrincipal) parts.push(`everyone except ${principalText(s.notPrincipal)}`);
  if (s.action) parts.push(list(s.action));
  if (s.notAction) parts.push(`every action except ${list(s.notAction)}`);
  if (s.resource) parts.push(`on ${list(s.resource)}`);
  if (s.notResource) parts.push(`on everything except ${list(s.notResource)}`);
  const conditions = conditionKeys(s);
  if (conditions.length > 0) parts.push(`if ${conditions.map((c) => `${c.operator} ${c.key} ${list(c.values)}`).join(' and ')}`);
  return parts.join(' ');
}
