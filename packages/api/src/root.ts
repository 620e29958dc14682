import { createCallerFactory, createTRPCRouter } from "./trpc";
import { actionGroupsRouter } from "./routers/action-groups";
import { alertsRouter } from "./routers/alerts";
import { deliveriesRouter } from "./routers/deliveries";
import { emailServerRouter } from "./routers/email-server";
import { auditRouter } from "./routers/audit";
import { connectionsRouter } from "./routers/connections";
import { meRouter } from "./routers/me";
import { platformActionGroupsRouter } from "./routers/platform-action-groups";
import { invitationsRouter, membersRouter } from "./routers/members";
import { rulesRouter } from "./routers/rules";
import { setupRouter } from "./routers/setup";
import { silencesRouter } from "./routers/silences";
import { subscriptionsRouter } from "./routers/subscriptions";
import { tenantsRouter } from "./routers/tenants";
import { vaultsRouter } from "./routers/vaults";
import { workspacesRouter } from "./routers/workspaces";

/** One router per domain. */
export const appRouter = createTRPCRouter({
  setup: setupRouter,
  me: meRouter,
  tenants: tenantsRouter,
  members: membersRouter,
  invitations: invitationsRouter,
  connections: connectionsRouter,
  subscriptions: subscriptionsRouter,
  workspaces: workspacesRouter,
  vaults: vaultsRouter,
  audit: auditRouter,
  actionGroups: actionGroupsRouter,
  rules: rulesRouter,
  alerts: alertsRouter,
  silences: silencesRouter,
  deliveries: deliveriesRouter,
  emailServer: emailServerRouter,
  platformActionGroups: platformActionGroupsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
