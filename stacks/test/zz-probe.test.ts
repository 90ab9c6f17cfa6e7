import { it } from "vitest";
import { Match } from "aws-cdk-lib/assertions";
import { writeFileSync } from "node:fs";
import { synthesizeStage } from "./synth";
it("synth", async () => {
  const s = await synthesizeStage("prod");
  writeFileSync("/tmp/deploy-probe/prod.json", JSON.stringify(s.template.toJSON(), null, 1));
  for (const lvl of ["error", "warning"] as const) {
    const msgs = lvl === "error" ? s.annotations.findError("*", Match.anyValue()) : s.annotations.findWarning("*", Match.anyValue());
    for (const m of msgs) console.log(lvl, m.id, String(m.entry.data).slice(0, 200));
  }
  console.log("assembly", s.assemblyDir);
}, 600000);
