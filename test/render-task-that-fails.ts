/**
 * A stand-in for scripts/local/render-task.ts in pool workers: renders like
 * the real one, except two tiles that fail the two ways a worker can fail.
 *   x = 13: the task throws;   x = 14: the worker thread exits mid-task.
 */
import renderTask, { type RenderTask } from "../scripts/local/render-task";

export const THROWING_TILE_X = 13n;
export const EXITING_TILE_X = 14n;

export default function renderTaskThatFails(task: RenderTask): unknown {
  if ("spec" in task && task.spec.x === THROWING_TILE_X) throw new Error("render failed on purpose");
  if ("spec" in task && task.spec.x === EXITING_TILE_X) process.exit(3);
  return renderTask(task);
}
