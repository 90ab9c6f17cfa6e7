/**
 * The weighted alias as an HTTP server: the traffic generator (and anyone
 * with a browser) talks to it like to the API, and every answer says which
 * function and version ran (`x-rehearsal-*` headers).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { NO_OWNER, OWNER_HEADER } from "../local/owner-forwarding";
import type { AliasAnswer, InvokeRequest, Side, WeightedAlias } from "./alias";

const H = {
  function: "x-rehearsal-function",
  side: "x-rehearsal-side",
  version: "x-rehearsal-version",
  throttled: "x-rehearsal-throttled",
};
/** Hop-by-hop and length headers the proxy sets itself. */
const DROPPED = new Set(["connection", "keep-alive", "transfer-encoding", "content-length"]);

export interface AliasServer {
  url: string;
  send(request: InvokeRequest): Promise<AliasAnswer>;
  close(): Promise<void>;
}

export async function startAliasServer(alias: WeightedAlias, port = 0): Promise<AliasServer> {
  const server = http.createServer((req, res) => {
    const request = { method: req.method ?? "GET", path: req.url ?? "/" };
    // A version asking for the owner of a render version (scripts/local/owner-forwarding.ts).
    const ownerOf = req.headers[OWNER_HEADER];
    const answered = typeof ownerOf === "string" ? alias.handleOwner(ownerOf, request) : alias.handle(request);
    answered.then(
      (answer) => {
        for (const [name, value] of Object.entries(answer.headers)) if (!DROPPED.has(name)) res.setHeader(name, value);
        res.setHeader(H.function, answer.functionName);
        res.setHeader(H.side, answer.side);
        if (answer.version) res.setHeader(H.version, answer.version);
        if (answer.throttled) res.setHeader(H.throttled, "1");
        if (answer.noOwner) res.setHeader(OWNER_HEADER, NO_OWNER);
        res.statusCode = answer.status;
        res.end(answer.body);
      },
      () => {
        res.statusCode = 502;
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new http.Agent({ keepAlive: false, maxSockets: 512 });

  const send = (request: InvokeRequest) =>
    new Promise<AliasAnswer>((resolve, reject) => {
      const started = performance.now();
      const req = http.request(new URL(request.path, url), { method: request.method, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const header = (name: string) => (res.headers[name] as string | undefined) ?? "";
          resolve({
            status: res.statusCode ?? 0,
            headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])),
            body: Buffer.concat(chunks),
            durationMs: performance.now() - started,
            functionName: header(H.function),
            side: (header(H.side) || "baseline") as Side,
            version: header(H.version) || undefined,
            throttled: header(H.throttled) === "1",
          });
        });
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end();
    });

  return {
    url,
    send,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
