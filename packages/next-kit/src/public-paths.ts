/** Whether `path` is one of the pages a signed-out visitor may open (or below one). */
export function isPublicPath(publicPaths: readonly string[], path: string): boolean {
  return publicPaths.some((p) => path === p || path.startsWith(`${p}/`));
}
