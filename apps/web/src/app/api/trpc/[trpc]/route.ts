import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createContext } from "@vaultwatch/api";
import { env } from "@/env";
import { getAuth } from "@/server/auth";
import { getDb, getEncryptionKey } from "@/server/db";
import { ruleChanged } from "@/server/jobs";
import { getQueryRunner } from "@/server/pool";

export const dynamic = "force-dynamic";

function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createContext(
        { db: getDb(), auth: getAuth(), encryptionKey: getEncryptionKey(), appUrl: env.APP_URL, queryRunner: getQueryRunner(), onRuleChanged: ruleChanged },
        req.headers,
      ),
    onError({ error, path }) {
      // The API's error formatter already hides internals from clients; log only the code and path here.
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path ?? "?"}: ${error.message}`);
    },
  });
}

export { handler as GET, handler as POST };
