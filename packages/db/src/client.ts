import { PrismaPg } from "@prisma/adapter-pg";
import { Prisma, PrismaClient } from "./generated/prisma/client";

/**
 * The one Prisma client of Vaultwatch. It refuses bulk writes (`updateMany`, `updateManyAndReturn`, `deleteMany`)
 * whose filter constrains nothing, so a forgotten tenant condition can never turn into a write across every tenant.
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
        async updateManyAndReturn({ args, query, model }) {
          assertFiltered(model, "updateManyAndReturn", args.where);
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
  if (constrainsNothing(where)) throw new Error(`${model}.${operation} needs a filter that constrains something`);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * True when a `where` selects every row. Prisma drops keys whose value is `undefined`, so `{ tenantId: undefined }`,
 * `{ tenantId: { equals: undefined } }` and `{ AND: [{}] }` all mean "no condition". Values that are not plain objects
 * (strings, numbers, null, dates, lists such as `in: []`) are conditions. `OR` with no branch, or with a branch that
 * constrains nothing, is refused too: the first matches nothing (a bug), the second everything.
 */
export function constrainsNothing(where: unknown): boolean {
  if (where === undefined) return true;
  if (!isPlainObject(where)) return false;
  return Object.entries(where).every(([key, value]) => {
    if (key === "OR") return !Array.isArray(value) || value.length === 0 || value.some(constrainsNothing);
    if ((key === "AND" || key === "NOT") && Array.isArray(value)) return value.every(constrainsNothing);
    return constrainsNothing(value);
  });
}

export type Db = ReturnType<typeof createDb>;
/** A transaction client of the extended Db. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
export { Prisma };
