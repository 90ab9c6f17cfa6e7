// `npm run bench [-- section ...]`: single-threaded benchmarks of the render core and of the
// deployed bundles. Each section prints its own table and returns false when a correctness check
// failed; the process then exits non-zero. Naming sections runs only those.
import { runBundleBench } from "./bench/bundle";
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
  { name: "bundle", run: runBundleBench },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !SECTIONS.some((s) => s.name === name));
if (unknown.length > 0) {
  console.error(`bench: unknown section ${unknown.join(", ")}; sections are ${SECTIONS.map((s) => s.name).join(", ")}`);
  process.exit(2);
}

function progressLine(line: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}`);
  else process.stderr.write(`${line}\n`);
}

function log(text: string): void {
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
  console.log(text);
}

let ok = true;
for (const section of SECTIONS.filter((s) => wanted.length === 0 || wanted.includes(s.name))) {
  log(`\n== ${section.name} ==`);
  if (!(await section.run(log, progressLine))) ok = false;
}
if (!ok) {
  console.error("bench: a correctness check failed");
  process.exit(1);
}
