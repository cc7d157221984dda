import type { TRPCLink } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";

/**
 * `infiniteQueryOptions` adds `direction` to every input; our list procedures page forward only
 * and validate strictly, so the key is dropped before the request leaves the browser.
 */
export function stripDirectionLink<TRouter extends AnyRouter>(): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) => {
      const input = op.input as Record<string, unknown> | null | undefined;
      if (op.type === "query" && input && typeof input === "object" && "direction" in input) {
        const { direction: _direction, ...rest } = input;
        return next({ ...op, input: rest });
      }
      return next(op);
    };
}
