/** Where both apps mount their tRPC route (app/api/trpc/[trpc]/route.ts) and the browser calls it. */
export const TRPC_ENDPOINT = "/api/trpc";
