-- Bounded catch-up of evaluations that never committed: every claim counts an attempt, and an attempt that failed
-- before its commit leaves its error, so the reconcile backs off between attempts and, after the last, records the
-- tick as an error naming why.
ALTER TABLE "rule_evaluation" ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0,
                              ADD COLUMN "attemptError" TEXT;
