/** A stand-in for scripts/local/render-task.ts whose module fails to load, as a missing wasm build would. */
throw new Error("render core cannot load on purpose");
