export * from "./receivers";
export * from "./action-group";
