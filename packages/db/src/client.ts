import { PrismaPg } from "@prisma/adapter-pg";
import { Prisma, PrismaClient } from "./generated/prisma/client";

/**
 * The one Prisma client of Vaultwatch. It refuses `updateMany` / `deleteMany` without a filter, so a forgotten
 * tenant condition can never turn into a write across every tenant.
 */
export function createDb(connectionString: string, options: { max?: number } = {}) {
  const adapter = new PrismaPg({ connectionString, max: options.max ?? 10 });
  return new PrismaClient({ adapter }).$extends({
    name: "refuse-unfiltered-bulk-writes",
    query: {
      $allModels: {
        async updateMany({ args, query, model }) {
          assertFiltered(model, "updateMany", args.where);
          return query(args);
        },
        async deleteMany({ args, query, model }) {
          assertFiltered(model, "deleteMany", args.where);
          return query(args);
        },
      },
    },
  });
}

function assertFiltered(model: string, operation: string, where: unknown): void {
  if (!where || (typeof where === "object" && Object.keys(where).length === 0)) {
    throw new Error(`${model}.${operation} needs a filter`);
  }
}

export type Db = ReturnType<typeof createDb>;
/** A transaction client of the extended Db. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
export { Prisma };
