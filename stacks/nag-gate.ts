/**
 * cdk-nag as a gate. `AwsSolutionsChecks` only records findings as CDK
 * annotations, and SST v2's synth never reads annotations, so on its own an
 * unsuppressed finding would ship quietly. `FailOnNagFindings` runs right
 * after the checks on every construct (aspects apply in the order they were
 * added) and throws on the first unsuppressed AwsSolutions error or warning,
 * which fails `sst deploy`, `sst build` and the stack tests alike.
 * Accepted findings are suppressed, each with its reason, in
 * stacks/parts/nag-suppressions.ts.
 */
import { Aspects, type IAspect } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";

const NAG_LEVELS = new Set(["aws:cdk:error", "aws:cdk:warning"]);

export class NagFindingError extends Error {}

export class FailOnNagFindings implements IAspect {
  visit(node: IConstruct): void {
    const findings = node.node.metadata
      .filter((entry) => NAG_LEVELS.has(entry.type) && String(entry.data).startsWith("AwsSolutions-"))
      .map((entry) => String(entry.data).split("\n")[0]);
    if (findings.length > 0) {
      throw new NagFindingError(
        `cdk-nag: unsuppressed finding on ${node.node.path}: ${findings.join("; ")}. ` +
          "Fix it, or suppress it with its reason in stacks/parts/nag-suppressions.ts.",
      );
    }
  }
}

export function addNagGate(scope: IConstruct): void {
  Aspects.of(scope).add(new AwsSolutionsChecks({ verbose: true }));
  Aspects.of(scope).add(new FailOnNagFindings());
}
