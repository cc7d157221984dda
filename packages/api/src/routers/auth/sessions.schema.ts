import { z } from "zod";

export const ZEndSessionInput = z.strictObject({
  sessionId: z
    .string()
    .regex(/^[a-f0-9]{32}$/, "sessionId must be a session id (32 hexadecimal characters)"),
});
export type TEndSessionInput = z.infer<typeof ZEndSessionInput>;
