// `*` as "any run of characters, newlines included", everything else literal: the wildcard of
// CloudWatch Logs filter patterns and EventBridge `wildcard` matchers. (IAM's `*` and `?` are
// policyDocument's wildcardMatch.)
export function starMatch(pattern: string, text: string): boolean {
  if (!pattern.includes('*')) return pattern === text;
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's').test(text);
}
