import path from "node:path";
// One stack starter for both apps' e2e suites (it lives with the web app's tests).
import { startStack } from "../../web/e2e/stack";

export default async function globalSetup() {
  const { info, stop } = await startStack(["admin"], path.resolve("test-results"));
  process.env.E2E_STACK = JSON.stringify(info);
  return stop;
}
