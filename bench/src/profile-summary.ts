// Prints the top self-time functions of V8 CPU profiles: `npx tsx bench/src/profile-summary.ts <file.cpuprofile>…`
import { summarizeProfile } from "./report/cpu-profile.js";
import { renderProfile } from "./report/markdown.js";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: tsx bench/src/profile-summary.ts <file.cpuprofile>…");
  process.exit(1);
}
for (const file of files) console.log(renderProfile(summarizeProfile(file, { top: 30 })));
