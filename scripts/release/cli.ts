import { UsageError, usage } from "./args";

/**
 * Runs a release CLI's main: usage errors exit 2 with the usage text, any
 * other failure exits 1 with its message (no stack trace for expected ones).
 */
export async function runCli(command: string, main: () => Promise<string>): Promise<void> {
  try {
    console.log(await main());
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${command}: ${error.message}\n${usage(command)}`);
      process.exitCode = 2;
      return;
    }
    console.error(`${command}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
