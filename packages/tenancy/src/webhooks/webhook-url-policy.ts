// Which URLs a webhook may target. A registered URL makes this server send requests, so in
// production it must be https and every address its host resolves to must be public (no loopback,
// private, link-local or unspecified ranges). The check runs at registration and again when each
// request connects (the socket uses the very addresses checked, so DNS rebinding cannot slip in).
import { lookup as dnsLookup } from "node:dns/promises";
import type { LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";

import { InvalidInput } from "../errors";

export interface WebhookUrlPolicy {
  /** Development and tests: http and private/loopback addresses are allowed. */
  allowPrivateUrls: boolean;
}

const blocked = new BlockList();
for (const [net, prefix] of [
  ["127.0.0.0", 8],
  ["10.0.0.0", 8],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["169.254.0.0", 16],
  ["0.0.0.0", 8],
] as const)
  blocked.addSubnet(net, prefix, "ipv4");
blocked.addAddress("::1", "ipv6");
blocked.addAddress("::", "ipv6");
blocked.addSubnet("fc00::", 7, "ipv6");
blocked.addSubnet("fe80::", 10, "ipv6");

/** Whether the address is loopback, private, link-local or unspecified (IPv4-mapped IPv6 included). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return blocked.check(mapped[1], "ipv4");
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? "ipv4" : "ipv6");
}

const refused = (message: string) => new InvalidInput(message, [message]);

/** Parses the URL and checks its form (scheme, no credentials); throws InvalidInput with the reason. */
export function parseWebhookUrl(raw: string, policy: WebhookUrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused("Invalid webhook URL: it must be an absolute http(s) URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw refused("Invalid webhook URL: it must be an http(s) URL");
  if (!policy.allowPrivateUrls && url.protocol !== "https:")
    throw refused("Webhook URLs must use https");
  if (url.username || url.password)
    throw refused("Webhook URLs may not carry credentials (user:password@)");
  if (raw.length > 2000) throw refused("Webhook URLs may be at most 2000 characters");
  return url;
}

function hostOf(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

/** Resolves the host and refuses it when any address is private (unless the policy allows). */
export async function checkedAddresses(
  host: string,
  policy: WebhookUrlPolicy,
): Promise<LookupAddress[]> {
  let addresses: LookupAddress[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await dnsLookup(host, { all: true, verbatim: true });
    } catch {
      throw refused(`Webhook host ${host} does not resolve`);
    }
  }
  if (!policy.allowPrivateUrls) {
    const bad = addresses.filter((a) => isPrivateAddress(a.address));
    if (bad.length)
      throw refused(
        `Webhook host ${host} resolves to a private or loopback address (${bad.map((a) => a.address).join(", ")})`,
      );
  }
  return addresses;
}

/** The registration check: form, then every resolved address. Returns the normalised URL. */
export async function assertWebhookUrlAllowed(
  raw: string,
  policy: WebhookUrlPolicy,
): Promise<string> {
  const url = parseWebhookUrl(raw, policy);
  await checkedAddresses(hostOf(url), policy);
  return url.toString();
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A `lookup` for http.request that connects only to checked addresses (the delivery-time check). */
export function guardedLookup(policy: WebhookUrlPolicy) {
  return (host: string, options: { all?: boolean }, callback: LookupCallback): void => {
    checkedAddresses(host, policy).then(
      (addresses) => {
        if (options.all) callback(null, addresses);
        else {
          const first = addresses[0];
          if (!first)
            callback(Object.assign(new Error(`no address for ${host}`), { code: "ENOTFOUND" }), "");
          else callback(null, first.address, first.family);
        }
      },
      (err: Error) => callback(Object.assign(err, { code: "EWEBHOOKPOLICY" }), ""),
    );
  };
}
