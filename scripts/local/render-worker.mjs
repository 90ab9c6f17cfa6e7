// Entry file of each pool worker. A worker thread does not inherit the
// TypeScript loader of a parent started by vitest (and piscina is given no
// execArgv), so register tsx here, then load the task module named in
// workerData (render-task.ts, or a test's stand-in).
import { workerData } from "piscina";
import { register } from "tsx/esm/api";

register();
const { default: task } = await import(workerData.taskModule);
export default task;
