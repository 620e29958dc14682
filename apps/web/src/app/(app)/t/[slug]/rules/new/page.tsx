"use client";

import { useSearchParams } from "next/navigation";
import { Suspense } from "react";
import type { MyTenant } from "@/lib/scope";
import { TenantOnly } from "../../tenant-only";
import { blankForm, RuleForm } from "../rule-form";

export default function NewRulePage() {
  return (
    <TenantOnly>
      {(t) => (
        <Suspense>
          <NewRule tenant={t} />
        </Suspense>
      )}
    </TenantOnly>
  );
}

/** `?query=…&workspaces=id,id` (the Logs explorer's "New alert rule") starts a log rule on that query and those workspaces. */
function NewRule({ tenant }: { tenant: MyTenant }) {
  const params = useSearchParams();
  const kind = params.get("kind") === "activity" ? "activity" : "log";
  const initial = blankForm(kind);
  const query = params.get("query");
  const workspaceIds = (params.get("workspaces") ?? "").split(",").filter(Boolean);
  if (initial.kind === "log") {
    if (query) initial.query = query;
    if (workspaceIds.length) initial.workspaceIds = workspaceIds;
  }
  return <RuleForm key={kind} tenant={tenant} initial={initial} />;
}
