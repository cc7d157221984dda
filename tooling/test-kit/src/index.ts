// Test infrastructure shared by every package's integration tests, the e2e suites, reliability,
// security and bench. Test-only: production packages take it as a devDependency at most.
export type { TestDatabase, TestDatabaseOptions } from "./database";
export { TEST_HASHING, startTestDatabase, uniqueName } from "./database";
export type { WaitForHttpOptions } from "./http";
export { waitForHttp } from "./http";
export { freePort } from "./ports";
export type { ProcessGroup, ProcessGroupOptions } from "./process-group";
export { startProcessGroup } from "./process-group";
export { TCP, cpuMs, fdCount, rssBytes, tcpConnectionsTo } from "./proc-stats";
export type { TestClientOptions } from "./trpc-client";
export { createTestClient } from "./trpc-client";
export type { CaughtMail, MailCatcher, MailInbox } from "./mail-catcher";
export { mailInbox, startMailCatcher } from "./mail-catcher";
export { totpCode } from "./totp-codes";
