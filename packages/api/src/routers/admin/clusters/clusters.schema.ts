import { z } from "zod";

export const ZAddClusterInput = z.strictObject({
  name: z.string().regex(/^[a-z0-9-]{1,40}$/, "1-40 lower-case letters, digits or dashes"),
  uri: z
    .string()
    .max(2000)
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, "must be a mongodb:// or mongodb+srv:// URI"),
});
