"use client";

import { Suspense } from "react";
import { TenantOnly } from "../tenant-only";
import { LogsExplorer } from "./logs-explorer";

export default function LogsPage() {
  return (
    <TenantOnly>
      {(t) => (
        <Suspense>
          <LogsExplorer key={t.id} tenant={t} />
        </Suspense>
      )}
    </TenantOnly>
  );
}
