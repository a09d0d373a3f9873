import { isIPv4, isIPv6 } from 'node:net';

/** Longest key kept for something that is not an address (a proxy that wrote garbage). */
const MAX_OTHER = 64;

/**
 * Who per-client limits count, from the request's client address: an IPv4 address as it is; an
 * IPv6 address by its /64 (one subscriber usually holds a whole /64 and can pick any address in
 * it), as `2001:db8:1:2::/64`; an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) as its IPv4.
 */
export function clientKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  const bare = address.split('%')[0] ?? address; // an IPv6 zone (`fe80::1%eth0`) names no other client
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return address.slice(0, MAX_OTHER);
  const groups = ipv6Groups(bare);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (with `::` and a dotted IPv4 tail expanded). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const front = parse(head);
  if (tail === undefined) return front;
  const back = parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}
