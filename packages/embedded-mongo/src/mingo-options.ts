import type { Options } from "mingo/types";

// Server-side JavaScript ($where, $function, $accumulator) is off, as on a hardened mongod.
export const mingoOptions: Partial<Options> = { scriptEnabled: false };
