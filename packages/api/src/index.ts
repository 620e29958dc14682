export { appRouter, createCaller, type AppRouter } from "./root";
export { createContext, type Context, type ScheduleFields, type SessionUser } from "./context";
export type { Meta } from "./trpc";
export * as services from "./services";
export type { Actor } from "./audit";
export type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
export { trpcHttpHandler, TRPC_MAX_BODY_BYTES, type TrpcHttpOptions } from "./http";
