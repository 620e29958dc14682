import { describe, expect, it } from "vitest";
import { errorMessage, fieldErrorsOf } from "./utils";

describe("error helpers", () => {
  it("reads tRPC field errors", () => {
    const e = { message: "armId: bad", data: { fieldErrors: { armId: "bad" } } };
    expect(fieldErrorsOf(e)).toEqual({ armId: "bad" });
    expect(errorMessage(e)).toBe("armId: bad");
  });
  it("falls back without leaking objects", () => {
    expect(fieldErrorsOf(null)).toEqual({});
    expect(errorMessage(42)).toBe("Something went wrong");
  });
});
