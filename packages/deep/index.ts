// Public surface of the deep-zoom package (deepk owns this file; deepx's exports only until it lands).
export * from "./fixed";
