import * as ipaddr from 'ipaddr.js';

export type SourceKind = 'ipv4' | 'ipv6' | 'service' | 'internal' | 'other';

/** What a `sourceIPAddress` value is. */
export interface SourceClass {
  kind: SourceKind;
  /** Short label for lenses: `public IPv4`, `private IPv4`, `AWS service`, `AWS Internal`… */
  label: string;
  /** One sentence for hovers. */
  detail: string;
}

const DOCUMENTATION: [string, string][] = [
  ['192.0.2.0/24', 'TEST-NET-1'],
  ['198.51.100.0/24', 'TEST-NET-2'],
  ['203.0.113.0/24', 'TEST-NET-3'],
  ['2001:db8::/32', 'IPv6 documentation prefix'],
];

function documentationRange(addr: ipaddr.IPv4 | ipaddr.IPv6): string | undefined {
  for (const [cidr, name] of DOCUMENTATION) {
    const [range, bits] = ipaddr.parseCIDR(cidr);
    if (range.kind() === addr.kind() && addr.match(range, bits)) {
      return `${name}, ${cidr}`;
    }
  }
  return undefined;
}

const RANGE_TEXT: Record<string, { label: string; detail: string }> = {
  unicast: { label: 'public', detail: 'a public address on the internet' },
  private: { label: 'private', detail: 'a private (RFC 1918) address: a request from inside a network, typically through a VPC endpoint' },
  uniqueLocal: { label: 'private', detail: 'a unique local (private) IPv6 address, typically through a VPC endpoint' },
  carrierGradeNat: { label: 'shared', detail: 'a shared (carrier-grade NAT, RFC 6598) address' },
  loopback: { label: 'loopback', detail: 'a loopback address, which a real request to AWS cannot come from' },
  linkLocal: { label: 'link-local', detail: 'a link-local address (such as the instance metadata range)' },
  multicast: { label: 'multicast', detail: 'a multicast address, which a real request cannot come from' },
  unspecified: { label: 'unspecified', detail: 'the unspecified address' },
  broadcast: { label: 'broadcast', detail: 'the broadcast address' },
  reserved: { label: 'reserved', detail: 'a reserved address' },
};

/** Classifies a sourceIPAddress, treating it as an opaque string first (it may be a service name). */
export function classifySource(value: string): SourceClass {
  if (value === 'AWS Internal') {
    return { kind: 'internal', label: 'AWS Internal', detail: 'an AWS-internal caller: the request came from within AWS on your behalf' };
  }
  if (/^[a-z0-9.-]+\.amazonaws\.com$/i.test(value) || /^[a-z0-9-]+\.amazonaws\.com\.cn$/i.test(value)) {
    return { kind: 'service', label: 'AWS service', detail: `the AWS service ${value} made the call on your behalf` };
  }
  if (!ipaddr.isValid(value)) {
    return { kind: 'other', label: 'not an IP address', detail: 'a value that is neither an IP address nor an AWS service name' };
  }
  let addr = ipaddr.parse(value);
  let range = addr.range();
  if (addr.kind() === 'ipv6' && range === 'ipv4Mapped') {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
    range = addr.range();
  }
  const version = addr.kind() === 'ipv4' ? 'IPv4' : 'IPv6';
  const kind: SourceKind = addr.kind() === 'ipv4' ? 'ipv4' : 'ipv6';
  const doc = documentationRange(addr);
  if (doc) {
    return { kind, label: `documentation ${version}`, detail: `a documentation address (${doc}), reserved for examples and never routed` };
  }
  const text = RANGE_TEXT[range] ?? { label: range, detail: `an address in the ${range} range` };
  return { kind, label: `${text.label} ${version}`, detail: text.detail };
}
