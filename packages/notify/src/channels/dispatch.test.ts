import { describe, expect, it } from "vitest";
import type { Receiver } from "@vaultwatch/schemas";
import type { NotificationMessage } from "../message";
import { sendToReceiver } from "./index";
import { alertMessage, testContext } from "./test-fixtures";

describe("sendToReceiver", () => {
  it("answers an unknown receiver type as failed", async () => {
    const r = await sendToReceiver({ type: "fax", name: "f" } as unknown as Receiver, alertMessage(), testContext());
    expect(r).toEqual({ outcome: "failed", error: "unknown receiver type fax", latencyMs: 0 });
  });

  it("turns a bug inside a channel into a failed result naming the channel, never a throw or its message", async () => {
    // a message whose dates were left as strings (say, read back from JSON): building the event throws
    const broken = { ...alertMessage(), alert: { ...alertMessage().alert, firedAt: "2026-03-08T01:17:00Z" } } as unknown as NotificationMessage;
    const r = await sendToReceiver({ type: "pagerduty", name: "p", routingKey: "0123456789abcdef0123456789abcdef" }, broken, testContext());
    expect(r).toEqual({ outcome: "failed", error: "the pagerduty channel failed unexpectedly (TypeError)", latencyMs: 0 });
  });
});
