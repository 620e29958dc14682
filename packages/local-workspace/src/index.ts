export {};
export * from "./store";
