// Bundle section of `npm run bench` (alone: `npm run bench:bundle`): builds every deployed function
// with SST's own esbuild and SST's options (stacks/function-code.ts), then reports the bundle's size
// and its cold import time, the median over fresh node processes. Import time is measured twice:
// as deployed, and with the deliberate warm-up render stubbed out, so the rest of init shows alone.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { FUNCTION_CODE, type FunctionCode } from "../../stacks/function-code";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Issue 11's aim for a function on the HTTP path. */
export const BUNDLE_TARGET = { maxBytes: 1024 * 1024, maxImportMs: 100 } as const;
/** Functions the target applies to: the ones API Gateway invokes. */
const TARGETED = new Set(["tiles", "image"]);

const IMPORTS = 7;

// The subset of esbuild's API used here (SST's copy is resolved at run time, not typed).
interface EsbuildPlugin {
  name: string;
  setup(build: { onLoad(options: { filter: RegExp }, callback: () => { contents: string; loader: "ts" }): void }): void;
}
interface Esbuild {
  version: string;
  build(options: Record<string, unknown>): Promise<unknown>;
}

/** The esbuild SST bundles with (its own dependency, possibly another version than the repo's). */
function sstEsbuild(): Esbuild {
  const fromSst = createRequire(createRequire(import.meta.url).resolve("sst/package.json"));
  return fromSst("esbuild") as Esbuild;
}

/** The warm-up render replaced by a no-op: what init costs without it. */
const NO_WARM_UP: EsbuildPlugin = {
  name: "no-warm-up",
  setup(build) {
    build.onLoad({ filter: /packages[\\/]render[\\/]warm\.ts$/ }, () => ({
      contents: "export function warmUp(): void {}",
      loader: "ts",
    }));
  },
};

/**
 * esbuild options as SST v2 sets them for an ESM function (sst/runtime/handlers/node.js, mode "deploy"),
 * minus the source map, which Lambda never loads.
 */
function sstBuildOptions(entry: string, outfile: string, nodejs: FunctionCode["nodejs"], plugins: EsbuildPlugin[]) {
  return {
    entryPoints: [entry],
    platform: "node",
    external: ["sharp", "pg-native"],
    loader: nodejs?.loader,
    keepNames: true,
    bundle: true,
    logLevel: "silent",
    splitting: nodejs?.splitting,
    outExtension: nodejs?.splitting ? { ".js": ".mjs" } : undefined,
    format: "esm",
    target: "esnext",
    mainFields: ["module", "main"],
    banner: {
      js: [
        `import { createRequire as topLevelCreateRequire } from 'module';`,
        `const require = topLevelCreateRequire(import.meta.url);`,
        `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
        `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
        "",
      ].join("\n"),
    },
    outfile: nodejs?.splitting ? undefined : outfile,
    outdir: nodejs?.splitting ? path.dirname(outfile) : undefined,
    sourcemap: false,
    minify: nodejs?.minify,
    // The function's own plugins first (the image function's canvas binary for its architecture).
    plugins: [...((nodejs?.esbuild?.plugins ?? []) as EsbuildPlugin[]), ...plugins],
  };
}

/** The environment a deployed copy starts with (no network is touched at import). */
const LAMBDA_ENV = {
  AWS_REGION: "us-east-1",
  AWS_LAMBDA_FUNCTION_VERSION: "1",
  POWERTOOLS_LOG_LEVEL: "SILENT",
  POWERTOOLS_METRICS_DISABLED: "true",
  TILE_BUCKET: "fractile-bench-tiles",
  WARM_TARGET_ARN: "arn:aws:lambda:us-east-1:123456789012:function:fractile-bench-tiles:live",
  TARGET_VERSION_ARN: "arn:aws:lambda:us-east-1:123456789012:function:fractile-bench-tiles:1",
  EXPORT_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/fractile-bench-exports",
};

interface ImportCost {
  /** Wall time of `import()`. */
  wallMs: number;
  /** CPU time of the process meanwhile (all threads): on a busy machine wall time mostly measures the wait for a core. */
  cpuMs: number;
}

