// Child process for the cross-process propagation test: a second Tenancy instance on the same
// control database that keeps using one tenant and reports each change of outcome on stdout.
import { createTenancy } from "../src/tenancy";
import { installShutdownHandlers } from "../src/shutdown-signals";
import type { TenancyConfig } from "../src/config";

import { TEST_MODULES } from "./fixture-module";

const config = JSON.parse(process.env.WATCHER_CONFIG ?? "{}") as TenancyConfig;
const tenantId = process.env.WATCHER_TENANT ?? "";

function emit(event: object): void {
  process.stdout.write(`${JSON.stringify({ ...event, at: Date.now() })}\n`);
}

// Modules are code, not JSON: the fixture module is registered here as in the parent.
const tenancy = await createTenancy({ ...config, modules: TEST_MODULES, recoverOnStart: false });
installShutdownHandlers(
  {
    shutdown: async (opts) => {
      const res = await tenancy.shutdown(opts);
      emit({ event: "shutdown", ...res });
      return res;
    },
  },
  { timeoutMs: 2000 },
);

let last = "";
const loop = async (): Promise<void> => {
  for (;;) {
    let state: string;
    try {
      state = await tenancy.withTenant(tenantId, async ({ models }) => {
        await models.Note.findOne().lean();
        return "active";
      });
    } catch (err) {
      state = (err as { code?: string }).code ?? "error";
      if (
        state === "TENANT_UNAVAILABLE" &&
        String((err as Error).message).includes("Shutting down")
      )
        return;
    }
    if (state !== last) {
      last = state;
      emit({ event: "state", state });
    }
    await new Promise((r) => setTimeout(r, 10));
  }
};
emit({ event: "ready" });
void loop();
