import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Runs the CLI in its own process (node --import tsx, so the pid is the server itself). */
export async function startChild(dbPath: string): Promise<{ child: ChildProcess; uri: string }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/start.ts", "--port", "0", "--dbpath", dbPath],
    {
      cwd: packageDir,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const uri = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000);
    const collect = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /mongodb:\/\/\S+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${out}`));
    });
  });
  return { child, uri };
}
