// `npm run bench`: single-threaded benchmarks of the render core. Each section prints its own
// table and returns false when a correctness check failed; the process then exits non-zero.
import { runKernelBench } from "./bench/kernels";
import { runPngBench } from "./bench/png";

interface BenchSection {
  name: string;
  run(log: (text: string) => void, progress: (line: string) => void): boolean | Promise<boolean>;
}

// Sections run in this order. To add one: import its run function above and append it here.
const SECTIONS: BenchSection[] = [
  { name: "kernels", run: runKernelBench },
  { name: "png", run: runPngBench },
];

function progressLine(line: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}`);
  else process.stderr.write(`${line}\n`);
}

function log(text: string): void {
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
  console.log(text);
}

let ok = true;
for (const section of SECTIONS) {
  log(`\n== ${section.name} ==`);
  if (!(await section.run(log, progressLine))) ok = false;
}
if (!ok) {
  console.error("bench: a correctness check failed");
  process.exit(1);
}
