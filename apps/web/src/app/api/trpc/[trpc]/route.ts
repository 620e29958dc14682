import { trpcHttpHandler } from "@vaultwatch/api";
import { trpcDeps } from "@/server/trpc";

export const dynamic = "force-dynamic";

// bodies over 1 MiB are refused (413) before tRPC parses them or looks up the session
const handler = trpcHttpHandler({ deps: trpcDeps });

export { handler as GET, handler as POST };
