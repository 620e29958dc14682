import { authRouteHandler } from "@vaultwatch/auth";
import { getAuth } from "@/server/auth";

export const dynamic = "force-dynamic";

// the client address comes from instrumentation.ts (the edge hook); bodies are limited before better-auth reads them
const handler = (req: Request) => authRouteHandler(getAuth())(req);

export { handler as GET, handler as POST };
