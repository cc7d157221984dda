// AES-256-GCM for secrets at rest (cluster URIs, two-factor secrets): "v1.<iv>.<tag>.<ciphertext>",
// base64url parts. What the secret belongs to (the cluster name, the account) is bound as
// associated data so a ciphertext cannot be swapped between owners.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export function sealText(key: Buffer, owner: string, text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(owner, "utf8"));
  const ct = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return ["v1", iv.toString("base64url"), tag.toString("base64url"), ct.toString("base64url")].join(
    ".",
  );
}

/** Throws on a foreign format, a wrong key or a ciphertext sealed for another owner. */
export function openText(key: Buffer, owner: string, sealed: string, label = owner): string {
  const [version, iv, tag, ct] = sealed.split(".");
  if (version !== "v1" || iv === undefined || tag === undefined || ct === undefined) {
    throw new Error(`${label}: stored secret is not in a known format`);
  }
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(owner, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString(
    "utf8",
  );
}

export const encryptUri = (key: Buffer, clusterName: string, uri: string): string =>
  sealText(key, clusterName, uri);

export const decryptUri = (key: Buffer, clusterName: string, sealed: string): string =>
  openText(key, clusterName, sealed, `Cluster "${clusterName}"`);

/** Strips credentials and query from a URI for logs and errors. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, "//***@").replace(/\?.*$/, "");
}
