import { DRILL_ENV, type DrillSettings, drillEnvironment, drillFromEnv } from "../../functions/lib/drill";
import type { StageConfig } from "../stage-config";
import type { LiveFunction } from "./live-function";

export class DrillRefusedError extends Error {}

/**
 * The rollback drill a deploy asks for through the synth-time environment
 * (`FRACTILE_DRILL_FAULT_RATE=0.8 npx sst deploy --stage staging`), checked
 * against the stage. Throws, failing the synth, for a stage that refuses drills.
 */
export function drillForStage(
  stage: string,
  config: StageConfig,
  env: Readonly<Record<string, string | undefined>>,
): DrillSettings | undefined {
  const drill = drillFromEnv(env);
  if (drill && !config.drillAllowed) {
    throw new DrillRefusedError(
      `${DRILL_ENV.faultRate}/${DRILL_ENV.latencyMs} are set, but stage "${stage}" refuses rollback drills ` +
        `(they answer real users with 500s on purpose). Unset them to deploy ${stage}, or drill on staging: ` +
        `${DRILL_ENV.faultRate}=0.8 npx sst deploy --stage staging ` +
        `(runbook: docs/operations.md, "Rollback drill")`,
    );
  }
  return drill;
}

/**
 * Puts the drill into the tile function's environment. The environment is part
 * of the function configuration that `currentVersion` hashes, so the deploy
 * publishes a new version carrying it; the version before it (the rollback
 * target) keeps its own environment, without the drill. The next deploy
 * without the variables publishes a version without them again.
 */
export function applyDrill(target: LiveFunction, drill: DrillSettings | undefined): void {
  if (!drill) return;
  for (const [name, value] of Object.entries(drillEnvironment(drill))) target.fn.addEnvironment(name, value);
}
