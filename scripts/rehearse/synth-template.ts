/**
 * Writes the synthesized CloudFormation template of one stage to a file, the
 * way the stack tests synthesize it (offline: NODE_ENV=test makes SST skip
 * its AWS look-ups). Run as a child process by `npm run rehearse`, so CDK and
 * esbuild are not loaded into the rehearsal itself.
 *
 *   tsx scripts/rehearse/synth-template.ts STAGE OUT_FILE
 */
import { rmSync, writeFileSync } from "node:fs";
import { DRILL_ENV } from "../../functions/lib/drill";

const [stage, out] = process.argv.slice(2);
if (!stage || !out) {
  console.error("usage: tsx scripts/rehearse/synth-template.ts STAGE OUT_FILE");
  process.exit(2);
}
process.env.NODE_ENV = "test";
// The rehearsal applies a drill to its local candidate itself; the template is the release's.
for (const name of Object.values(DRILL_ENV)) delete process.env[name];
const { synthesizeStage } = await import("../../stacks/test/synth");
const synthesized = await synthesizeStage(stage);
writeFileSync(out, JSON.stringify(synthesized.template.toJSON()));
rmSync(synthesized.assemblyDir, { recursive: true, force: true });
