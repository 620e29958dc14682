import { createQueues, createRedisConnection, enqueueActivity, syncRuleSchedule, type Queues } from "@vaultwatch/jobs";
import type { Redis } from "ioredis";
import { env } from "@/env";
import type { ScheduleFields } from "@vaultwatch/api";

const g = globalThis as unknown as { __vwQueues?: { redis: Redis; queues: Queues } };

/** The producer side of the job queues, created on first use (never at import: `next build` has no Redis). */
function producer() {
  if (!g.__vwQueues) {
    const redis = createRedisConnection(env.REDIS_URL, "producer");
    redis.on("error", () => {
      /* each caller reports its own failure; the worker's reconcile and sweep repair what was missed */
    });
    g.__vwQueues = { redis, queues: createQueues(redis, env.REDIS_PREFIX, () => undefined) };
  }
  return g.__vwQueues;
}

/** A rule changed: make its job scheduler match what the API just committed (null: deleted). */
export async function ruleChanged(ruleId: string, rule: ScheduleFields | null): Promise<void> {
  const { redis, queues } = producer();
  await syncRuleSchedule(queues, redis, env.REDIS_PREFIX, ruleId, rule);
}

/** New activity events were stored: ask the worker to judge them now. */
export async function activityArrived(workspaceId: string): Promise<void> {
  await enqueueActivity(producer().queues, workspaceId);
}
