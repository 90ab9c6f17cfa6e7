import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { gatewayRoutes } from "../functions/lib/routes";

/** The API's paths (functions/lib/routes.ts) as one pattern for the dev server's proxy. */
function apiPathPattern(): string {
  const paths = new Set(gatewayRoutes().map(({ routeKey }) => routeKey.slice(routeKey.indexOf(" ") + 1)));
  const patterns = [...paths].map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace("\\{proxy\\+\\}", "[^?]+"));
  return `^(${patterns.join("|")})(\\?.*)?$`;
}

// The viewer is static files: built into web/dist, which the local server
// serves and the deploy uploads. `base: "./"` keeps every asset URL relative,
// so the same build works at any path prefix.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
  },
  server: {
    // `npx vite --config web/vite.config.ts` for live editing, with the API
    // from a local `npm start` on port 3000.
    proxy: { [apiPathPattern()]: "http://localhost:3000" },
  },
});