/** What `import()` of the bundle costs in a fresh node process. */
function coldImport(file: string, cwd: string): ImportCost {
  const script = `const c = process.cpuUsage(); const t = performance.now();
await import(${JSON.stringify(pathToFileURL(file).href)});
const wall = performance.now() - t; const cpu = process.cpuUsage(c);
process.stdout.write("IMPORT_MS " + wall + " " + (cpu.user + cpu.system) / 1000);`;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH, ...LAMBDA_ENV },
  });
  const measured = /IMPORT_MS (\S+) (\S+)/.exec(run.stdout);
  if (run.status !== 0 || !measured) throw new Error(`importing ${file} failed (${run.status}): ${run.stderr}`);
  return { wallMs: Number(measured[1]), cpuMs: Number(measured[2]) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

export interface BundleRow {
  name: string;
  /** All bundled JavaScript (the entry and any chunks it may load). */
  codeBytes: number;
  /** The entry file alone: what a cold start parses before any lazy import. */
  entryBytes: number;
  /** Files esbuild copied next to it (the canvas binary). */
  assetBytes: number;
  importMs: ImportCost;
  importMsWithoutWarmUp: ImportCost;
  meetsTarget?: boolean;
}

export async function measureBundles(progress: (line: string) => void = () => {}): Promise<BundleRow[]> {
  const esbuild = sstEsbuild();
  const outRoot = mkdtempSync(path.join(os.tmpdir(), "fractile-bundle-"));
  try {
    const rows: BundleRow[] = [];
    for (const [name, code] of Object.entries(FUNCTION_CODE) as [string, FunctionCode][]) {
      const entryFile = `${code.handler.slice(0, code.handler.lastIndexOf("."))}.ts`;
      const built: Record<"deployed" | "noWarmUp", string> = { deployed: "", noWarmUp: "" };
      for (const variant of ["deployed", "noWarmUp"] as const) {
        progress(`bundle: esbuild ${esbuild.version} ${name} (${variant})`);
        const outfile = path.join(outRoot, name, variant, entryFile.replace(/\.ts$/, ".mjs"));
        const plugins = variant === "noWarmUp" ? [NO_WARM_UP] : [];
        await esbuild.build(sstBuildOptions(path.join(REPO_ROOT, entryFile), outfile, code.nodejs, plugins));
        built[variant] = outfile;
      }
      const files = filesUnder(path.join(outRoot, name, "deployed"));
      const sizeOf = (list: string[]) => list.reduce((sum, f) => sum + statSync(f).size, 0);
      const isCode = (f: string) => /\.m?js$/.test(f);
      const times = { deployed: [] as ImportCost[], noWarmUp: [] as ImportCost[] };
      for (let i = 0; i < IMPORTS; i++) {
        progress(`bundle: cold import ${name} ${i + 1}/${IMPORTS}`);
        // Alternate the variants so machine noise hits both alike.
        times.deployed.push(coldImport(built.deployed, outRoot));
        times.noWarmUp.push(coldImport(built.noWarmUp, outRoot));
      }
      const medians = (costs: ImportCost[]): ImportCost => ({
        wallMs: median(costs.map((c) => c.wallMs)),
        cpuMs: median(costs.map((c) => c.cpuMs)),
      });
      const row: BundleRow = {
        name,
        codeBytes: sizeOf(files.filter(isCode)),
        entryBytes: statSync(built.deployed).size,
        assetBytes: sizeOf(files.filter((f) => !isCode(f))),
        importMs: medians(times.deployed),
        importMsWithoutWarmUp: medians(times.noWarmUp),
      };
      if (TARGETED.has(name)) {
        const { maxBytes, maxImportMs } = BUNDLE_TARGET;
        row.meetsTarget = row.codeBytes <= maxBytes && row.importMsWithoutWarmUp.cpuMs <= maxImportMs;
      }
      rows.push(row);
    }
    return rows;
  } finally {
    rmSync(outRoot, { recursive: true, force: true });
  }
}

export function formatBundleTable(rows: BundleRow[]): string {
  const columns = ["code KB", "entry KB", "assets KB", "import ms", "w/o warm-up"];
  const lines = [`${"function".padEnd(15)} ${columns.map((c) => c.padStart(11)).join(" ")}  note`];
  const kb = (bytes: number) => (bytes / 1024).toFixed(0);
  const ms = (cost: ImportCost) => `${cost.cpuMs.toFixed(0)} (${cost.wallMs.toFixed(0)})`;
  for (const r of rows) {
    const target = `target ≤ ${BUNDLE_TARGET.maxBytes / 1024} KB, ≤ ${BUNDLE_TARGET.maxImportMs} ms w/o warm-up`;
    const note = r.meetsTarget === undefined ? "" : `${r.meetsTarget ? "meets" : "MISSES"} ${target}`;
    const cells = [kb(r.codeBytes), kb(r.entryBytes), kb(r.assetBytes), ms(r.importMs), ms(r.importMsWithoutWarmUp)];
    lines.push(`${r.name.padEnd(15)} ${cells.map((c) => c.padStart(11)).join(" ")}  ${note}`);
  }
  const load = os.loadavg()[0].toFixed(1);
  lines.push(
    `(SST's esbuild and options; import ms = median over ${IMPORTS} fresh node ${process.version} processes` +
      ` of the CPU time of import(), wall time in parentheses (load average ${load} on` +
      ` ${os.availableParallelism()} cores: wall time includes` +
      ` waiting for a core); "w/o warm-up" stubs the warm-up render; Lambda runs Node 22)`,
  );
  return lines.join("\n");
}

/** Bench section: prints the table; a missed target is reported, not a failure (timings are noisy). */
export async function runBundleBench(log: (text: string) => void, progress: (line: string) => void): Promise<boolean> {
  log(formatBundleTable(await measureBundles(progress)));
  return true;
}
