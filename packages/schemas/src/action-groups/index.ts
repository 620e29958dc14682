export * from "./receivers";
export * from "./action-group";
export * from "./secrets";
export * from "./routing";
export * from "./templates";
