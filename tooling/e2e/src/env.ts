// What the e2e kit reads from and writes to the environment: the stack's addresses, handed from
// Playwright's global setup to its workers as E2E_STACK, and this process's environment, which
// the apps it starts inherit.
export const inheritedEnv = (): NodeJS.ProcessEnv => process.env;

export const stackFromEnv = (): string | undefined => process.env.E2E_STACK;

export function stackToEnv(info: unknown): void {
  process.env.E2E_STACK = JSON.stringify(info);
}

/** The test process runs with the INSECURE_COOKIES the apps were built with. */
export const insecureCookiesBuild = (): boolean => process.env.INSECURE_COOKIES === "true";
