export * from "./message";
export * from "./test-send";
export * from "./channel-config";
export * from "./pipeline";
