/**
 * How long fetched data counts as fresh, in the browser and for what a server component
 * prefetches: a page that hydrates prefetched data does not fetch it again on mount.
 */
export const QUERY_STALE_TIME = 5_000;
