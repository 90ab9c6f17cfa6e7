/**
 * The few WebAssembly APIs the kernels use, declared here because the project's tsc has no DOM
 * lib; `undefined` where the runtime has no WebAssembly. Shared by every wasm module loader.
 */
export interface WasmModule {
  readonly __wasmModule: never;
}

export interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
}

export const webAssembly = (globalThis as unknown as { WebAssembly?: WebAssemblyApi }).WebAssembly;
