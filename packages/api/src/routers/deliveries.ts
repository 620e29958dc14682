import { createTRPCRouter, permissionProcedure } from "../trpc";
import { deliveryFilter, listDeliveries } from "../services/deliveries";

/** The delivery log of a tenant's own action groups; a platform group's deliveries never show here. */
export const deliveriesRouter = createTRPCRouter({
  /** By alert (the drawer's timeline), by action group, or the whole tenant: newest first, each with its attempts. */
  list: permissionProcedure("actionGroups.read")
    .input(deliveryFilter)
    .query(({ ctx, input }) => listDeliveries(ctx.db, { tenantId: ctx.tenant.id, actionGroup: { tenantId: ctx.tenant.id } }, input)),
});
