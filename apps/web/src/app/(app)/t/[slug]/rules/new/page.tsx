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

function NewRule({ tenant }: { tenant: MyTenant }) {
  const kind = useSearchParams().get("kind") === "activity" ? "activity" : "log";
  return <RuleForm key={kind} tenant={tenant} initial={blankForm(kind)} />;
}
