import "server-only";
import { env, EnvError } from "@/lib/env";

/** Called once when the Node.js server boots (instrumentation.ts): a bad configuration stops it with its reasons. */
export function checkConfiguration() {
  try {
    env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
