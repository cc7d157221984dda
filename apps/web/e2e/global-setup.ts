import path from "node:path";
import { startStack } from "./stack";

// Playwright runs the returned function as global teardown.
export default async function globalSetup() {
  const { info, stop } = await startStack(["web", "admin"], path.resolve("test-results"));
  process.env.E2E_STACK = JSON.stringify(info);
  return stop;
}
