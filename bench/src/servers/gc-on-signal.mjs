// Loaded into every server process of the bench (node --expose-gc --import …). On SIGUSR2 it runs
// a full garbage collection and prints one line `{"benchMemory":{…process.memoryUsage()}}`, so
// memory samples show what is retained rather than what garbage happened to be lying around. It
// changes nothing else.
import process from "node:process";

process.on("SIGUSR2", () => {
  if (typeof globalThis.gc === "function") globalThis.gc();
  process.stdout.write(`${JSON.stringify({ benchMemory: process.memoryUsage() })}\n`);
});
