export { createDb, Prisma, type Db, type Tx } from "./client";
export type { Role, WorkspaceKind } from "./generated/prisma/enums";
export { Role as RoleValues, WorkspaceKind as WorkspaceKindValues } from "./generated/prisma/enums";
export type * from "./generated/prisma/models";
export * from "./secrets";
export { createPgPool, withPgTransaction, type PgClient, type PgPool, type PgPoolOptions, type PgTransactionOptions } from "./pg";
