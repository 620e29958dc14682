import { trpcHttpHandler } from "@vaultwatch/api";
import { env } from "@/env";
import { getAuth } from "@/server/auth";
import { getDb, getEncryptionKey } from "@/server/db";
import { ruleChanged } from "@/server/jobs";
import { getQueryRunner } from "@/server/pool";
import { channelConfig } from "@vaultwatch/notify/channel-config";

export const dynamic = "force-dynamic";

// bodies over 1 MiB are refused (413) before tRPC parses them or looks up the session
const handler = trpcHttpHandler({
  deps: () => ({
    db: getDb(),
    auth: getAuth(),
    encryptionKey: getEncryptionKey(),
    appUrl: env.APP_URL,
    queryRunner: getQueryRunner(),
    onRuleChanged: ruleChanged,
    notify: channelConfig(env),
  }),
});

export { handler as GET, handler as POST };
