import { createCallerFactory, createTRPCRouter } from "./trpc";
import { actionGroupsRouter } from "./routers/action-groups";
import { activityRouter } from "./routers/activity";
import { alertsRouter } from "./routers/alerts";
import { archiveSourcesRouter } from "./routers/archive-sources";
import { deliveriesRouter } from "./routers/deliveries";
import { emailServerRouter } from "./routers/email-server";
import { evaluationsRouter } from "./routers/evaluations";
import { auditRouter } from "./routers/audit";
import { connectionsRouter } from "./routers/connections";
import { meRouter } from "./routers/me";
import { platformActionGroupsRouter } from "./routers/platform-action-groups";
import { invitationsRouter, membersRouter } from "./routers/members";
import { overviewRouter } from "./routers/overview";
import { logsRouter } from "./routers/logs";
import { rulesRouter } from "./routers/rules";
import { setupRouter } from "./routers/setup";
import { silencesRouter } from "./routers/silences";
import { subscriptionsRouter } from "./routers/subscriptions";
import { tenantsRouter } from "./routers/tenants";
import { vaultsRouter } from "./routers/vaults";
import { viewsRouter } from "./routers/views";
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
  archiveSources: archiveSourcesRouter,
  vaults: vaultsRouter,
  audit: auditRouter,
  actionGroups: actionGroupsRouter,
  rules: rulesRouter,
  evaluations: evaluationsRouter,
  logs: logsRouter,
  alerts: alertsRouter,
  activity: activityRouter,
  overview: overviewRouter,
  views: viewsRouter,
  silences: silencesRouter,
  deliveries: deliveriesRouter,
  emailServer: emailServerRouter,
  platformActionGroups: platformActionGroupsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
