// The metrics token's shape, on its own so that the env module and the services (which check it)
// need not import the endpoint, which imports the services.
import { z } from "zod";

/** METRICS_TOKEN: long enough not to be guessed, and a valid Bearer credential (no spaces). */
export const metricsTokenSchema = z
  .string()
  .min(32, "must be at least 32 characters")
  .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");
