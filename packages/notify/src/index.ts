export * from "./message";
export * from "./test-send";
