import { currentRun } from "./run-scope";

/** Every command prints exactly one JSON document on stdout. */
export function printJson(value: unknown): void {
  printText(`${JSON.stringify(value, null, 2)}\n`);
}

/** A command whose document is text (YAML) prints it as it is. */
export function printText(text: string): void {
  currentRun().io.stdout.write(text);
}
