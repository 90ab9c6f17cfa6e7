import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

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
    proxy: Object.fromEntries(["/meta", "/tiles", "/render.png", "/render.jpg", "/render.webp", "/health"].map((path) => [path, "http://localhost:3000"])),
  },
});
