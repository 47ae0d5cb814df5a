import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { DomainError } from '#domain';

/**
 * Where webhooks may go. Organizations choose the URL, so without these rules a webhook is a way
 * to make the worker POST to Redis, PostgreSQL or a cloud metadata service (SSRF).
 */
export interface EgressPolicy {
  /** http:// targets only where configured (local development); https otherwise. */
  allowHttp: boolean;
  /** Hostnames admitted even though they resolve to internal addresses (lower case, no trailing dot). */
  allowedHosts: ReadonlySet<string>;
}

export function egressPolicy(config: { WEBHOOK_ALLOW_HTTP: boolean; WEBHOOK_ALLOWED_HOSTS: string }): EgressPolicy {
  const hosts = config.WEBHOOK_ALLOWED_HOSTS.split(',').map(normalHost).filter(Boolean);
  return { allowHttp: config.WEBHOOK_ALLOW_HTTP, allowedHosts: new Set(hosts) };
}

const normalHost = (host: string) => host.trim().toLowerCase().replace(/\.$/, '');

/** Addresses no webhook may reach: everything that is not plainly a public unicast address. */
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  INTERNAL.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback and IPv4-compatible (::127.0.0.1)
  ['64:ff9b::', 96], // NAT64: embeds an IPv4 address of any kind
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  INTERNAL.addSubnet(net, prefix, 'ipv6');
}

/**
 * True for loopback, private, link-local, multicast, unique-local and reserved addresses, IPv4 or
 * IPv6; IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) are judged by their IPv4 address. Anything
 * that is not an IP address counts as internal.
 * @example isInternalAddress('::ffff:10.0.0.1') // true
 */
export function isInternalAddress(address: string): boolean {
  const unbracketed = address.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(unbracketed);
  if (family === 0) return true;
  return INTERNAL.check(unbracketed, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why a target is refused; the message is safe to show the organization. */
export class EgressRefused extends DomainError {
  constructor(reason: string) {
    super('unprocessable', 'WEBHOOK_TARGET_NOT_ALLOWED', reason, [{ field: 'url', reason }]);
  }
}

/** The URL if its form is acceptable: https (http only if allowed), no credentials in it, a host. */
export function checkWebhookUrl(raw: string, policy: EgressPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EgressRefused('url must be an absolute https URL');
  }
  const schemes = policy.allowHttp ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) throw new EgressRefused(policy.allowHttp ? 'url must be an http(s) URL' : 'url must be an https URL');
  if (url.username || url.password) throw new EgressRefused('url must not carry a user name or password');
  if (!url.hostname) throw new EgressRefused('url must name a host');
  return url;
}

export function isAllowListed(hostname: string, policy: EgressPolicy): boolean {
  return policy.allowedHosts.has(normalHost(hostname));
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/**
 * Every address the URL's host resolves to, refused if any of them is internal (unless the host is
 * allow-listed). Used at registration; delivery checks again, at connect time, because DNS answers
 * may change between the two (DNS rebinding).
 */
export async function resolveWebhookTarget(url: URL, policy: EgressPolicy, resolve: Resolver = systemResolver): Promise<ResolvedAddress[]> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(host);
  let addresses: ResolvedAddress[];
  if (literal) {
    addresses = [{ address: host, family: literal }];
  } else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new EgressRefused('the url’s host name does not resolve');
    }
  }
  if (isAllowListed(host, policy)) return addresses;
  if (addresses.length === 0) throw new EgressRefused('the url’s host name does not resolve');
  if (addresses.some((a) => isInternalAddress(a.address))) {
    throw new EgressRefused('the url must reach a public address: loopback, private, link-local, multicast and unique-local addresses are refused');
  }
  return addresses;
}
