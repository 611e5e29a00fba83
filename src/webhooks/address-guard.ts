// Which addresses a webhook may be sent to. A target is checked after DNS resolution (every address the
// name has), and the request then connects to the checked address itself, so a name that resolves to a
// public address at the check and to 127.0.0.1 a moment later (DNS rebinding) cannot slip through.
import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';

export type AddressKind = 'public' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'multicast' | 'reserved';

const ranges: [AddressKind, string, number, 'ipv4' | 'ipv6'][] = [
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  // Carrier-grade NAT space: not the public internet either.
  ['private', '100.64.0.0', 10, 'ipv4'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['reserved', '240.0.0.0', 4, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['private', 'fc00::', 7, 'ipv6'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['multicast', 'ff00::', 8, 'ipv6'],
];

const lists = new Map<AddressKind, BlockList>();
for (const [kind, network, prefix, family] of ranges) {
  if (!lists.has(kind)) lists.set(kind, new BlockList());
  lists.get(kind)!.addSubnet(network, prefix, family);
}

/** What kind of address this is; an IPv4 address written as IPv6 (::ffff:127.0.0.1) counts as the IPv4 one. */
export function classifyAddress(address: string): AddressKind {
  const family = isIP(address);
  if (!family) throw new Error(`not an IP address: ${address}`);
  const mapped = family === 6 ? /^(?:0{0,4}:){0,4}:?(?:0{0,4}:)?ffff:(?:(\d+\.\d+\.\d+\.\d+)|([\da-f]{1,4}):([\da-f]{1,4}))$/i.exec(address) : null;
  if (mapped) {
    // URL writes [::ffff:127.0.0.1] as [::ffff:7f00:1]: both are the IPv4 address 127.0.0.1.
    const [, dotted, high, low] = mapped;
    const v4 = dotted ?? [parseInt(high!, 16) >> 8, parseInt(high!, 16) & 255, parseInt(low!, 16) >> 8, parseInt(low!, 16) & 255].join('.');
    return classifyAddress(v4);
  }
  for (const [kind, list] of lists) if (list.check(address, family === 4 ? 'ipv4' : 'ipv6')) return kind;
  return 'public';
}

export interface CheckedTarget {
  url: URL;
  /** The address to connect to: the one that was checked. */
  address: string;
  family: 4 | 6;
}

/** Why a target is refused, in English (service messages are translated by shape in the web layer). */
export class TargetRefused extends Error {}

export interface TargetRules {
  /** Allows http:// and loopback, private and link-local targets: for tests and development only. */
  allowPrivate: boolean;
}

export function parseTarget(raw: string, rules: TargetRules): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new TargetRefused('enter a full address such as https://example.com/hooks');
  }
  if (url.protocol !== 'https:' && !(rules.allowPrivate && url.protocol === 'http:')) throw new TargetRefused('the address must start with https://');
  if (url.username || url.password) throw new TargetRefused('the address must not hold a user name or password');
  return url;
}

/** Resolves the target's host (all its addresses) and refuses it when any of them is not public. */
export async function checkTarget(raw: string, rules: TargetRules, resolve = lookup): Promise<CheckedTarget> {
  const url = parseTarget(raw, rules);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolve(host, { all: true, verbatim: true });
  } catch {
    throw new TargetRefused('the host of this address cannot be found');
  }
  if (!addresses.length) throw new TargetRefused('the host of this address cannot be found');
  if (!rules.allowPrivate) {
    for (const a of addresses) {
      const kind = classifyAddress(a.address);
      if (kind !== 'public') throw new TargetRefused(`the address leads to ${kind === 'unspecified' ? 'an' : 'a'} ${kind} network address, which webhooks may not reach`);
    }
  }
  return { url, address: addresses[0]!.address, family: addresses[0]!.family === 6 ? 6 : 4 };
}
