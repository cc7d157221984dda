// Preloaded (`node --import`) into a bench child when its env has BENCH_PROFILE_FILE: CPU profiling
// through node:inspector, toggled by SIGUSR2 so a profile covers the load window only, not start-up.
// The first signal starts the profiler; the second writes the profile and prints
// `PROFILED <file>` on stdout. Plain JavaScript: the compiled API server runs without tsx.
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";

const file = process.env.BENCH_PROFILE_FILE;
let session = null;

async function toggle() {
  if (!session) {
    session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    // 200 µs between samples: fine enough for a per-request breakdown at ~1,000 req/s.
    await session.post("Profiler.setSamplingInterval", { interval: 200 });
    await session.post("Profiler.start");
    process.stdout.write("PROFILING\n");
    return;
  }
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();
  session = null;
  await writeFile(file, JSON.stringify(profile));
  process.stdout.write(`PROFILED ${file}\n`);
}

if (file) process.on("SIGUSR2", () => void toggle());
