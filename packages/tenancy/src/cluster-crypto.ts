// AES-256-GCM for cluster URIs at rest: "v1.<iv>.<tag>.<ciphertext>", base64url parts.
// The cluster name is bound as associated data so a ciphertext cannot be swapped between clusters.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export function encryptUri(key: Buffer, clusterName: string, uri: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(clusterName, "utf8"));
  const ct = Buffer.concat([cipher.update(uri, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return ["v1", iv.toString("base64url"), tag.toString("base64url"), ct.toString("base64url")].join(
    ".",
  );
}

export function decryptUri(key: Buffer, clusterName: string, sealed: string): string {
  const [version, iv, tag, ct] = sealed.split(".");
  if (version !== "v1" || iv === undefined || tag === undefined || ct === undefined) {
    throw new Error(`Cluster "${clusterName}": stored URI is not in a known format`);
  }
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(clusterName, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString(
    "utf8",
  );
}

/** Strips credentials and query from a URI for logs and errors. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, "//***@").replace(/\?.*$/, "");
}
