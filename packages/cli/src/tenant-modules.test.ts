import { APP_MODULES } from "@tenantry/api";
import { describe, expect, it } from "vitest";

import { CLI_TENANT_MODULES } from "./tenant-modules";

describe("the CLI's tenant modules", () => {
  it("are the api's registered modules, with the same migrations", () => {
    const shape = (ms: readonly { name: string; migrations?: readonly { version: number }[] }[]) =>
      ms.map((m) => ({ name: m.name, migrations: (m.migrations ?? []).map((x) => x.version) }));
    expect(shape(CLI_TENANT_MODULES)).toEqual(shape(APP_MODULES));
  });
});
