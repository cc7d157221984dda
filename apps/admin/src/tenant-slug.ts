/**
 * The slug a person knows a tenant by. Purging frees the slug by renaming it to the tombstone
 * `<slug>~purged~<id>` (tenancy's tenant-lifecycle); the dashboard shows the old slug, next to a
 * "purged" badge, never the tombstone.
 */
export function displaySlug(slug: string): string {
  const at = slug.indexOf("~purged~");
  return at === -1 ? slug : slug.slice(0, at);
}
