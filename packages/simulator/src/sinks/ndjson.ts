/** Writes one record per line (JSON Lines, the format diagnostic settings archive to storage accounts). */
import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import type { SimRecord } from "../records";

export class NdjsonSink {
  private readonly stream: WriteStream;
  private failure: Error | undefined;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { encoding: "utf8" });
    this.stream.on("error", (e) => (this.failure = e));
  }

  async write(records: SimRecord[]): Promise<void> {
    if (this.failure) throw this.failure;
    let text = "";
    for (const r of records) text += JSON.stringify(r) + "\n";
    if (!this.stream.write(text)) await once(this.stream, "drain");
  }

  async close(): Promise<void> {
    if (this.failure) throw this.failure;
    this.stream.end();
    await once(this.stream, "finish");
  }
}
