/**
 * Starts a throwaway Ceph radosgw (real S3) for a test file and stops it
 * afterwards. Start-up takes ~15 s on two cores: start one per test file, in
 * a `beforeAll` with a long timeout. Clusters start one at a time per machine
 * (a lock in ceph-start.sh), so concurrent test runs wait for each other.
 * Missing Debian packages are an error, never a skip: the S3 tests must run
 * (`npm test` installs them where it can: test/provision).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { assertInstalled } from "../provision/host";
import { RADOSGW } from "../provision/requirements";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";

const START_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "ceph-start.sh");
export const RADOSGW_CREDENTIALS = { accessKeyId: "TESTACCESSKEY", secretAccessKey: "TESTSECRETKEY" };

export interface Radosgw {
  endpoint: string;
  bucket: string;
  /** A plain client for test set-up and inspection (not the tile path's short-timeout one). */
  admin: S3Client;
  /** Stops radosgw, then the cluster; safe to call twice. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startRadosgw(
  options: { bucket?: string; readyTimeoutMs?: number; attempts?: number } = {},
): Promise<Radosgw> {
  assertInstalled(RADOSGW); // the s3 project's globalSetup provisions it (test/provision)
  const attempts = options.attempts ?? 2;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options.bucket ?? "fractile-tiles", options.readyTimeoutMs ?? 75_000);
    } catch (error) {
      // A cluster that did not come up is torn down; a second fresh one usually does.
      if (attempt >= attempts) throw error;
      console.warn(`radosgw start attempt ${attempt} failed, retrying: ${String(error).split("\n")[0]}`);
    }
  }
}

async function startOnce(bucket: string, readyTimeoutMs: number): Promise<Radosgw> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "fractile-ceph-"));
  const [rgwPort, monPort] = [await freePort(), await freePort()];
  // Own process group, so a hung cluster can still be killed as a whole.
  const child = spawn("bash", [START_SCRIPT, dir, String(rgwPort), String(monPort), "memstore"], {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopProcessGroup(child);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    // Another test run's cluster may hold the machine-wide lock for a while; the ready clock starts after it.
    await waitForLine(child, () => output, "CEPH-LOCK-ACQUIRED", 330_000, dir);
    await waitForLine(child, () => output, "CEPH-RGW-READY", readyTimeoutMs, dir);
    const endpoint = `http://127.0.0.1:${rgwPort}`;
    const admin = new S3Client({
      region: "us-east-1",
      endpoint,
      forcePathStyle: true,
      credentials: RADOSGW_CREDENTIALS,
    });
    await createBucketWithRetry(admin, bucket);
    await warmGateway(admin, bucket);
    return { endpoint, bucket, admin, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function waitForLine(
  child: ChildProcess,
  output: () => string,
  line: string,
  timeoutMs: number,
  dir: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(async () => {
      cleanup();
      reject(
        new Error(
          `no ${line} from ceph-start.sh after ${timeoutMs} ms.\n${output().slice(-2000)}\n${await cephLogTail(dir)}`,
        ),
      );
    }, timeoutMs);
    const onData = () => {
      if (output().includes(line)) {
        cleanup();
        resolve();
      }
    };
    const onExit = async (code: number | null) => {
      cleanup();
      reject(
        new Error(
          `ceph-start.sh exited with ${code} before ${line}.\n${output().slice(-2000)}\n${await cephLogTail(dir)}`,
        ),
      );
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
    };
    child.stdout?.on("data", onData);
    child.on("exit", onExit);
    onData(); // the line may have arrived before this wait began
  });
}

async function createBucketWithRetry(client: S3Client, bucket: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      return;
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === "BucketAlreadyOwnedByYou" || name === "BucketAlreadyExists") return;
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/**
 * A fresh gateway answers its first object operations slowly (seconds, while
 * it sets up the bucket index); tests with tile-path timeouts should meet a
 * gateway that is already answering at its normal speed.
 */
async function warmGateway(client: S3Client, bucket: string): Promise<void> {
  const Key = "_warm-up-probe";
  await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: "probe" }));
  await client.send(new GetObjectCommand({ Bucket: bucket, Key })).then((out) => out.Body?.transformToByteArray());
  await client.send(new HeadObjectCommand({ Bucket: bucket, Key }));
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
}

/** SIGTERM lets the script stop radosgw first; whatever is left after 20 s is killed. */
async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return killGroup(child.pid, "SIGKILL");
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  await Promise.race([exited, sleep(20_000)]);
  // The daemons share the script's process group: sweep any that outlived the script.
  killGroup(child.pid, "SIGKILL");
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

async function cephLogTail(dir: string): Promise<string> {
  try {
    const logs = await readdir(path.join(dir, "log"));
    const tails = await Promise.all(
      logs.map(async (name) => `--- ${name}\n${(await readFile(path.join(dir, "log", name), "utf8")).slice(-1500)}`),
    );
    return tails.join("\n");
  } catch {
    return "(no ceph logs)";
  }
}
